package io.riskgrid.jobs.input;

import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Merges three streams sorted by account_id (accounts, collateral, positions of one account range)
 * into accounts with their rows, like a merge join, in one pass and without buffering more than one
 * account. Rows of an id with no account row come out as orphans. A stream out of order means the
 * files are not sorted as the layout promised: that fails the task with the file named, because
 * carrying on would split an account's positions between two results.
 *
 * <p>It reads Spark's internal rows by ordinal, so that the ids of 20 positions per account are
 * compared as bytes and never become Java strings: instrument ids and assets are interned (one String
 * per distinct id, whose hash code the engine's look-ups then reuse). Columns: accounts (account_id,
 * parent_id, margin_mode, margin_currency), collateral (account_id, asset, quantity), positions
 * (account_id, instrument_id, quantity, entry_price). Rows may be reused by the source iterator, so
 * nothing keeps a reference into a row after the next one is read.
 */
final class ClusteredMerge implements Iterator<AccountInputs.Item> {
  /** Distinct instrument ids and assets kept per partition; beyond it ids are simply copied. */
  private static final int INTERNED = 1 << 16;

  private final Iterator<InternalRow> accounts;
  private final Peeking collateral;
  private final Peeking positions;
  private final String unit;
  private final Map<UTF8String, String> interned = new HashMap<>();
  private final List<AccountInputs.Item> ready = new ArrayList<>();
  private int next;
  private UTF8String lastAccount;
  /** The last account read, held until the next account row shows whether its id repeats. */
  private Account pending;
  /** The account rows of {@link #pending}'s id, as {@link #rowText} shows them. */
  private final List<String> pendingRows = new ArrayList<>();

  ClusteredMerge(Iterator<InternalRow> accounts, Iterator<InternalRow> collateral, Iterator<InternalRow> positions,
      String unit) {
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

  /**
   * Queues the next account (after the orphans before it), or the trailing orphans; false at the end. An
   * account is held back until the next account row shows whether its id repeats: a repeated account_id
   * is one account, REJECTED naming every row ({@link AccountInputs#duplicateReason}), never two results.
   */
  private boolean fill() {
    while (accounts.hasNext()) {
      InternalRow row = accounts.next();
      UTF8String id = row.getUTF8String(0);
      if (lastAccount != null && id.compareTo(lastAccount) < 0) {
        throw outOfOrder("accounts", id.toString(), lastAccount.toString(), unit);
      }
      if (id.equals(lastAccount)) {
        pendingRows.add(rowText(row));
        continue;
      }
      boolean emitted = flushPending();
      orphansBefore(id);
      List<CollateralBalance> balances = new ArrayList<>();
      while (collateral.hasIdEqualTo(id)) {
        InternalRow c = collateral.take();
        balances.add(new CollateralBalance(intern(c, 1), number(c, 2)));
      }
      List<Position> held = new ArrayList<>();
      while (positions.hasIdEqualTo(id)) {
        InternalRow p = positions.take();
        held.add(new Position(intern(p, 1), number(p, 2), number(p, 3)));
      }
      pending = account(row, held, balances);
      pendingRows.clear();
      pendingRows.add(rowText(row));
      lastAccount = id.clone();
      if (emitted || !ready.isEmpty()) {
        return true;
      }
    }
    flushPending();
    orphansBefore(null);
    return !ready.isEmpty();
  }

  /** Queues the held-back account, REJECTED when its id had several rows; false when none was held. */
  private boolean flushPending() {
    if (pending == null) {
      return false;
    }
    ready.add(new AccountInputs.Item(pendingRows.size() == 1 ? pending
        : pending.withInputReject(AccountInputs.duplicateReason(pending.accountId(), pendingRows)), null));
    pending = null;
    return true;
  }

  /** An account row as the duplicate reason shows it: parent_id/margin_mode/margin_currency. */
  private static String rowText(InternalRow r) {
    return text(r, 1) + "/" + text(r, 2) + "/" + text(r, 3);
  }

  private static Account account(InternalRow r, List<Position> positions, List<CollateralBalance> collateral) {
    return new Account(text(r, 0), text(r, 1), text(r, 2), text(r, 3), positions, collateral);
  }

  /** Every collateral and position row with an id below {@code id} (all of them when null) is an orphan. */
  private void orphansBefore(UTF8String id) {
    while (collateral.hasIdBelow(id)) {
      InternalRow r = collateral.take();
      ready.add(AccountInputs.Item.orphan("collateral", text(r, 0) + "/" + text(r, 1)));
    }
    while (positions.hasIdBelow(id)) {
      InternalRow r = positions.take();
      ready.add(AccountInputs.Item.orphan("positions", text(r, 0) + "/" + text(r, 1)));
    }
  }

  private String intern(InternalRow r, int ordinal) {
    if (r.isNullAt(ordinal)) {
      return null;
    }
    UTF8String bytes = r.getUTF8String(ordinal);
    String known = interned.get(bytes);
    if (known != null) {
      return known;
    }
    String copy = bytes.toString();
    if (interned.size() < INTERNED) {
      interned.put(bytes.clone(), copy);
    }
    return copy;
  }

  private static String text(InternalRow r, int ordinal) {
    return r.isNullAt(ordinal) ? null : r.getUTF8String(ordinal).toString();
  }

  /** As {@link SparkValues#number}: a null number is NaN, never 0. */
  private static double number(InternalRow r, int ordinal) {
    return r.isNullAt(ordinal) ? Double.NaN : r.getDouble(ordinal);
  }

  static IllegalStateException outOfOrder(String table, String id, String previous, String unit) {
    return new IllegalStateException(table + " rows of the account range starting in " + unit
        + " are not sorted by account_id (" + id + " after " + previous + "), so the no-shuffle read cannot group"
        + " them; rewrite the date sorted by account_id, or run with --grouping shuffle");
  }

  /** A sorted stream of rows whose first column is account_id, with one row of look-ahead. */
  private static final class Peeking {
    private final Iterator<InternalRow> rows;
    private final String table;
    private final String unit;
    private InternalRow head;
    private UTF8String headId;
    /** A copy: the source may reuse the row that {@code headId} points into. */
    private UTF8String previousId;

    Peeking(Iterator<InternalRow> rows, String table, String unit) {
      this.rows = rows;
      this.table = table;
      this.unit = unit;
    }

    private boolean load() {
      if (head == null && rows.hasNext()) {
        head = rows.next();
        headId = head.getUTF8String(0);
        if (previousId == null || !headId.equals(previousId)) {
          if (previousId != null && headId.compareTo(previousId) < 0) {
            throw outOfOrder(table, headId.toString(), previousId.toString(), unit);
          }
          previousId = headId.clone();
        }
      }
      return head != null;
    }

    boolean hasIdEqualTo(UTF8String id) {
      return load() && headId.equals(id);
    }

    boolean hasIdBelow(UTF8String id) {
      return load() && (id == null || headId.compareTo(id) < 0);
    }

    InternalRow take() {
      InternalRow r = head;
      head = null;
      return r;
    }
  }
}
