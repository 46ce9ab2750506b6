package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;

import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.spark.Where;
import io.riskgrid.margin.LiquidationCurve;
import io.riskgrid.schemas.Columns;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The {@code liquidation_curve} slice (DESIGN §7.5) of a margin run: the partitions summed their
 * accounts' curve as they went and sent it back with {@link PartitionSideOutputs}; the driver adds the
 * parts and writes one row per move, replacing the slice (as_of_date, policy_name) as the margins
 * slice is replaced.
 */
public final class LiquidationCurveRows {
  private LiquidationCurveRows() {}

  /** {@code curve}: null when the run computed none; the slice is then emptied. */
  static void write(Warehouse warehouse, LocalDate asOf, String runId, String policyName, LiquidationCurve curve) {
    java.sql.Date date = SparkValues.date(asOf);
    double[] moves = curve == null ? new double[0] : curve.moves();
    List<Row> rows = new ArrayList<>(moves.length);
    for (int k = 0; k < moves.length; k++) {
      rows.add(RowFactory.create(date, runId, policyName, moves[k], curve.accountsLiquidated(k), curve.shortfallUsd(k),
          curve.equityAtRiskUsd(k)));
    }
    warehouse.replaceWhere(warehouse.spark().createDataFrame(rows, OutputTables.LIQUIDATION_CURVE.schema()),
        OutputTables.LIQUIDATION_CURVE, Where.equal(Columns.AS_OF_DATE, asOf).and(OutputTables.POLICY_NAME, policyName));
  }

  /**
   * One line of the date's curve for a policy: accounts liquidated and shortfall at joint moves of −10%,
   * −20% and −30% (and the same up), as the demo prints it.
   */
  public static String describe(Warehouse warehouse, LocalDate asOf, String policyName) {
    StringBuilder line = new StringBuilder("liquidation curve (every index moved at once):");
    List<Row> rows = warehouse.read(OutputTables.LIQUIDATION_CURVE, asOf).filter(
        col(OutputTables.POLICY_NAME).equalTo(policyName).and(col("move").isin(-0.3, -0.2, -0.1, 0.1, 0.2, 0.3)))
        .orderBy("move").collectAsList();
    if (rows.isEmpty()) {
      return line.append(" none for ").append(asOf).append(" and policy ").append(policyName).toString();
    }
    for (Row r : rows) {
      line.append(String.format(Locale.ROOT, " %+.0f%%: %,d accounts, %,.0f USD short;", 100 * r.<Double>getAs("move"),
          r.<Long>getAs("accounts_liquidated"), r.<Double>getAs("shortfall_usd")));
    }
    return line.substring(0, line.length() - 1);
  }
}
