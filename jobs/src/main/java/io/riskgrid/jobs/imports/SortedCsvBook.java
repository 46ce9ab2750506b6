package io.riskgrid.jobs.imports;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;

/**
 * The way in for a CSV book whose accounts, collateral and positions files are each in account_id order,
 * as an export ordered by account is: each range of account ids is read from the three files by one task,
 * which merges their lines by account and hands them to {@link BookWalk}, with no shuffle and no sort of
 * the whole book. {@link ClusteredBook}, for files in any order, moves every row once and sorts each range.
 *
 * <p>A survey ({@link CsvSurvey}) reads each file first, in chunks of {@link #CHUNK_BYTES}: it counts
 * the lines, checks that every data line has an account_id no smaller than the one before (in UTF-8 byte
 * order, as Spark sorts strings) and marks every {@code markEvery}-th data line with its account_id, byte
 * offset and line number. When every file passes, the ranges' bounds are taken from the accounts file's
 * marks, and each range's task ({@link RangeRows}) starts each file at the last mark before the range.
 * When a file does not pass (a line out of order, a blank account_id, a line the header's fields do not
 * fit, a compressed file, a directory), the survey says where, and the caller takes the shuffle. A look
 * at each chunk's first line comes before the survey and finds files of sorted parts joined out of order;
 * a survey chunk stops at its first line that does not pass; so a book in any order costs little.
 *
 * <p>The walk gets the rows that {@link BookFile} and {@link BookRows} would give, with the same line
 * numbers, in the order {@link ClusteredBook} sorts them: account_id, table, item_key, line.
 *
 * <p>The book is read more than once: once for the checks, and the positions file once more for its
 * write, as keeping 20M checked rows between the two cost more than reading them again (BENCHMARKS.md,
 * stop 35). Every read checks that the file's length and modification time are still the survey's.
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

  /**
   * The checked book, in {@link BookWalk#OUT} rows, or why the files need the shuffle (book null);
   * {@code walked} is the same rows before Spark converts them, for a pass that keeps few of them.
   * {@code positions} is the positions file alone read again by range, each line with an account_id as
   * the row the walk writes to positions (target WRITE_POSITIONS: every such line is written, whatever
   * its reason, which the walk's rows carry); null with the book.
   */
  record Layout(Dataset<Row> book, JavaRDD<Row> walked, Dataset<Row> positions, int ranges, String reason) {
    Layout(String reason) {
      this(null, null, null, 0, reason);
    }
  }

  /**
   * What the survey saw of a file: its length in bytes and modification time in milliseconds since the
   * epoch. Every later read of the file checks that both are still so, as the book is read more than once.
   */
  record Stamp(long length, long modified) implements Serializable {
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
    List<Stamp> stamps = new ArrayList<>();
    for (int k = 0; k < files.size(); k++) {
      PlainFile file = plainFile(hadoop, files.get(k).path());
      if (file.unfit() != null) {
        return new Layout(files.get(k).path() + ": " + file.unfit());
      }
      stamps.add(file.stamp());
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf conf = new HadoopConf(hadoop);
    List<CsvSurvey.Chunk> chunks = new ArrayList<>();
    for (int k = 0; k < files.size(); k++) {
      long length = stamps.get(k).length();
      for (long start = 0; start == 0 || start < length; start += chunkBytes) {
        chunks.add(new CsvSurvey.Chunk(k, start, Math.min(length, start + chunkBytes)));
      }
    }
    String glance = CsvSurvey.glance(hadoop, files, chunks);
    if (glance != null) {
      return new Layout(glance);
    }
    List<CsvSurvey.Survey> surveys = jsc.parallelize(chunks, chunks.size())
        .map(c -> CsvSurvey.survey(conf, files.get(c.file()), c, markEvery)).collect();

    // The chunks of each file in order: line numbers, marks, and the order across chunk ends.
    List<List<CsvSurvey.Mark>> marks = new ArrayList<>();
    long accountLines = 0;
    int at = 0;
    for (int k = 0; k < files.size(); k++) {
      List<CsvSurvey.Mark> fileMarks = new ArrayList<>();
      long base = 0;
      String last = null;
      for (; at < chunks.size() && chunks.get(at).file() == k; at++) {
        CsvSurvey.Survey s = surveys.get(at);
        if (s.problem() != null) {
          return new Layout(ImportBookJob.fileName(files.get(k).path()) + " line " + (base + s.problemLine() + 1)
              + ": " + s.problem());
        }
        if (s.firstId() != null) {
          if (last != null && compareUtf8(s.firstId(), last) < 0) {
            return new Layout(ImportBookJob.fileName(files.get(k).path()) + " line "
                + (base + s.marks().get(0).line() + 1) + ": account_id " + s.firstId() + " comes after " + last
                + ", so the file is not in account_id order");
          }
          last = s.lastId();
        }
        for (CsvSurvey.Mark m : s.marks()) {
          fileMarks.add(new CsvSurvey.Mark(m.id(), m.offset(), base + m.line()));
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
    JavaRDD<Range> byRange = jsc.parallelize(ranges, ranges.size());
    JavaRDD<Row> walked = byRange.mapPartitions(it ->
        walk.call(new RangeRows(conf, files, stamps, it.next(), icu, rowsRead, ALL_FILES)));
    Dataset<Row> positions = spark.createDataFrame(byRange.mapPartitions(it ->
        new Written(new RangeRows(conf, files, stamps, it.next(), icu, null, POSITIONS_FILE))), BookWalk.OUT);
    return new Layout(spark.createDataFrame(walked, BookWalk.OUT), walked, positions, ranges.size(), null);
  }

  private static final boolean[] ALL_FILES = {true, true, true};
  private static final boolean[] POSITIONS_FILE = {false, false, true};

  /**
   * Positions rows as the walk writes them: the number columns read as it reads them, nothing else
   * checked. Every row has an account_id, as the walk writes only those: the range read fails on a line
   * without one (the survey sent such a file to the shuffle).
   */
  private static final class Written implements Iterator<Row> {
    private final Iterator<Row> rows;

    Written(Iterator<Row> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Row next() {
      Row r = rows.next();
      return RowFactory.create(BookWalk.WRITE_POSITIONS, BookWalk.POSITIONS, r.getString(1), null, null, null,
          r.getString(2), BookWalk.number(r.getString(7)), BookWalk.number(r.getString(8)), null, null, null, null);
    }
  }

  /** A file as the survey sees it, or why it cannot be read by byte ranges (stamp then null). */
  private record PlainFile(Stamp stamp, String unfit) {}

  /** {@code file}'s stamp, or why it is not one plain file (a pattern, a directory, a compressed file). */
  private static PlainFile plainFile(Configuration hadoop, String file) {
    if (file.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
      return new PlainFile(null, "a path pattern, not one file");
    }
    Path path = new Path(file);
    FileStatus status;
    try {
      status = path.getFileSystem(hadoop).getFileStatus(path);
    } catch (IOException e) {
      return new PlainFile(null, "cannot be read: " + e.getMessage());
    }
    if (!status.isFile()) {
      return new PlainFile(null, "a directory, not one file");
    }
    if (new CompressionCodecFactory(hadoop).getCodec(path) != null) {
      return new PlainFile(null, "compressed, so it cannot be read from the middle");
    }
    return new PlainFile(new Stamp(status.getLen(), status.getModificationTime()), null);
  }

  /**
   * The lower bounds of ranges 1.. of about {@code accountsPerFile} accounts each, at least one range per
   * core, from the accounts file's marks (strictly increasing, none equal to the first account).
   */
  static String[] bounds(List<CsvSurvey.Mark> accountMarks, long accountLines, int cores, long accountsPerFile) {
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
  static Start start(List<CsvSurvey.Mark> marks, String lo) {
    if (marks.isEmpty()) {
      return null;
    }
    CsvSurvey.Mark from = marks.get(0);
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

}
