package io.riskgrid.jobs.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The merge of three account-sorted streams: accounts with all their rows, orphans, order checks. */
class ClusteredMergeTest {
  private static InternalRow row(Object... values) {
    Object[] internal = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      internal[i] = values[i] instanceof String text ? UTF8String.fromString(text) : values[i];
    }
    return new GenericInternalRow(internal);
  }

  private static InternalRow account(String id) {
    return row(id, null, "PORTFOLIO", "USD");
  }

  private static InternalRow balance(String id, String asset, double q) {
    return row(id, asset, q);
  }

  private static InternalRow position(String id, String instrument, double q) {
    return row(id, instrument, q, 100.0);
  }

  private static List<AccountInputs.Item> merge(List<InternalRow> a, List<InternalRow> c, List<InternalRow> p) {
    List<AccountInputs.Item> out = new ArrayList<>();
    Iterator<AccountInputs.Item> it = new ClusteredMerge(a.iterator(), c.iterator(), p.iterator(), "unit-0");
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void accountsGetExactlyTheirRowsAndOtherRowsBecomeOrphansInOrder() {
    List<AccountInputs.Item> items = merge(
        List.of(account("B"), account("D"), account("F")),
        List.of(balance("A", "USD", 1), balance("B", "USD", 2), balance("B", "BTC", 3), balance("F", "USD", 4),
            balance("G", "ETH", 5)),
        List.of(position("B", "P1", 1), position("C", "P2", 2), position("D", "P3", 3), position("D", "P4", 4),
            position("Z", "P5", 5)));
    List<String> shape = new ArrayList<>();
    for (AccountInputs.Item i : items) {
      shape.add(i.account() != null ? i.account().accountId() + ":" + i.account().positions().size() + "p"
          + i.account().collateral().size() + "c" : i.orphan().sourceTable() + ":" + i.orphan().key());
    }
    assertEquals(List.of("collateral:A/USD", "B:1p2c", "positions:C/P2", "D:2p0c", "F:0p1c", "collateral:G/ETH",
        "positions:Z/P5"), shape);
    AccountInputs.Item orphan = items.get(0);
    assertNull(orphan.account());
    assertEquals(AccountInputs.ORPHAN_REASON, orphan.orphan().reason());
  }

  @Test
  void aRepeatedAccountIdIsOneAccountRejectedNamingEveryRow() {
    List<AccountInputs.Item> items = merge(List.of(account("A"), account("B"), row("B", "M1", "STANDARD", "BTC"),
            account("C")), List.of(balance("B", "USD", 5)),
        List.of(position("B", "P1", 1), position("B", "P2", 1), position("BB", "P9", 1), position("C", "P3", 1)));
    List<String> shape = new ArrayList<>();
    for (AccountInputs.Item i : items) {
      shape.add(i.account() != null ? i.account().accountId() + ":" + i.account().positions().size() + "p"
          : i.orphan().sourceTable() + ":" + i.orphan().key());
    }
    assertEquals(List.of("A:0p", "B:2p", "positions:BB/P9", "C:1p"), shape);
    String reason = items.get(1).account().inputReject();
    assertEquals("account_id B has 2 rows in accounts (null/PORTFOLIO/USD; M1/STANDARD/BTC): an account is one row; "
        + "keep one", reason);
    assertNull(items.get(0).account().inputReject());
    assertNull(items.get(3).account().inputReject());
  }

  @Test
  void instrumentIdsAreInternedSoEqualIdsShareOneString() {
    List<AccountInputs.Item> items = merge(List.of(account("B"), account("C")), List.of(),
        List.of(position("B", "BTC-PERPETUAL", 1), position("C", "BTC-PERPETUAL", 2)));
    assertTrue(items.get(0).account().positions().get(0).instrumentId()
        == items.get(1).account().positions().get(0).instrumentId());
    assertEquals(Double.NaN, merge(List.of(account("B")), List.of(), List.of(row("B", "X", null, null)))
        .get(0).account().positions().get(0).quantity(), "a null quantity is NaN, never 0");
  }

  @Test
  void anUnsortedStreamFailsLoudlyNamingTheUnit() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> merge(List.of(account("B"), account("D")),
        List.of(), List.of(position("D", "P1", 1), position("B", "P2", 1))));
    assertTrue(e.getMessage().contains("unit-0") && e.getMessage().contains("not sorted"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> merge(List.of(account("D"), account("B")), List.of(), List.of()));
  }
}
