package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import io.riskgrid.schemas.InputTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The accounts of one date with their positions and collateral grouped onto one row each
 * (account_id, parent_id, margin_mode, margin_currency, positions, collateral), and the rows that
 * belong to no account, which become rejects rather than vanishing.
 */
public final class AccountInputs {
  private AccountInputs() {}

  public record Grouped(Dataset<Row> accounts, Dataset<Row> orphans) {}

  public static Grouped read(Warehouse warehouse, LocalDate asOf) {
    Dataset<Row> accounts = warehouse.read(InputTables.ACCOUNTS, asOf).drop("as_of_date");
    Dataset<Row> positions = warehouse.read(InputTables.POSITIONS, asOf).drop("as_of_date");
    Dataset<Row> collateral = warehouse.read(InputTables.COLLATERAL, asOf).drop("as_of_date");
    Dataset<Row> groupedPositions = positions.groupBy("account_id")
        .agg(collect_list(struct(col("instrument_id"), col("quantity"), col("entry_price"))).as("positions"));
    Dataset<Row> groupedCollateral = collateral.groupBy("account_id")
        .agg(collect_list(struct(col("asset"), col("quantity"))).as("collateral"));
    Dataset<Row> joined = accounts
        .join(groupedPositions, accounts.col("account_id").equalTo(groupedPositions.col("account_id")), "left")
        .drop(groupedPositions.col("account_id"))
        .join(groupedCollateral, accounts.col("account_id").equalTo(groupedCollateral.col("account_id")), "left")
        .drop(groupedCollateral.col("account_id"));
    Dataset<Row> ids = accounts.select("account_id");
    Dataset<Row> orphanPositions = positions.join(ids, positions.col("account_id").equalTo(ids.col("account_id")), "left_anti")
        .select(lit("positions").as("source_table"), concat_ws("/", col("account_id"), col("instrument_id")).as("key"),
            lit("account_id not in the accounts table for this date").as("reason"));
    Dataset<Row> orphanCollateral = collateral.join(ids, collateral.col("account_id").equalTo(ids.col("account_id")), "left_anti")
        .select(lit("collateral").as("source_table"), concat_ws("/", col("account_id"), col("asset")).as("key"),
            lit("account_id not in the accounts table for this date").as("reason"));
    return new Grouped(joined, orphanPositions.unionByName(orphanCollateral));
  }

  /** The engine's account from one grouped row. */
  public static Account toAccount(Row r) {
    List<Position> positions = new ArrayList<>();
    int pi = r.fieldIndex("positions");
    if (!r.isNullAt(pi)) {
      for (Row p : r.<Row>getList(pi)) {
        positions.add(new Position(SparkValues.text(p, "instrument_id"), SparkValues.number(p, "quantity"),
            SparkValues.number(p, "entry_price")));
      }
    }
    List<CollateralBalance> collateral = new ArrayList<>();
    int ci = r.fieldIndex("collateral");
    if (!r.isNullAt(ci)) {
      for (Row c : r.<Row>getList(ci)) {
        collateral.add(new CollateralBalance(SparkValues.text(c, "asset"), SparkValues.number(c, "quantity")));
      }
    }
    return new Account(SparkValues.text(r, "account_id"), SparkValues.text(r, "parent_id"), SparkValues.text(r, "margin_mode"),
        SparkValues.text(r, "margin_currency"), positions, collateral);
  }
}
