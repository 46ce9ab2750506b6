package io.riskgrid.jobs.imports;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What an import must know of its checked book before it writes anything, in one pass over the walk's
 * {@link BookWalk#OUT} rows: the rows with a reason or a malformed text (few in a good book) and the rows
 * of the targets asked for, in the walk's order, then one tally row per (target, in_table) with the
 * partition's count of rows. A book read in account order keeps its accounts and collateral rows this
 * way and reads its positions again for their write ({@link SortedCsvBook.Layout#positions}), which
 * costs less than keeping 20M rows (BENCHMARKS.md, stop 35).
 *
 * <p>Output columns: {@link BookWalk#OUT} and {@code rows}, null on a kept row and the count on a tally
 * row (whose other columns are null but for target and in_table).
 */
final class BookCheck implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;

  /** The name of the count column of a tally row. */
  static final String ROWS = "rows";

  /** {@link BookWalk#OUT} and {@link #ROWS}. */
  static final StructType OUT;

  static {
    List<StructField> fields = new ArrayList<>(List.of(BookWalk.OUT.fields()));
    fields.add(DataTypes.createStructField(ROWS, DataTypes.LongType, true));
    OUT = DataTypes.createStructType(fields);
  }

  /** Targets WRITE_NONE..WRITE_POSITIONS by input tables ACCOUNTS..ADDED. */
  private static final int TARGETS = BookWalk.WRITE_POSITIONS + 1;
  private static final int TABLES = BookWalk.ADDED + 1;

  private final boolean[] keep = new boolean[TARGETS];

  /** @param keepTargets the targets (BookWalk's write codes) whose rows are kept whether or not they have a problem */
  BookCheck(int... keepTargets) {
    for (int t : keepTargets) {
      keep[t] = true;
    }
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final long[] counts = new long[TARGETS * TABLES];
      private Row next;
      private int tally = -1;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        if (tally < 0) {
          while (rows.hasNext()) {
            Row r = rows.next();
            counts[r.getInt(0) * TABLES + r.getInt(1)]++;
            if (keep[r.getInt(0)] || !r.isNullAt(11) || !r.isNullAt(12)) {
              next = kept(r);
              return true;
            }
          }
          tally = 0;
        }
        for (; tally < counts.length; tally++) {
          if (counts[tally] > 0) {
            Object[] values = new Object[OUT.size()];
            values[0] = tally / TABLES;
            values[1] = tally % TABLES;
            values[OUT.size() - 1] = counts[tally];
            next = RowFactory.create(values);
            tally++;
            return true;
          }
        }
        return false;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
      }
    };
  }

  private static Row kept(Row r) {
    Object[] values = new Object[OUT.size()];
    for (int k = 0; k < r.size(); k++) {
      values[k] = r.get(k);
    }
    return RowFactory.create(values);
  }
}
