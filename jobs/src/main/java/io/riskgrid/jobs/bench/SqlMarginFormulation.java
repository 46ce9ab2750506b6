package io.riskgrid.jobs.bench;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.MarginRules;
import io.riskgrid.schemas.InputTables;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The straightforward Spark SQL formulation of the portfolio margin (DESIGN §6), the baseline that
 * {@code riskgrid bench} times riskgrid against: join every position to an instrument × scenario P&L
 * table, group by account, underlying and scenario into risk arrays, take the worst covered loss, and
 * add the contingencies of DESIGN §3.4, all as DataFrame operations planned by Spark.
 *
 * <p>It is deliberately independent of the engine's margin rules: it reads only per-instrument
 * constants from the stage-1 {@link InstrumentBook} (P&L rows, multipliers, S, scenario p/kind/cover)
 * and never calls the calculator or the kernels. Nothing per account reaches the driver.
 */
public final class SqlMarginFormulation {
  private static final String USD = "USD";

  private SqlMarginFormulation() {}

  /**
   * Per-account portfolio margin computed with plain Spark SQL/DataFrame operations, one row per
   * account of {@code accounts} on {@code asOf}. Columns: account_id STRING, pm_mm DOUBLE, pm_im DOUBLE
   * (margin currency: USD, or coin for coin accounts; the units of the margins table's pm_mm/pm_im),
   * and notional DOUBLE, the account's Σ_u N_u of DESIGN §3.4 Agreement in the same currency.
   *
   * <p>Figures are meaningful only for accounts riskgrid margins (status not REJECTED or DATA_ERROR):
   * this formulation does not validate, so an invalid account gets a number computed from whatever of
   * its positions the book could value.
   *
   * <p>To time it, materialise every column (e.g. {@code write().format("noop")} or an aggregate of
   * pm_mm): a bare {@code count()} lets Spark drop the left join to the per-account margins, and with it
   * all the work.
   */
  public static Dataset<Row> margins(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      InstrumentBook book) {
    Dataset<Row> accounts = warehouse.read(InputTables.ACCOUNTS, asOf)
        .select(col("account_id"), upper(trim(col("margin_currency"))).as("currency"));
    Dataset<Row> positions = warehouse.read(InputTables.POSITIONS, asOf)
        .select(col("account_id"), col("instrument_id"), col("quantity"));
    Dataset<Row> collateral = warehouse.read(InputTables.COLLATERAL, asOf)
        .select(col("account_id"), upper(trim(col("asset"))).as("asset"), col("quantity"));
    Dataset<Row> underlyings = broadcast(BookTables.underlyings(spark, book));
    Dataset<Row> scenarios = broadcast(BookTables.scenarios(spark, book));

    Dataset<Row> riskArrays = positionPnl(spark, book, positions)
        .unionByName(collateralPnl(spark, policy, accounts, collateral, underlyings, scenarios))
        .groupBy("account_id", "underlying", "scenario")
        .agg(sum("pnl").as("risk_array"));
    Dataset<Row> scanLosses = scanLosses(riskArrays, scenarios);
    Dataset<Row> positionSums = positionSums(BookTables.instruments(spark, book), positions);

    Dataset<Row> perUnderlying = scanLosses
        .join(positionSums, new String[] {"account_id", "underlying"}, "full_outer")
        .select(col("account_id"), col("underlying"),
            coalesce(col("scan_loss"), lit(0.0)).as("scan_loss"),
            coalesce(col("option_shortfall"), lit(0.0)).as("option_shortfall"),
            coalesce(col("futures_net"), lit(0.0)).as("futures_net"),
            coalesce(col("short_calls"), lit(0.0)).as("short_calls"),
            coalesce(col("short_puts"), lit(0.0)).as("short_puts"),
            coalesce(col("notional_usd"), lit(0.0)).as("notional_usd"))
        .join(accounts, "account_id")
        .join(underlyings, "underlying");
    Dataset<Row> perAccount = underlyingMargins(perUnderlying, policy)
        .groupBy("account_id")
        .agg(sum("mm").as("pm_mm"), sum("notional").as("notional"));
    return accounts.join(perAccount, new String[] {"account_id"}, "left")
        .select(col("account_id"),
            coalesce(col("pm_mm"), lit(0.0)).as("pm_mm"),
            coalesce(col("pm_mm"), lit(0.0)).multiply(policy.margin().imMultiplier()).as("pm_im"),
            coalesce(col("notional"), lit(0.0)).as("notional"));
  }

  /**
   * Applies DESIGN §3.4 Agreement to pm_mm and pm_im of every account riskgrid margined (status not
   * REJECTED or DATA_ERROR); see {@link MarginAgreement#compare}.
   */
  public static MarginAgreement.Comparison compare(Dataset<Row> riskgridMargins, Dataset<Row> sqlMargins) {
    return MarginAgreement.compare(riskgridMargins, sqlMargins);
  }

  /** (account_id, underlying, scenario, pnl): q·R[i][s] for every position and scenario, the exploded join. */
  private static Dataset<Row> positionPnl(SparkSession spark, InstrumentBook book, Dataset<Row> positions) {
    Dataset<Row> pnl = broadcast(BookTables.instrumentScenarioPnl(spark, book));
    return positions.join(pnl, "instrument_id")
        .select(col("account_id"), col("underlying"), col("scenario"), col("quantity").multiply(col("pnl")).as("pnl"));
  }

