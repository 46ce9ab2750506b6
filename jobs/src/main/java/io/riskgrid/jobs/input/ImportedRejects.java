package io.riskgrid.jobs.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.min;

import io.riskgrid.jobs.spark.SharedRejects;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.margin.Account;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * The link from {@code import book} to the margin run (DESIGN §7.1): a row the import rejected makes its
 * account REJECTED, never margined on the rows that were left. The import writes one {@code rejects} row
 * per bad input row, with {@code source_table} {@code import book: <file>} and {@code key} the account_id
 * the row belongs to; the margin run gives each such account the first of those reasons.
 */
public final class ImportedRejects {
  /** The {@code source_table} prefix of import-book rejects is {@code import book:}. */
  public static final String IMPORTER = "book";

  private ImportedRejects() {}

  /** account_id → the reason its margins row gives, for every account with an import-book reject of {@code asOf}. */
  public static Map<String, String> reasons(Warehouse warehouse, LocalDate asOf) {
    return reasons(warehouse, asOf, col("key").isNotNull());
  }

  /** The reason for one account ({@code explain}), or null when the import rejected none of its rows. */
  public static String reason(Warehouse warehouse, LocalDate asOf, String accountId) {
    return reasons(warehouse, asOf, col("key").equalTo(accountId)).get(accountId);
  }

  private static Map<String, String> reasons(Warehouse warehouse, LocalDate asOf, Column keys) {
    Map<String, String> byAccount = new HashMap<>();
    if (!warehouse.exists(OutputTables.REJECTS)) {
      return byAccount;
    }
    for (Row r : warehouse.read(OutputTables.REJECTS, asOf).filter(SharedRejects.fromImport(IMPORTER)).filter(keys)
        .groupBy("key").agg(min("reason").as("reason"), count("*").as("rows")).collectAsList()) {
      long rows = r.getLong(2);
      byAccount.put(r.getString(0), "import book rejected " + (rows == 1 ? "a row" : rows + " rows") + " of this account"
          + (rows == 1 ? ": " : "; the first: ") + r.getString(1));
    }
    return byAccount;
  }

  /** {@code inputs} with every account of {@code reasons} marked; the same partitions, no shuffle. */
  public static AccountInputs.Stream mark(Warehouse warehouse, AccountInputs.Stream inputs, Map<String, String> reasons) {
    if (reasons.isEmpty()) {
      return inputs;
    }
    Broadcast<Map<String, String>> shared = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext())
        .broadcast(reasons);
    return new AccountInputs.Stream(inputs.items().map(item -> {
      Account a = item.account();
      String reason = a == null ? null : shared.value().get(a.accountId());
      return reason == null ? item : new AccountInputs.Item(a.withInputReject(reason), null);
    }), inputs.groupingPath(), inputs.shuffleReason());
  }
}
