package io.riskgrid.jobs.imports;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.util.CollationFactory;
import org.apache.spark.sql.catalyst.util.CollationSupport;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;

/**
 * The way in for a CSV book whose accounts, collateral and positions files are each in account_id order,
 * as an export ordered by account is: each range of account ids is read from the three files by one task,
 * which merges their lines by account and hands them to {@link BookWalk}, with no shuffle and no sort of
 * the whole book. {@link ClusteredBook}, for files in any order, moves every row once and sorts each range.
 *
 * <p>A survey reads each file first, in chunks of {@link #CHUNK_BYTES}: it counts the lines, checks that
 * every data line has an account_id no smaller than the one before (in UTF-8 byte order, as Spark sorts
 * strings) and marks every {@code markEvery}-th data line with its account_id, byte offset and line
 * number. When every file passes, the ranges' bounds are taken from the accounts file's marks, and each
 * range's task starts each file at the last mark before the range. When a file does not pass (a line out
 * of order, a blank account_id, a line the header's fields do not fit, a compressed file, a directory),
 * the survey says where, and the caller takes the shuffle. A survey chunk stops at its first such line,
 * so a book in any order costs little more than a glance at each chunk.
 *
 * <p>The walk gets the rows that {@link BookFile} and {@link BookRows} would give, with the same line
 * numbers, in the order {@link ClusteredBook} sorts them: account_id, table, item_key, line.
 */
final class SortedCsvBook {
  /** Survey chunk: small enough to spread a file over the cores, large enough that tasks are few. */
  static final long CHUNK_BYTES = 32L << 20;
  /** Data lines between two marks: the most a range task skips in a file before its first line. */
  static final int MARK_EVERY = 1024;

  private static final Comparator<String> UTF8_ORDER = SortedCsvBook::compareUtf8;

  private SortedCsvBook() {}

  /** One CSV file of the book and its header. */
  record CsvFile(String path, BookFile.CsvHeader header, int table) implements Serializable {
    private static final long serialVersionUID = 1L;

    int idField() {
      return header.index()[0];
    }
  }

  /** The checked book, in {@link BookWalk#OUT} rows, or why the files need the shuffle (book null). */
  record Layout(Dataset<Row> book, int ranges, String reason) {}

