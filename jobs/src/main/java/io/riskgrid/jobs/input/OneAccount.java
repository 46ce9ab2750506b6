package io.riskgrid.jobs.input;

import io.riskgrid.jobs.spark.KeyLookup;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.spark.sql.Row;

/**
 * One account of one date with its positions and collateral, for a command that looks at a single
 * account ({@code explain}). Each table is read by {@link KeyLookup}: the date prunes partitions and
 * account_id skips every file whose min/max statistics exclude it, so the cost does not grow with the
 * exchange (the generator and {@code import book} cluster these tables by account_id).
 */
public final class OneAccount {
  private OneAccount() {}

  /**
   * @param account the account, or null when the accounts table of the date has no such id
   * @param filesRead data files opened per table name (accounts, positions, collateral)
   */
  public record Read(Account account, Map<String, Long> filesRead) {}

  /** The three lookups one after another. */
  public static Read read(Warehouse warehouse, LocalDate asOf, String accountId) {
    return read(warehouse, asOf, accountId, Runnable::run);
  }

  /** The three lookups run on {@code executor}, together when it has threads for them. */
  public static Read read(Warehouse warehouse, LocalDate asOf, String accountId, Executor executor) {
    CompletableFuture<KeyLookup.Result> accounts = lookup(warehouse, InputTables.ACCOUNTS, asOf, accountId, executor);
    CompletableFuture<KeyLookup.Result> positionRows = lookup(warehouse, InputTables.POSITIONS, asOf, accountId, executor);
    CompletableFuture<KeyLookup.Result> collateralRows = lookup(warehouse, InputTables.COLLATERAL, asOf, accountId, executor);
    Map<String, Long> files = new LinkedHashMap<>();
    List<Row> accountRows = join(accounts, InputTables.ACCOUNTS, files);
    List<Position> positions = new ArrayList<>();
    for (Row p : join(positionRows, InputTables.POSITIONS, files)) {
      positions.add(AccountInputs.position(p));
    }
    List<CollateralBalance> collateral = new ArrayList<>();
    for (Row c : join(collateralRows, InputTables.COLLATERAL, files)) {
      collateral.add(AccountInputs.balance(c));
    }
    if (accountRows.size() > 1) {
      throw new IllegalStateException("the accounts table has " + accountRows.size() + " rows for account " + accountId
          + " on " + asOf + "; an account has one row per date (re-import or regenerate the date)");
    }
    Account account = accountRows.isEmpty() ? null : AccountInputs.account(accountRows.get(0), positions, collateral);
    return new Read(account, files);
  }

  private static CompletableFuture<KeyLookup.Result> lookup(Warehouse warehouse, Table table, LocalDate asOf, String accountId,
      Executor executor) {
    return CompletableFuture.supplyAsync(() -> KeyLookup.of(warehouse, table, asOf, "account_id", accountId), executor);
  }

  /** The rows of a finished lookup, its files counted under the table's name; its own exception if it failed. */
  private static List<Row> join(CompletableFuture<KeyLookup.Result> lookup, Table table, Map<String, Long> files) {
    KeyLookup.Result r;
    try {
      r = lookup.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    files.put(table.name(), r.filesRead());
    return r.rows();
  }
}
