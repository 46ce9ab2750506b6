package io.riskgrid.jobs.margin;

import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * Merges three streams sorted by account_id (accounts, collateral, positions of one account range)
 * into accounts with their rows, like a merge join, in one pass and without buffering more than one
 * account. Rows of an id with no account row come out as orphans. A stream out of order means the
 * files are not sorted as the layout promised: that fails the task with the file named, because
 * carrying on would split an account's positions between two results.
 */
final class ClusteredMerge implements Iterator<AccountInputs.Item> {
  private final Iterator<Row> accounts;
  private final Peeking collateral;
  private final Peeking positions;
  private final String unit;
  private final List<AccountInputs.Item> ready = new ArrayList<>();
  private int next;
  private String lastAccount;
  private Account last;

  ClusteredMerge(Iterator<Row> accounts, Iterator<Row> collateral, Iterator<Row> positions, String unit) {
    this.accounts = accounts;
    this.collateral = new Peeking(collateral, "collateral", unit);
    this.positions = new Peeking(positions, "positions", unit);
    this.unit = unit;
  }

  @Override
  public boolean hasNext() {
    while (next == ready.size()) {
      ready.clear();
      next = 0;
      if (!fill()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public AccountInputs.Item next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.get(next++);
  }

  /** Queues the next account (after the orphans before it), or the trailing orphans; false at the end. */
  private boolean fill() {
    if (!accounts.hasNext()) {
      orphansBefore(null);
      return !ready.isEmpty();
    }
    Row row = accounts.next();
    String id = SparkValues.text(row, "account_id");
    if (lastAccount != null && id.compareTo(lastAccount) < 0) {
      throw outOfOrder("accounts", id, lastAccount, unit);
    }
    if (id.equals(lastAccount)) {
      // A repeated account row gets the same rows, as the grouped (shuffle) path gives it.
      ready.add(new AccountInputs.Item(AccountInputs.account(row, last.positions(), last.collateral()), null));
      return true;
    }
    orphansBefore(id);
    List<CollateralBalance> balances = new ArrayList<>();
    while (collateral.hasIdEqualTo(id)) {
      balances.add(AccountInputs.balance(collateral.take()));
    }
    List<Position> held = new ArrayList<>();
    while (positions.hasIdEqualTo(id)) {
      held.add(AccountInputs.position(positions.take()));
    }
    last = AccountInputs.account(row, held, balances);
    lastAccount = id;
    ready.add(new AccountInputs.Item(last, null));
    return true;
  }

  /** Every collateral and position row with an id below {@code id} (all of them when null) is an orphan. */
  private void orphansBefore(String id) {
    while (collateral.hasIdBelow(id)) {
      Row r = collateral.take();
      ready.add(AccountInputs.Item.orphan("collateral", r.getString(0) + "/" + SparkValues.text(r, "asset")));
    }
    while (positions.hasIdBelow(id)) {
      Row r = positions.take();
      ready.add(AccountInputs.Item.orphan("positions", r.getString(0) + "/" + SparkValues.text(r, "instrument_id")));
    }
  }

  static IllegalStateException outOfOrder(String table, String id, String previous, String unit) {
    return new IllegalStateException(table + " rows of the account range starting in " + unit
        + " are not sorted by account_id (" + id + " after " + previous + "), so the no-shuffle read cannot group"
        + " them; rewrite the date sorted by account_id, or run with --grouping shuffle");
  }

  /** A sorted stream of rows whose first column is account_id, with one row of look-ahead. */
  private static final class Peeking {
    private final Iterator<Row> rows;
    private final String table;
    private final String unit;
    private Row head;
    private String headId;
    private String previousId;

    Peeking(Iterator<Row> rows, String table, String unit) {
      this.rows = rows;
      this.table = table;
      this.unit = unit;
    }

    private boolean load() {
      if (head == null && rows.hasNext()) {
        head = rows.next();
        headId = head.getString(0);
        if (previousId != null && headId.compareTo(previousId) < 0) {
          throw outOfOrder(table, headId, previousId, unit);
        }
        previousId = headId;
      }
      return head != null;
    }

    boolean hasIdEqualTo(String id) {
      return load() && headId.equals(id);
    }

    boolean hasIdBelow(String id) {
      return load() && (id == null || headId.compareTo(id) < 0);
    }

    Row take() {
      Row r = head;
      head = null;
      return r;
    }
  }
}
