package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import io.riskgrid.jobs.spark.CommittedRuns;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.schemas.Table;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * What every section of the report reads: the date's margin run (its {@code runs} row), its {@code margins}
 * rows with a USD rate per row, and tables by name that may not exist yet.
 */
final class ReportInputs {
  /** Margin currencies worth one USD each (DESIGN §3.4: stablecoins are USD for margin purposes). */
  static final List<String> USD_CURRENCIES = List.of("USD", "USDC", "USDT");

  final Warehouse warehouse;
  final LocalDate asOf;
  final Row marginRun;
  /** The date's margins of {@link #marginRun}'s policy, with {@code usd_rate}: USD per unit of margin currency. */
  final Dataset<Row> margins;

  private ReportInputs(Warehouse warehouse, LocalDate asOf, Row marginRun, Dataset<Row> margins) {
    this.warehouse = warehouse;
    this.asOf = asOf;
    this.marginRun = marginRun;
    this.margins = margins;
  }

  /** The inputs of {@code asOf}; a clear error when the warehouse has no margin run for it. */
  static ReportInputs of(Warehouse warehouse, LocalDate asOf) {
    for (Table needed : List.of(OutputTables.RUNS, OutputTables.MARGINS, InputTables.MARKET_UNDERLYINGS)) {
      if (!warehouse.exists(needed)) {
        throw new IllegalArgumentException("the warehouse " + warehouse.location() + " has no " + needed.name()
            + " table: run `riskgrid demo` or `riskgrid margin --as-of " + asOf + "` first, or check --warehouse");
      }
    }
    Row run = CommittedRuns.latest(warehouse, "margin", asOf, null);
    if (run == null) {
      throw new IllegalArgumentException("the warehouse " + warehouse.location() + " has no margin run for "
          + asOf + ": run `riskgrid margin --as-of " + asOf + "` first, or pick another --as-of");
    }
    // Every section reads the tables as that run left them: a later run that died before its runs row
    // (the commit marker) is not half shown (CommittedRuns).
    Warehouse asLeft = CommittedRuns.asLeftBy(warehouse, run);
    Dataset<Row> margins = asLeft.read(OutputTables.MARGINS, asOf);
    if (Arrays.asList(margins.columns()).contains("policy_name") && run.getAs("policy_name") != null) {
      // Several policies may share a date (DESIGN §7.4): the report shows the latest margin run's.
      margins = margins.filter(col("policy_name").equalTo(lit(run.<String>getAs("policy_name"))));
    }
    Dataset<Row> index = warehouse.read(InputTables.MARKET_UNDERLYINGS, asOf)
        .select(col("underlying").as("rate_currency"), col("index_price"));
    Column rate = when(col("margin_currency").isin(USD_CURRENCIES.toArray()), lit(1.0)).otherwise(col("index_price"));
    Dataset<Row> withRate = margins.join(functions.broadcast(index),
            margins.col("margin_currency").equalTo(index.col("rate_currency")), "left")
        .withColumn("usd_rate", rate).drop("rate_currency", "index_price");
    return new ReportInputs(asLeft, asOf, run, withRate);
  }

  /** The date's slice of {@code table}, when the table exists. */
  Optional<Dataset<Row>> slice(Table table) {
    return warehouse.exists(table) ? Optional.of(warehouse.read(table, asOf)) : Optional.empty();
  }

  /**
   * A table another riskgrid version may not have written (e.g. {@code liquidation_curve}), read by name from
   * the warehouse folder, restricted to {@code asOf} when it has {@code as_of_date}.
   */
  Optional<Dataset<Row>> optionalTable(String name) {
    String path = warehouse.location() + "/" + name;
    if (!DeltaTable.isDeltaTable(warehouse.spark(), path)) {
      return Optional.empty();
    }
    Long version = CommittedRuns.outputVersions(marginRun).get(name);
    Dataset<Row> rows = version == null ? warehouse.spark().read().format("delta").load(path)
        : warehouse.spark().read().format("delta").option("versionAsOf", version).load(path);
    if (Arrays.asList(rows.columns()).contains("as_of_date")) {
      rows = rows.filter(col("as_of_date").equalTo(lit(java.sql.Date.valueOf(asOf))));
    }
    return Optional.of(rows);
  }

  String policyName() {
    return marginRun.getAs("policy_name");
  }
}
