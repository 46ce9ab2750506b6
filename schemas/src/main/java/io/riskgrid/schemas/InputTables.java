package io.riskgrid.schemas;

import static io.riskgrid.schemas.Columns.amount;
import static io.riskgrid.schemas.Columns.arrayOf;
import static io.riskgrid.schemas.Columns.asOfDate;
import static io.riskgrid.schemas.Columns.column;
import static io.riskgrid.schemas.Columns.required;
import static io.riskgrid.schemas.Columns.text;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;

/**
 * The input tables of DESIGN §4: the instrument universe, the daily market snapshot, the accounts with
 * their collateral and positions, and the scenario sets. Every one but {@link #INSTRUMENTS} and
 * {@link #SCENARIO_SETS} is dated by {@code as_of_date} and partitioned by it. Prices are USD per coin,
 * vols are decimals (0.55 is 55%), timestamps are UTC instants.
 */
public final class InputTables {

  private InputTables() {}

  public static final Table INSTRUMENTS = Table.whole("instruments",
      "one row per listed instrument, shared by every date",
      text("instrument_id", "venue-style id, e.g. BTC-27MAR26-60000-C"),
      text("underlying", "coin, e.g. BTC"),
      text("kind", "FUTURE, PERPETUAL or OPTION"),
      text("settlement", "LINEAR (USD) or INVERSE (coin)"),
      text("option_type", "CALL or PUT; null unless OPTION"),
      amount("strike", "USD per coin; null unless OPTION"),
      column("expiry", TimestampType, "UTC instant; ignored for PERPETUAL"),
      amount("multiplier", "m in coin per contract (linear, inverse options) "
          + "or N in USD per contract (inverse futures and perpetuals)"));

  public static final Table MARKET_UNDERLYINGS = Table.sliced("market_underlyings",
      "one row per underlying and snapshot date", Columns.AS_OF_DATE, true,
      asOfDate("business date of the snapshot"),
      column("as_of_ts", TimestampType, "valuation instant, UTC: every T is measured from it"),
      text("underlying", "coin, e.g. BTC"),
      amount("index_price", "S, USD per coin"),
      amount("rate", "discount rate r, annual, continuously compounded, decimal"),
      amount("basis", "annual basis b for expiries without a listed forward: F = S exp(b T)"),
      amount("funding_rate_8h", "perpetual funding per 8 hours, decimal; for reports only"));

  public static final Table MARKET_FORWARDS = Table.sliced("market_forwards",
      "one row per underlying and listed expiry", Columns.AS_OF_DATE, true,
      asOfDate("business date of the snapshot"),
      text("underlying", "coin, e.g. BTC"),
      column("expiry", TimestampType, "UTC instant"),
      amount("forward", "F(T), USD per coin, from futures marks"));

  public static final Table MARKET_VOL_SLICES = Table.sliced("market_vol_slices",
      "one raw SVI slice per underlying and expiry: w(k) = a + b(rho(k-m) + sqrt((k-m)^2 + sigma_svi^2))",
      Columns.AS_OF_DATE, true,
      asOfDate("business date of the snapshot"),
      text("underlying", "coin, e.g. BTC"),
      column("expiry", TimestampType, "UTC instant"),
      amount("a", "total variance level"),
      amount("b", "wing slope, >= 0"),
      amount("rho", "skew, |rho| < 1"),
      amount("m", "log-moneyness shift"),
      amount("sigma_svi", "ATM curvature, > 0"),
      amount("fit_rmse", "root mean square fit error, decimal vol; null when not fitted"),
      column("arbitrage_flags", arrayOf(StringType), "e.g. BUTTERFLY, CALENDAR; empty when none"));

  public static final Table MARKET_OPTION_MARKS = Table.sliced("market_option_marks",
      "optional mark implied vol per option", Columns.AS_OF_DATE, true,
      asOfDate("business date of the snapshot"),
      text("instrument_id", "an OPTION of instruments"),
      amount("mark_iv", "decimal vol (0.55 is 55 percent)"));

  public static final Table ACCOUNTS = Table.sliced("accounts",
      "one row per account", Columns.AS_OF_DATE, true,
      asOfDate("business date of the account snapshot"),
      text("account_id"),
      text("parent_id", "member account; null when the account is its own member"),
      text("margin_mode", "PORTFOLIO or STANDARD"),
      text("margin_currency", "USD, or the coin of a coin-margined account"))
      .withStatisticsOnFirst(1);

  public static final Table COLLATERAL = Table.sliced("collateral",
      "one row per account and asset", Columns.AS_OF_DATE, true,
      asOfDate("business date of the account snapshot"),
      text("account_id"),
      text("asset", "USD, a stablecoin or a coin"),
      column("quantity", DoubleType, "units of asset; negative is a loan"))
      .withStatisticsOnFirst(1);

  public static final Table POSITIONS = Table.sliced("positions",
      "one row per account and instrument, clustered by account_id", Columns.AS_OF_DATE, true,
      asOfDate("business date of the account snapshot"),
      text("account_id"),
      text("instrument_id"),
      column("quantity", DoubleType, "contracts; negative is short"),
      amount("entry_price", "USD per coin; required for futures and perpetuals, ignored for options"))
      // Readers find a book's rows by account; every file holds most instruments and a spread of
      // quantities, so statistics on them prune nothing; Delta's per-row statistics tracker, on all four
      // columns, was 7% of a cold 1M import's CPU (BENCHMARKS.md, stops 33-34).
      .withStatisticsOnFirst(1);

  public static final Table SCENARIO_SETS = Table.sliced("scenario_sets",
      "one row per scenario and shocked underlying; a joint scenario has one row per underlying",
      "set_name", false,
      required("set_name", StringType, "preset or custom set, e.g. seed-default"),
      column("scenario_id", IntegerType, "position in policy order; rows of one joint scenario share it"),
      text("label", "e.g. p-15_v+10, p-30_v+10_x_h3, hist_2022-11-07_09"),
      text("underlying", "coin or stablecoin shocked, or * for every underlying"),
      amount("p", "price shock, decimal: -0.15 is -15 percent; > -1"),
      amount("v", "vol shock: decimal vol (additive) or decimal fraction (relative)"),
      column("h_days", IntegerType, "horizon in days"),
      text("kind", "REGULAR or EXTREME"),
      amount("cover", "fraction of the loss charged: below 1 for EXTREME, 1 for REGULAR"),
      text("vol_mode", "additive or relative"));

  /** Every input table, in the order of DESIGN §4. */
  public static final List<Table> ALL = List.of(INSTRUMENTS, MARKET_UNDERLYINGS, MARKET_FORWARDS,
      MARKET_VOL_SLICES, MARKET_OPTION_MARKS, ACCOUNTS, COLLATERAL, POSITIONS, SCENARIO_SETS);
}
