package io.riskgrid.jobs.bench;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The stage-1 {@link InstrumentBook} and the policy's collateral table as small DataFrames, so that the
 * SQL formulation reads per-instrument constants only (P&L rows, multipliers, S) and never the
 * engine's margin rules. Every table has one row per instrument, per instrument and scenario, per
 * underlying or per haircut: a few thousand to about 100k rows, whatever the number of accounts.
 *
 * <p>Only instruments and underlyings the book could value are listed: an account holding anything
 * else is REJECTED or DATA_ERROR in riskgrid and is not compared.
 */
final class BookTables {
  private BookTables() {}

  /**
   * (instrument_id, underlying, scenario, pnl): R[i][s], the P&L of one contract in its settlement
   * currency (USD linear, coin inverse), s the scenario's index in its underlying's grid, in policy order.
   */
  static Dataset<Row> instrumentScenarioPnl(SparkSession spark, InstrumentBook book) {
    StructType schema = new StructType()
        .add("instrument_id", DataTypes.StringType, false)
        .add("underlying", DataTypes.StringType, false)
        .add("scenario", DataTypes.IntegerType, false)
        .add("pnl", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < book.valued().instrumentCount(); i++) {
      if (!usable(book, i)) {
        continue;
      }
      Instrument ins = book.valued().instruments().get(i);
      for (int s = 0; s < book.valued().pnl().rowLength(i); s++) {
        rows.add(RowFactory.create(ins.id(), ins.underlying(), s, book.valued().pnl().get(i, s)));
      }
    }
    return spark.createDataFrame(rows, schema);
  }

  /**
   * One row per usable instrument: underlying, inverse, is_option, is_call, multiplier (m, or N for
   * inverse futures and perpetuals), coin_per_contract (m, or N/F with F = S for perpetuals),
   * notional_usd (m·S, or N for inverse futures and perpetuals: DESIGN §3.4 Agreement), and the
   * contingency bucket: {@code expiry|strike} for options, the expiry or {@code PERP} for the others.
   */
  static Dataset<Row> instruments(SparkSession spark, InstrumentBook book) {
    StructType schema = new StructType()
        .add("instrument_id", DataTypes.StringType, false)
        .add("underlying", DataTypes.StringType, false)
        .add("inverse", DataTypes.BooleanType, false)
        .add("is_option", DataTypes.BooleanType, false)
        .add("is_call", DataTypes.BooleanType, false)
        .add("multiplier", DataTypes.DoubleType, false)
        .add("coin_per_contract", DataTypes.DoubleType, false)
        .add("notional_usd", DataTypes.DoubleType, false)
        .add("bucket", DataTypes.StringType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < book.valued().instrumentCount(); i++) {
      if (!usable(book, i)) {
        continue;
      }
      Instrument ins = book.valued().instruments().get(i);
      double spot = book.valued().spot(book.valued().underlyingIndexOf(ins.underlying()));
      boolean inverseFuture = ins.isInverse() && !ins.isOption();
      String expiry = ins.expiry() == null ? "PERP" : ins.expiry().toString();
      String bucket = ins.isOption() ? expiry + "|" + ins.strike() : expiry;
      rows.add(RowFactory.create(ins.id(), ins.underlying(), ins.isInverse(), ins.isOption(), ins.isCall(),
          ins.multiplier(), book.valued().coinPerContract(i), inverseFuture ? ins.multiplier() : ins.multiplier() * spot, bucket));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** (underlying, spot): the unshocked index S in USD per coin, for underlyings with a usable market. */
  static Dataset<Row> underlyings(SparkSession spark, InstrumentBook book) {
    StructType schema = new StructType()
        .add("underlying", DataTypes.StringType, false)
        .add("spot", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < book.valued().underlyings().size(); u++) {
      if (book.valued().underlyingError(u) == null) {
        rows.add(RowFactory.create(book.valued().underlyings().get(u), book.valued().spot(u)));
      }
    }
    return spark.createDataFrame(rows, schema);
  }

  /** (underlying, scenario, p, extreme, cover): each underlying's grid in policy order; cover is 1 for REGULAR. */
  static Dataset<Row> scenarios(SparkSession spark, InstrumentBook book) {
    StructType schema = new StructType()
        .add("underlying", DataTypes.StringType, false)
        .add("scenario", DataTypes.IntegerType, false)
        .add("p", DataTypes.DoubleType, false)
        .add("extreme", DataTypes.BooleanType, false)
        .add("cover", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < book.valued().underlyings().size(); u++) {
      ScenarioGrid grid = book.valued().grid(u);
      for (int s = 0; s < grid.size(); s++) {
        Scenario sc = grid.get(s);
        rows.add(RowFactory.create(book.valued().underlyings().get(u), s, sc.priceShock(),
            sc.kind() == ScenarioKind.EXTREME, sc.cover()));
      }
    }
    return spark.createDataFrame(rows, schema);
  }

  /** (asset, haircut): the policy's haircut table, decimal, for positive USD-account balances. */
  static Dataset<Row> haircuts(SparkSession spark, MarginPolicy policy) {
    StructType schema = new StructType()
        .add("asset", DataTypes.StringType, false)
        .add("haircut", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Double> h : policy.collateral().haircuts().entrySet()) {
      rows.add(RowFactory.create(h.getKey(), h.getValue()));
    }
    return spark.createDataFrame(rows, schema);
  }

  private static boolean usable(InstrumentBook book, int i) {
    return book.valued().rejectReason(i) == null && book.valued().dataError(i) == null;
  }
}