  /**
   * (account_id, underlying, scenario, pnl): a USD account's coin collateral revalued under each
   * scenario of its coin, qty·(1−haircut)·S·p for a positive balance and qty·S·p for a loan. Coin
   * accounts' own coin has no P&L in coin terms; stablecoins are not shocked by margin scenarios.
   */
  private static Dataset<Row> collateralPnl(SparkSession spark, MarginPolicy policy, Dataset<Row> accounts,
      Dataset<Row> collateral, Dataset<Row> underlyings, Dataset<Row> scenarios) {
    Dataset<Row> usdAccounts = accounts.filter(col("currency").equalTo(USD)).select("account_id");
    Column afterHaircut = when(col("quantity").leq(0), col("quantity"))
        .otherwise(col("quantity").multiply(lit(1.0).minus(coalesce(col("haircut"), lit(0.0)))));
    return collateral
        .filter(col("quantity").notEqual(0).and(col("asset").isin(policy.collateral().stablecoins().toArray()).unary_$bang()))
        .join(usdAccounts, "account_id")
        .join(broadcast(BookTables.haircuts(spark, policy)), "asset", "left")
        .select(col("account_id"), col("asset").as("underlying"), afterHaircut.as("coin_after_haircut"))
        .join(underlyings, "underlying")
        .join(scenarios, "underlying")
        .select(col("account_id"), col("underlying"), col("scenario"),
            col("coin_after_haircut").multiply(col("spot")).multiply(col("p")).as("pnl"));
  }

  /** (account_id, underlying, scan_loss): max(0, worst −RA over REGULAR, worst −RA·cover over EXTREME). */
  private static Dataset<Row> scanLosses(Dataset<Row> riskArrays, Dataset<Row> scenarios) {
    Column loss = col("risk_array").unary_$minus();
    return riskArrays.join(scenarios, new String[] {"underlying", "scenario"})
        .select(col("account_id"), col("underlying"), when(col("extreme"), loss.multiply(col("cover"))).otherwise(loss).as("loss"))
        .groupBy("account_id", "underlying")
        .agg(greatest(lit(0.0), max("loss")).as("scan_loss"));
  }

  /**
   * (account_id, underlying, option_shortfall, futures_net, short_calls, short_puts, notional_usd), all
   * in coin except notional_usd: one net coin quantity per contingency bucket (an option expiry and
   * strike, or a futures expiry or PERP), then its shortfall or absolute value summed per underlying.
   */
  private static Dataset<Row> positionSums(Dataset<Row> instruments, Dataset<Row> positions) {
    Column q = col("quantity");
    Column shortOption = col("is_option").and(q.lt(0));
    return positions.join(broadcast(instruments), "instrument_id")
        .groupBy("account_id", "underlying", "is_option", "bucket")
        .agg(sum(q.multiply(col("coin_per_contract"))).as("net"),
            sum(when(shortOption.and(col("is_call")), q.unary_$minus().multiply(col("multiplier"))).otherwise(0.0)).as("short_calls"),
            sum(when(shortOption.and(col("is_call").unary_$bang()), q.unary_$minus().multiply(col("multiplier"))).otherwise(0.0))
                .as("short_puts"),
            sum(abs(q).multiply(col("notional_usd"))).as("notional_usd"))
        .groupBy("account_id", "underlying")
        .agg(sum(when(col("is_option"), greatest(lit(0.0), col("net").unary_$minus())).otherwise(0.0)).as("option_shortfall"),
            sum(when(col("is_option"), lit(0.0)).otherwise(abs(col("net")))).as("futures_net"),
            sum("short_calls").as("short_calls"), sum("short_puts").as("short_puts"),
            sum("notional_usd").as("notional_usd"));
  }

  /**
   * (account_id, mm, notional) per underlying, in the margin currency: add-ons in USD at the unshocked
   * S, divided by S for coin accounts; MM_u = max(L_u + C_opt + C_fut, SOM_u).
   */
  private static Dataset<Row> underlyingMargins(Dataset<Row> perUnderlying, MarginPolicy policy) {
    Column toCurrency = when(col("currency").equalTo(USD), lit(1.0)).otherwise(lit(1.0).divide(col("spot")));
    MarginRules rules = policy.margin();
    Column cOpt = lit(rules.optionContingencyRate()).multiply(col("spot")).multiply(col("option_shortfall")).multiply(toCurrency);
    Column cFut = lit(rules.futuresContingencyRate()).multiply(col("spot")).multiply(col("futures_net")).multiply(toCurrency);
    Column som = lit(rules.shortOptionMinimumRate()).multiply(col("spot"))
        .multiply(greatest(col("short_calls"), col("short_puts"))).multiply(toCurrency);
    return perUnderlying.select(col("account_id"),
        greatest(col("scan_loss").plus(cOpt).plus(cFut), som).as("mm"),
        col("notional_usd").multiply(toCurrency).as("notional"));
  }
}