  /** A data line marked by the survey: its account_id, the offset where it starts and its 0-based index. */
  record Mark(String id, long offset, long line) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * What the survey found in one chunk: the lines that start in it, the first and last account_id of its
   * data lines (null when it has none), its marks (line indices counted from the chunk's first line), and
   * the first line that stops the sorted read with why (-1 and null when none).
   */
  record Survey(long lines, long dataLines, String firstId, String lastId, List<Mark> marks, long problemLine,
      String problem) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Where one range's task starts reading a file: a line's offset and 0-based index, or nothing to read. */
  record Start(long offset, long line) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** One range of account ids, [lo, hi) with null for no bound, and where each file's reading starts. */
  record Range(String lo, String hi, Start[] starts) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The book read range by range, or the reason it cannot be.
   *
   * @param files accounts, collateral and positions, in that order (BookWalk's table codes)
   * @param rowsRead counts the rows as they are read, for progress lines; null for none
   */
  static Layout layOut(SparkSession spark, List<CsvFile> files, BookWalk walk, long accountsPerFile, long chunkBytes,
      int markEvery, LongAccumulator rowsRead) {
    Configuration hadoop = spark.sessionState().newHadoopConf();
    for (CsvFile f : files) {
      String unfit = unfit(hadoop, f.path());
      if (unfit != null) {
        return new Layout(null, 0, f.path() + ": " + unfit);
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf conf = new HadoopConf(hadoop);
    List<long[]> chunks = new ArrayList<>();
    for (int k = 0; k < files.size(); k++) {
      long length = length(hadoop, files.get(k).path());
      for (long start = 0; start == 0 || start < length; start += chunkBytes) {
        chunks.add(new long[] {k, start, Math.min(length, start + chunkBytes)});
      }
    }
    String glance = glance(hadoop, files, chunks);
    if (glance != null) {
      return new Layout(null, 0, glance);
    }
    List<Survey> surveys = jsc.parallelize(chunks, chunks.size())
        .map(c -> survey(conf, files.get((int) c[0]), c[1], c[2], markEvery)).collect();

    // The chunks of each file in order: line numbers, marks, and the order across chunk ends.
    List<List<Mark>> marks = new ArrayList<>();
    long accountLines = 0;
    int at = 0;
    for (int k = 0; k < files.size(); k++) {
      List<Mark> fileMarks = new ArrayList<>();
      long base = 0;
      String last = null;
      for (; at < chunks.size() && chunks.get(at)[0] == k; at++) {
        Survey s = surveys.get(at);
        if (s.problem() != null) {
          return new Layout(null, 0, ImportBookJob.fileName(files.get(k).path()) + " line " + (base + s.problemLine() + 1)
              + ": " + s.problem());
        }
        if (s.firstId() != null) {
          if (last != null && compareUtf8(s.firstId(), last) < 0) {
            return new Layout(null, 0, ImportBookJob.fileName(files.get(k).path()) + " line "
                + (base + s.marks().get(0).line() + 1) + ": account_id " + s.firstId() + " comes after " + last
                + ", so the file is not in account_id order");
          }
          last = s.lastId();
        }
        for (Mark m : s.marks()) {
          fileMarks.add(new Mark(m.id(), m.offset(), base + m.line()));
        }
        base += s.lines();
        if (k == 0) {
          accountLines += s.dataLines();
        }
      }
      marks.add(fileMarks);
    }
    String[] bounds = bounds(marks.get(0), accountLines, spark.sparkContext().defaultParallelism(), accountsPerFile);
    List<Range> ranges = new ArrayList<>();
    for (int r = 0; r <= bounds.length; r++) {
      String lo = r == 0 ? null : bounds[r - 1];
      String hi = r == bounds.length ? null : bounds[r];
      Start[] starts = new Start[files.size()];
      for (int k = 0; k < files.size(); k++) {
        starts[k] = start(marks.get(k), lo);
      }
      ranges.add(new Range(lo, hi, starts));
    }
    boolean icu = (Boolean) spark.sessionState().conf().getConf(SQLConf.ICU_CASE_MAPPINGS_ENABLED());
    Dataset<Row> book = spark.createDataFrame(jsc.parallelize(ranges, ranges.size())
        .mapPartitions(it -> walk.call(new RangeRows(conf, files, it.next(), icu, rowsRead))), BookWalk.OUT);
    return new Layout(book, ranges.size(), null);
  }

  /**
   * A look at the first data line of every chunk, on the driver, before the survey: a file whose account
   * blocks are out of order (each block sorted, as a concatenation of sorted parts is) shows it here at
   * the cost of one short read per chunk, where the survey would read every chunk through. Null when
   * nothing is out of order at the chunks' starts; lines the look cannot read are left to the survey.
   */
  private static String glance(Configuration hadoop, List<CsvFile> files, List<long[]> chunks) {
    byte[] previous = null;
    long previousAt = -1;
    int file = -1;
    for (long[] chunk : chunks) {
      if (chunk[0] != file) {
        file = (int) chunk[0];
        previous = null;
      }
      CsvFile f = files.get(file);
      Path path = new Path(f.path());
      try (FSDataInputStream in = path.getFileSystem(hadoop).open(path)) {
        LineCursor lines = LineCursor.at(in, LineCursor.lineStartAtOrAfter(in, chunk[1]));
        IdField field = new IdField(f.header());
        // A few lines at most: the header, a blank line or two.
        for (int k = 0; k < 4 && lines.next() && lines.lineStart() < chunk[2]; k++) {
          if (chunk[1] == 0 && k == 0) {
            continue;
          }
          if (field.read(lines.bytes(), lines.from(), lines.length()) != null || field.blank) {
            continue;
          }
          if (previous != null && compareBytes(field.id, field.idLength, previous, previous.length) < 0) {
            return ImportBookJob.fileName(f.path()) + ": the line at byte " + lines.lineStart() + " has account_id "
                + field.idText() + ", after " + new String(previous, StandardCharsets.UTF_8) + " at byte " + previousAt
                + ", so the file is not in account_id order";
          }
          previous = java.util.Arrays.copyOf(field.id, field.idLength);
          previousAt = lines.lineStart();
          break;
        }
      } catch (IOException e) {
        return f.path() + ": cannot be read: " + e.getMessage();
      }
    }
    return null;
  }

  /** Why {@code file} cannot be read by byte ranges (a directory, a pattern, a compressed file), or null. */
  private static String unfit(Configuration hadoop, String file) {
    if (file.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
      return "a path pattern, not one file";
    }
    Path path = new Path(file);
    try {
      FileStatus status = path.getFileSystem(hadoop).getFileStatus(path);
      if (!status.isFile()) {
        return "a directory, not one file";
      }
    } catch (IOException e) {
      return "cannot be read: " + e.getMessage();
    }
    if (new CompressionCodecFactory(hadoop).getCodec(path) != null) {
      return "compressed, so it cannot be read from the middle";
    }
    return null;
  }

  private static long length(Configuration hadoop, String file) {
    Path path = new Path(file);
    try {
      return path.getFileSystem(hadoop).getFileStatus(path).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The lower bounds of ranges 1.. of about {@code accountsPerFile} accounts each, at least one range per
   * core, from the accounts file's marks (strictly increasing, none equal to the first account).
   */
  static String[] bounds(List<Mark> accountMarks, long accountLines, int cores, long accountsPerFile) {
    int ranges = (int) Math.max(cores, (accountLines + accountsPerFile - 1) / accountsPerFile);
    if (ranges <= 1 || accountMarks.isEmpty()) {
      return new String[0];
    }
    TreeSet<String> bounds = new TreeSet<>(UTF8_ORDER);
    for (int k = 1; k < ranges; k++) {
      bounds.add(accountMarks.get((int) ((long) k * accountMarks.size() / ranges)).id());
    }
    bounds.remove(accountMarks.get(0).id());
    return bounds.toArray(String[]::new);
  }

  /** Where a range with lower bound {@code lo} starts in a file: its last mark below lo, else its first. */
  static Start start(List<Mark> marks, String lo) {
    if (marks.isEmpty()) {
      return null;
    }
    Mark from = marks.get(0);
    if (lo != null) {
      int low = 0;
      int high = marks.size() - 1;
      while (low <= high) {
        int mid = (low + high) >>> 1;
        if (compareUtf8(marks.get(mid).id(), lo) < 0) {
          from = marks.get(mid);
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
    }
    return new Start(from.offset(), from.line());
  }

  /** Surveys the lines that start in [start, end) of {@code file}. */
  static Survey survey(HadoopConf conf, CsvFile file, long start, long end, int markEvery) throws IOException {
    Path path = new Path(file.path());
    try (FSDataInputStream in = path.getFileSystem(conf.get()).open(path)) {
      LineCursor lines = LineCursor.at(in, LineCursor.lineStartAtOrAfter(in, start));
      long count = 0;
      long data = 0;
      String first = null;
      byte[] last = null;
      int lastLength = 0;
      List<Mark> marks = new ArrayList<>();
      IdField field = new IdField(file.header());
      while (lines.next() && lines.lineStart() < end) {
        long index = count++;
        if (start == 0 && index == 0) {
          continue;
        }
        String problem = field.read(lines.bytes(), lines.from(), lines.length());
        if (problem != null) {
          return new Survey(count, data, first, null, marks, index, problem);
        }
        if (field.blank) {
          continue;
        }
        if (last != null && compareBytes(field.id, field.idLength, last, lastLength) < 0) {
          return new Survey(count, data, first, null, marks, index, "account_id " + field.idText() + " comes after "
              + new String(last, 0, lastLength, StandardCharsets.UTF_8) + ", so the file is not in account_id order");
        }
        if (last == null || last.length < field.idLength) {
          last = new byte[Math.max(32, field.idLength * 2)];
        }
        System.arraycopy(field.id, 0, last, 0, field.idLength);
        lastLength = field.idLength;
        if (data % markEvery == 0) {
          String id = field.idText();
          marks.add(new Mark(id, lines.lineStart(), index));
          if (first == null) {
            first = id;
          }
        }
        data++;
      }
      return new Survey(count, data, first, last == null ? null : new String(last, 0, lastLength, StandardCharsets.UTF_8),
          marks, -1, null);
    }
  }

  /**
   * The account_id of one CSV line as the reader would give it: a line of plain ASCII without quotes is
   * cut at its commas here; any other line is decoded and split as {@link BookFile} splits it, and its
   * account_id is compared by its UTF-8 bytes, as Spark compares strings.
   */
  static final class IdField {
    private final int idField;
    private final int width;
    byte[] id = new byte[64];
    int idLength;
    boolean blank;

    IdField(BookFile.CsvHeader header) {
      this.idField = header.index()[0];
      this.width = header.width();
    }

    /** Reads a line: null when it is blank or has an account_id, else why it stops the sorted read. */
    String read(byte[] bytes, int from, int length) {
      boolean plain = true;
      boolean allSpace = true;
      for (int i = from; i < from + length; i++) {
        byte b = bytes[i];
        if (b < 0x20 && b != '\t' || b == 0x7f || b < 0 || b == '"') {
          plain = false;
          break;
        }
        if (b != ' ' && b != '\t') {
          allSpace = false;
        }
      }
      if (!plain) {
        return readText(new String(bytes, from, length, StandardCharsets.UTF_8));
      }
      blank = allSpace;
      if (blank) {
        return null;
      }
      int field = 0;
      int fieldStart = from;
      int idFrom = -1;
      int idTo = -1;
      for (int i = from; i <= from + length; i++) {
        if (i == from + length || bytes[i] == ',') {
          if (field == idField) {
            idFrom = fieldStart;
            idTo = i;
          }
          field++;
          fieldStart = i + 1;
        }
      }
      if (field != width) {
        return "has " + field + " fields, the header has " + width;
      }
      while (idFrom < idTo && bytes[idFrom] <= ' ') {
        idFrom++;
      }
      while (idTo > idFrom && bytes[idTo - 1] <= ' ') {
        idTo--;
      }
      if (idFrom == idTo) {
        return "account_id is blank";
      }
      setId(bytes, idFrom, idTo - idFrom);
      return null;
    }

    private String readText(String line) {
      blank = line.isBlank();
      if (blank) {
        return null;
      }
      List<String> fields;
      try {
        fields = BookFile.splitCsv(line);
      } catch (IllegalArgumentException e) {
        return "malformed CSV: " + e.getMessage();
      }
      if (fields.size() != width) {
        return "has " + fields.size() + " fields, the header has " + width;
      }
      String value = BookFile.blankToNull(fields.get(idField));
      if (value == null || value.isEmpty()) {
        return "account_id is blank";
      }
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      setId(utf8, 0, utf8.length);
      return null;
    }

    private void setId(byte[] bytes, int from, int length) {
      if (id.length < length) {
        id = new byte[length * 2];
      }
      System.arraycopy(bytes, from, id, 0, length);
      idLength = length;
    }

    String idText() {
      return new String(id, 0, idLength, StandardCharsets.UTF_8);
    }
  }

  /** Unsigned byte order, as Spark compares UTF-8 strings. */
  static int compareBytes(byte[] a, int aLength, byte[] b, int bLength) {
    return java.util.Arrays.compareUnsigned(a, 0, aLength, b, 0, bLength);
  }

  /** Strings in the order of their UTF-8 bytes (Spark's string order), which UTF-16 order is below the surrogates. */
  static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x < Character.MIN_SURROGATE && y < Character.MIN_SURROGATE) {
          return x - y;
        }
        return UTF8String.fromString(a).compareTo(UTF8String.fromString(b));
      }
    }
    return a.length() - b.length();
  }

  /** {@link #compareUtf8} with null first, as Spark sorts ascending. */
  static int compareNullsFirst(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return compareUtf8(a, b);
  }

  /**
   * The {@link BookWalk#IN} rows of one range: each file read from its start, lines below the range
   * skipped, until the first line at or above its upper bound; the three files merged by account, an
   * account's accounts rows first, then its collateral and its positions, each by item_key and line.
   */
  static final class RangeRows implements Iterator<Row> {
    private final Stream[] streams;
    private final Range range;
    private final List<Row> group = new ArrayList<>();
    private int emitted;

    RangeRows(HadoopConf conf, List<CsvFile> files, Range range, boolean icu, LongAccumulator rowsRead) {
      this.range = range;
      streams = new Stream[files.size()];
      for (int k = 0; k < files.size(); k++) {
        streams[k] = new Stream(conf, files.get(k), range, range.starts()[k], icu, rowsRead);
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
        if (s.head != null && (account == null || compareUtf8(s.headId, account) < 0)) {
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
          group.subList(from, group.size()).sort((x, y) -> compareNullsFirst(x.getString(3), y.getString(3)));
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
  }

  /** One file's rows within a range, one row ahead. */
  private static final class Stream {
    private final CsvFile file;
    private final Range range;
    private final boolean icu;
    private final LongAccumulator rowsRead;
    private final FSDataInputStream in;
    private final LineCursor lines;
    private boolean closed;
    private long line;
    Row head;
    String headId;

    Stream(HadoopConf conf, CsvFile file, Range range, Start start, boolean icu, LongAccumulator rowsRead) {
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
        in = path.getFileSystem(conf.get()).open(path);
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
          String id = column(fields, at[0]);
          if (fields.size() != file.header().width() || id == null
              || previous != null && compareUtf8(id, previous) < 0) {
            throw new IllegalStateException(file.path() + " line " + (index + 1)
                + " is not as the survey of this import found it: the file changed while it was read");
          }
          if (range.lo() != null && compareUtf8(id, range.lo()) < 0) {
            continue;
          }
          if (range.hi() != null && compareUtf8(id, range.hi()) >= 0) {
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
        case BookWalk.ACCOUNTS -> RowFactory.create(BookWalk.ACCOUNTS, id, null, null, column(fields, at[3]),
            upper(column(fields, at[1])), upper(column(fields, at[2])), null, null, file.path(), lineNumber, null, null);
        case BookWalk.COLLATERAL -> {
          String asset = column(fields, at[1]);
          yield RowFactory.create(BookWalk.COLLATERAL, id, asset, upper(asset), null, null, null, column(fields, at[2]),
              null, file.path(), lineNumber, null, null);
        }
        case BookWalk.POSITIONS -> {
          String instrument = column(fields, at[1]);
          yield RowFactory.create(BookWalk.POSITIONS, id, instrument, instrument, null, null, null,
              column(fields, at[2]), column(fields, at[3]), file.path(), lineNumber, null, null);
        }
        default -> throw new IllegalArgumentException("table code " + file.table());
      };
    }

    /** A field as BookFile gives it (trimmed, null when blank or absent) and BookRows keeps it (null when empty). */
    private static String column(List<String> fields, int index) {
      String v = index < 0 ? null : BookFile.blankToNull(fields.get(index));
      return v == null || v.isEmpty() ? null : v;
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

  /** A Hadoop configuration that travels to the tasks (Spark's own wrapper is internal). */
  static final class HadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient Configuration conf;

    HadoopConf(Configuration conf) {
      this.conf = conf;
    }

    Configuration get() {
      return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      conf = new Configuration(false);
      conf.readFields(in);
    }
  }
}
