package io.riskgrid.jobs.bench;

import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.margin.MarginRows;
import io.riskgrid.jobs.spark.InternalRows;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.spark.Where;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountStatus;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Contribution;
import io.riskgrid.margin.Position;
import io.riskgrid.margin.UnderlyingMargin;
import io.riskgrid.schemas.Columns;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The I/O floor of DESIGN §6: read the same inputs as the margin run, group positions and collateral
 * by account the same way (the same grouping path), and write one row per account to Delta. What the
 * margin run does beyond this (stage 1, the kernel, the result rows, rejects and exposures) is its cost
 * over the floor.
 *
 * <p>Two floors. {@link #run} writes a narrow row (four columns), DESIGN's floor. {@link #runWide}
 * writes a row of the {@code margins} schema through the margin run's own row builder and table write
 * (same table properties, same replaceWhere), with figures made from the account's quantities: what
 * Spark and Delta cost for the margins row, so that the margin run's ratio to it is the engine's cost
 * (#19).
 */
public final class IoFloorJob {
  static final StructType ROW = new StructType()
      .add("account_id", DataTypes.StringType)
      .add("positions", DataTypes.IntegerType)
      .add("collateral", DataTypes.IntegerType)
      .add("gross_quantity", DataTypes.DoubleType);

  private IoFloorJob() {}

  /** What the floor run did. */
  public record Result(long accountsWritten, String groupingPath) {}

  public static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, String outputPath) {
    AccountInputs.Stream inputs = AccountInputs.stream(warehouse, asOf);
    JavaRDD<Row> rows = inputs.items().mapPartitions(OnePerAccount::new);
    spark.createDataFrame(rows, ROW).write().format("delta").mode(SaveMode.Overwrite).save(outputPath);
    long written = spark.read().format("delta").load(outputPath).count();
    return new Result(written, inputs.groupingPath());
  }

  /**
   * The wide floor: the same read, then one {@code margins} row per account written by
   * {@link Warehouse#replaceWhere} into {@code outputPath}'s own {@code margins} table. Each row has an
   * element of {@code by_underlying} per instrument-id prefix (the underlying of the generated ids) with up
   * to 5 contributions and OTHER, as a margin run's row has; its amounts are sums of the quantities.
   */
  public static Result runWide(SparkSession spark, Warehouse warehouse, LocalDate asOf, String outputPath) {
    AccountInputs.Stream inputs = AccountInputs.stream(warehouse, asOf);
    MarginRows.RunPolicy policy = new MarginRows.RunPolicy("io-floor", "none");
    String runId = "io-floor";
    JavaRDD<InternalRow> rows = inputs.items().mapPartitions(items -> {
      MarginRows.RunColumns run = MarginRows.RunColumns.of(asOf, runId, policy);
      OnePerAccount accounts = new OnePerAccount(items);
      return new Iterator<InternalRow>() {
        @Override
        public boolean hasNext() {
          return accounts.hasNext();
        }

        @Override
        public InternalRow next() {
          return MarginRows.of(wideFigures(accounts.nextAccount()), List.of(), run, false, MarginJob.TOP_CONTRIBUTIONS);
        }
      };
    });
    Warehouse floor = Warehouse.at(spark, outputPath);
    floor.replaceWhere(InternalRows.dataFrame(spark, rows, MarginRows.RESULT)
            .selectExpr(OutputTables.MARGINS.schema().fieldNames()), OutputTables.MARGINS,
        Where.equal(Columns.AS_OF_DATE, asOf).and(OutputTables.POLICY_NAME, policy.name()));
    long written = floor.read(OutputTables.MARGINS, asOf).count();
    return new Result(written, inputs.groupingPath());
  }

  /** A margins result of the account's own quantities: the width of a margin run's row, none of its work. */
  private static AccountMargin wideFigures(Account a) {
    Map<String, List<Position>> byPrefix = new TreeMap<>();
    for (Position p : a.positions()) {
      String id = p.instrumentId();
      int end = 0;
      while (end < id.length() && Character.isLetter(id.charAt(end))) {
        end++;
      }
      byPrefix.computeIfAbsent(id.substring(0, end), k -> new ArrayList<>()).add(p);
    }
    List<UnderlyingMargin> by = new ArrayList<>();
    double total = 0;
    for (Map.Entry<String, List<Position>> e : byPrefix.entrySet()) {
      List<Contribution> parts = new ArrayList<>();
      double gross = 0;
      for (Position p : e.getValue()) {
        parts.add(new Contribution(p.instrumentId(), p.quantity() * 1.0001));
        gross += Math.abs(p.quantity());
      }
      parts.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.amount())));
      total += gross;
      by.add(new UnderlyingMargin(e.getKey(), gross, "floor", gross * 0.01, gross * 0.02, gross * 0.03, gross * 1.06,
          gross * 0.5, gross * 1e-5, gross * 0.7, -gross * 0.1, List.of(), new double[0], parts));
    }
    double collateral = 0;
    for (CollateralBalance c : a.collateral()) {
      collateral += c.quantity();
    }
    return new AccountMargin(a.accountId(), a.parentId(), a.marginMode(), a.marginCurrency(), AccountStatus.OK, null,
        collateral, total * 1.3, total, total * 1.3, total, total * 2.1, total * 1.9, 0.38, 0.21, 0.27, by, List.of());
  }

  /** One row per account, touching every position and balance so that nothing is optimised away. */
  private static final class OnePerAccount implements Iterator<Row> {
    private final Iterator<AccountInputs.Item> items;
    private Account next;

    OnePerAccount(Iterator<AccountInputs.Item> items) {
      this.items = items;
    }

    @Override
    public boolean hasNext() {
      while (next == null && items.hasNext()) {
        next = items.next().account();
      }
      return next != null;
    }

    Account nextAccount() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Account a = next;
      next = null;
      return a;
    }

    @Override
    public Row next() {
      Account a = nextAccount();
      double gross = 0;
      for (Position p : a.positions()) {
        gross += Math.abs(p.quantity());
      }
      for (CollateralBalance c : a.collateral()) {
        gross += Math.abs(c.quantity());
      }
      return RowFactory.create(a.accountId(), a.positions().size(), a.collateral().size(), gross);
    }
  }
}
