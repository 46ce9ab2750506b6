package io.riskgrid.jobs.bench;

import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.NoSuchElementException;
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

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Account a = next;
      next = null;
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
