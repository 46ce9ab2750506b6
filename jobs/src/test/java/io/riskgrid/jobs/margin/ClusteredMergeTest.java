package io.riskgrid.jobs.margin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The merge of three account-sorted streams: accounts with all their rows, orphans, order checks. */
class ClusteredMergeTest {
  private static final StructType ACCOUNT = new StructType().add("account_id", DataTypes.StringType)
      .add("parent_id", DataTypes.StringType).add("margin_mode", DataTypes.StringType)
      .add("margin_currency", DataTypes.StringType);
  private static final StructType COLLATERAL = new StructType().add("account_id", DataTypes.StringType)
      .add("asset", DataTypes.StringType).add("quantity", DataTypes.DoubleType);
  private static final StructType POSITION = new StructType().add("account_id", DataTypes.StringType)
      .add("instrument_id", DataTypes.StringType).add("quantity", DataTypes.DoubleType)
      .add("entry_price", DataTypes.DoubleType);

  private static Row account(String id) {
    return new GenericRowWithSchema(new Object[] {id, null, "PORTFOLIO", "USD"}, ACCOUNT);
  }

  private static Row balance(String id, String asset, double q) {
    return new GenericRowWithSchema(new Object[] {id, asset, q}, COLLATERAL);
  }

  private static Row position(String id, String instrument, double q) {
    return new GenericRowWithSchema(new Object[] {id, instrument, q, 100.0}, POSITION);
  }

  private static List<AccountInputs.Item> merge(List<Row> a, List<Row> c, List<Row> p) {
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
  void aRepeatedAccountRowGetsTheSameRowsAsTheShufflePathGivesIt() {
    List<AccountInputs.Item> items = merge(List.of(account("B"), account("B")), List.of(),
        List.of(position("B", "P1", 1), position("B", "P2", 1)));
    assertEquals(2, items.size());
    assertEquals(items.get(0).account().positions(), items.get(1).account().positions());
    assertEquals(2, items.get(1).account().positions().size());
  }

  @Test
  void anUnsortedStreamFailsLoudlyNamingTheUnit() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> merge(List.of(account("B"), account("D")),
        List.of(), List.of(position("D", "P1", 1), position("B", "P2", 1))));
    assertTrue(e.getMessage().contains("unit-0") && e.getMessage().contains("not sorted"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> merge(List.of(account("D"), account("B")), List.of(), List.of()));
  }
}
