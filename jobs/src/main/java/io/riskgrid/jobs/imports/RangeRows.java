package io.riskgrid.jobs.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.util.CollationFactory;
import org.apache.spark.sql.catalyst.util.CollationSupport;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;

/**
 * The {@link BookWalk#IN} rows of one range: each file read from its start, lines below the range
 * skipped, until the first line at or above its upper bound; the three files merged by account, an
 * account's accounts rows first, then its collateral and its positions, each by item_key and line.
 */
final class RangeRows implements Iterator<Row> {
  private final Stream[] streams;
  private final SortedCsvBook.Range range;
  private final List<Row> group = new ArrayList<>();
  private int emitted;

  /**
   * @param stamps each file as the survey saw it: a file that is no longer so fails the task, naming it
   * @param rowsRead counts the rows read, for progress lines; null for none
   * @param read which of the files to read; the others give no rows
   */
  RangeRows(HadoopConf conf, List<SortedCsvBook.CsvFile> files, List<SortedCsvBook.Stamp> stamps,
      SortedCsvBook.Range range, boolean icu, LongAccumulator rowsRead, boolean[] read) {
    this.range = range;
    streams = new Stream[files.size()];
    for (int k = 0; k < files.size(); k++) {
      streams[k] = new Stream(conf, files.get(k), stamps.get(k), range, read[k] ? range.starts()[k] : null, icu, rowsRead);
    }
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> close());
    }
  }

  @Override
  public boolean hasNext() {
    if (emitted < group.size()) {
      return true;
    }
    group.clear();
    emitted = 0;
    String account = null;
    for (Stream s : streams) {
      if (s.head != null && (account == null || SortedCsvBook.compareUtf8(s.headId, account) < 0)) {
        account = s.headId;
      }
    }
    if (account == null) {
      close();
      return false;
    }
    for (Stream s : streams) {
      int from = group.size();
      while (s.head != null && s.headId.equals(account)) {
        group.add(s.head);
        s.advance();
      }
      if (s.file.table() != BookWalk.ACCOUNTS && group.size() - from > 1) {
        // Stable: rows of one item_key keep their line order.
        group.subList(from, group.size()).sort((x, y) -> SortedCsvBook.compareNullsFirst(x.getString(3), y.getString(3)));
      }
    }
    return true;
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return group.get(emitted++);
  }

  private void close() {
    for (Stream s : streams) {
      s.close();
    }
  }

  /** One file's rows within a range, one row ahead. */
  private static final class Stream {
    private final SortedCsvBook.CsvFile file;
    private final SortedCsvBook.Range range;
    private final boolean icu;
    private final LongAccumulator rowsRead;
    private final FSDataInputStream in;
    private final LineCursor lines;
    private boolean closed;
    private long line;
    Row head;
    String headId;

    Stream(HadoopConf conf, SortedCsvBook.CsvFile file, SortedCsvBook.Stamp stamp, SortedCsvBook.Range range,
        SortedCsvBook.Start start, boolean icu, LongAccumulator rowsRead) {
      this.file = file;
      this.range = range;
      this.icu = icu;
      this.rowsRead = rowsRead;
      if (start == null) {
        in = null;
        lines = null;
        return;
      }
      try {
        Path path = new Path(file.path());
        FileSystem fs = path.getFileSystem(conf.get());
        FileStatus now = fs.getFileStatus(path);
        if (now.getLen() != stamp.length() || now.getModificationTime() != stamp.modified()) {
          throw new IllegalStateException(file.path() + " changed while it was imported: " + stamp.length()
              + " bytes modified at " + java.time.Instant.ofEpochMilli(stamp.modified()) + " when surveyed, now "
              + now.getLen() + " bytes modified at " + java.time.Instant.ofEpochMilli(now.getModificationTime()));
        }
        in = fs.open(path);
        lines = LineCursor.at(in, start.offset());
      } catch (IOException e) {
        throw new UncheckedIOException(file.path() + ": " + e.getMessage(), e);
      }
      line = start.line();
      advance();
    }

    /** Moves {@link #head} to the next row of the range, or null at its end. */
    void advance() {
      String previous = headId;
      head = null;
      headId = null;
      if (lines == null || closed) {
        return;
      }
      try {
        while (lines.next()) {
          long index = line++;
          String text = new String(lines.bytes(), lines.from(), lines.length(), StandardCharsets.UTF_8);
          if (text.isBlank()) {
            continue;
          }
          List<String> fields = BookFile.splitCsv(text);
          int[] at = file.header().index();
          String id = BookFile.bookValue(fields, at[0]);
          if (fields.size() != file.header().width() || id == null
              || previous != null && SortedCsvBook.compareUtf8(id, previous) < 0) {
            throw new IllegalStateException(file.path() + " line " + (index + 1)
                + " is not as the survey of this import found it: the file changed while it was read");
          }
          if (range.lo() != null && SortedCsvBook.compareUtf8(id, range.lo()) < 0) {
            continue;
          }
          if (range.hi() != null && SortedCsvBook.compareUtf8(id, range.hi()) >= 0) {
            close();
            return;
          }
          head = row(fields, at, id, index + 1);
          headId = id;
          if (rowsRead != null) {
            rowsRead.add(1);
          }
          return;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(file.path() + ": " + e.getMessage(), e);
      }
      close();
    }

    /** The row BookFile then BookRows make of these fields (every value trimmed text, null when blank). */
    private Row row(List<String> fields, int[] at, String id, long lineNumber) {
      return switch (file.table()) {
        case BookWalk.ACCOUNTS -> RowFactory.create(BookWalk.ACCOUNTS, id, null, null,
            BookFile.bookValue(fields, at[3]), upper(BookFile.bookValue(fields, at[1])),
            upper(BookFile.bookValue(fields, at[2])), null, null, file.path(), lineNumber, null, null);
        case BookWalk.COLLATERAL -> {
          String asset = BookFile.bookValue(fields, at[1]);
          yield RowFactory.create(BookWalk.COLLATERAL, id, asset, upper(asset), null, null, null,
              BookFile.bookValue(fields, at[2]), null, file.path(), lineNumber, null, null);
        }
        case BookWalk.POSITIONS -> {
          String instrument = BookFile.bookValue(fields, at[1]);
          yield RowFactory.create(BookWalk.POSITIONS, id, instrument, instrument, null, null, null,
              BookFile.bookValue(fields, at[2]), BookFile.bookValue(fields, at[3]), file.path(), lineNumber, null, null);
        }
        default -> throw new IllegalArgumentException("table code " + file.table());
      };
    }


    /** Spark's upper() of the default collation, as BookRows applies it. */
    private String upper(String v) {
      return v == null ? null : CollationSupport.Upper.exec(UTF8String.fromString(v), CollationFactory.UTF8_BINARY_COLLATION_ID, icu).toString();
    }

    void close() {
      if (in != null && !closed) {
        closed = true;
        try {
          in.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
