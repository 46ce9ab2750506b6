package io.riskgrid.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Every Delta table of the warehouse (DESIGN §4), looked up by name. */
public final class Tables {

  private Tables() {}

  /** Inputs, then the margin and stress outputs, then the backtest tables. */
  public static final List<Table> ALL = concat(InputTables.ALL, OutputTables.ALL, BacktestTables.ALL);

  /** The table called {@code name}; the error lists the known names. */
  public static Table byName(String name) {
    for (Table table : ALL) {
      if (table.name().equals(name)) {
        return table;
      }
    }
    throw new IllegalArgumentException("no riskgrid table named '" + name + "'; known tables: " + names());
  }

  /** The names of {@link #ALL}, comma separated. */
  public static String names() {
    return ALL.stream().map(Table::name).collect(Collectors.joining(", "));
  }

  @SafeVarargs
  private static List<Table> concat(List<Table>... groups) {
    List<Table> all = new ArrayList<>();
    for (List<Table> group : groups) {
      all.addAll(group);
    }
    return List.copyOf(all);
  }
}
