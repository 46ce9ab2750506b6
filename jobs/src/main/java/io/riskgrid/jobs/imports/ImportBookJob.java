package io.riskgrid.jobs.imports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.DeribitNames;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.jobs.input.ImportedRejects;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SharedRejects;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.StageTimer;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code riskgrid import book} (DESIGN §7.1), the Spark half: a book's accounts, collateral and positions
 * files (and optionally instruments) checked row by row and written as one date's slices, in the layout
 * the margin job reads without a shuffle (DESIGN §4).
 *
 * <p>A malformed file (a missing column, a line that does not split into the header's fields) fails the
 * import before anything is written, naming the file and line. Every other bad row goes to {@code rejects}
 * ({@code source_table} {@code import book: <file>}, {@code key} its account_id, the reason starting with
 * the file name and line) and its account is written as given, so that the next margin run makes it
 * REJECTED with that reason ({@link ImportedRejects}); nothing is dropped and nothing becomes a 0. An
 * account with positions or collateral but no accounts row is written with an empty accounts row, so
 * that it too gets its REJECTED margins row. The instruments file adds new ids to {@code instruments};
 * an id already there with other terms is a reject naming it, and the existing row stays.
 */
public final class ImportBookJob {
  /** Accounts per written file, as the generator: files stay well under spark.sql.files.maxPartitionBytes. */
  static final long ACCOUNTS_PER_FILE = 100_000;

  static final List<String> ACCOUNT_COLUMNS = List.of("account_id", "margin_mode", "margin_currency");
  static final List<String> COLLATERAL_COLUMNS = List.of("account_id", "asset", "quantity");
  static final List<String> POSITION_COLUMNS = List.of("account_id", "instrument_id", "quantity");
  static final List<String> ACCOUNT_OPTIONAL = List.of("parent_id");
  static final List<String> POSITION_OPTIONAL = List.of("entry_price");
  static final List<String> INSTRUMENT_COLUMNS = List.of("instrument_id", "underlying", "kind", "settlement", "multiplier");

  private ImportBookJob() {}

  /**
   * The files of one book; {@code instruments} may be null. A Deribit snapshot is the whole book in
   * {@code positions}, with {@code accounts}, {@code collateral} and {@code instruments} null.
   */
  public record Files(BookFormat format, String accounts, String collateral, String positions, String instruments) {}

  /** Rows read, written and rejected for one input table. */
  public record TableCounts(long in, long written, long rejected) {}

  /**
   * What the import did; counts by table name (accounts, collateral, positions, instruments); how the book
   * was brought together by account ({@code readPath}: the sorted files' ranges, or the shuffle and why).
   */
  public record Result(String runId, LocalDate asOfDate, Map<String, TableCounts> counts, long accountsRejected,
      long accountsAdded, List<String> firstRejects, String readPath) {}

  /** How a book's rows reach the checks: CSV files in account_id order by range when they are, else one shuffle. */
  enum Read {
    SORTED_WHEN_SORTED, SHUFFLE
  }

  public static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, Files files) {
    return run(spark, warehouse, asOf, files, Read.SORTED_WHEN_SORTED);
  }

  static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, Files files, Read read) {
    RunRecord run = RunRecord.start("import book", asOf).config("format=" + files.format());
    StageTimer stages = StageTimer.of(run);
    BookFormat format = files.format();
    String word = format.positionWord();

    boolean deribit = format == BookFormat.DERIBIT;
    // A snapshot is read once and split three ways, and its instrument names are read before the checks: kept.
    DeribitSnapshot.Raw snapshot = deribit ? DeribitSnapshot.read(spark, files.positions()).persist() : null;
    Dataset<Row> accounts = deribit ? snapshot.accounts()
        : BookFile.read(spark, format, files.accounts(), ACCOUNT_COLUMNS, ACCOUNT_OPTIONAL);
    Dataset<Row> collateral = deribit ? snapshot.collateral()
        : BookFile.read(spark, format, files.collateral(), COLLATERAL_COLUMNS, List.of());
    Dataset<Row> positions = deribit ? snapshot.positions()
        : BookFile.read(spark, format, files.positions(), POSITION_COLUMNS, POSITION_OPTIONAL);
    List<Row> instrumentRows = files.instruments() == null ? null : BookFile.read(spark, format, files.instruments(),
        INSTRUMENT_COLUMNS, List.of("option_type", "strike", "expiry")).orderBy(BookFile.LINE).collectAsList();
    Dataset<Row> book = null;
    Dataset<Row> checks = null;
    try {
      // Instruments: few, checked on the driver with the engine's own validation.
      warehouse.ensureTables();
      List<Row> instrumentRejects = new ArrayList<>();
      List<Instrument> added = new ArrayList<>();
      Map<String, Instrument> known = stages.time("read_instruments", () -> existingInstruments(warehouse));
      long instrumentsIn = 0;
      Row instrumentsMalformed = null;
      if (instrumentRows != null) {
        instrumentsIn = instrumentRows.size();
        instrumentsMalformed = instrumentRows.stream().filter(r -> r.getAs(BookFile.MALFORMED) != null).findFirst()
            .orElse(null);
        if (instrumentsMalformed == null) {
          checkInstruments(instrumentRows, known, added, instrumentRejects, word);
        }
      }
      // Deribit sizes are read as contracts by the name's terms: where instruments has other terms, they cannot be.
      Set<String> unreadable = new TreeSet<>();
      if (deribit) {
        // Every name that parses is an instrument; one that does not is already its position's problem.
        List<Row> names = positions.filter(col(DeribitSnapshot.PROBLEM).isNull().and(col("instrument_id").isNotNull()))
            .groupBy("instrument_id").agg(org.apache.spark.sql.functions.min(BookFile.LINE).as(BookFile.LINE))
            .orderBy(BookFile.LINE).collectAsList();
        Map<String, Instrument> seen = new TreeMap<>();
        for (Row r : names) {
          String where = fileName(files.positions()) + " " + word + " " + r.<Long>getAs(BookFile.LINE) + ": ";
          if (!offer(DeribitNames.parse(r.getAs("instrument_id")), files.positions(), where, known, seen, added,
              instrumentRejects)) {
            unreadable.add(r.getAs("instrument_id"));
          }
        }
        instrumentsIn = names.size();
      }
      added.forEach(i -> known.put(i.id(), i));
      Map<String, BookWalk.Terms> terms = new HashMap<>();
      TreeSet<String> coins = new TreeSet<>();
      for (Instrument i : known.values()) {
        terms.put(i.id(), new BookWalk.Terms(i.underlying(), i.kind().name(), i.settlement().name()));
        coins.add(i.underlying());
      }
      StageTimer.Work checking = StageTimer.Work.of(spark, 0, "rows");
      BookWalk walk = new BookWalk(word, fileName(deribit ? files.positions() : files.accounts()), coins, terms, unreadable);
      // One pass reads every file, brings each account's rows together (CSV files already in account order
      // by range, anything else by one shuffle) and checks them, keeping the counts and the rows with a
      // problem. Nothing is written before the whole book has been read.
      String readPath = "shuffle: " + format + " files are brought together by one shuffle";
      Dataset<Row> laidOut = null;
      SortedCsvBook.Layout sorted = null;
      if (format == BookFormat.CSV && read == Read.SORTED_WHEN_SORTED) {
        List<SortedCsvBook.CsvFile> csv = List.of(
            csvFile(spark, files.accounts(), ACCOUNT_COLUMNS, ACCOUNT_OPTIONAL, BookWalk.ACCOUNTS),
            csvFile(spark, files.collateral(), COLLATERAL_COLUMNS, List.of(), BookWalk.COLLATERAL),
            csvFile(spark, files.positions(), POSITION_COLUMNS, POSITION_OPTIONAL, BookWalk.POSITIONS));
        sorted = stages.time("survey_files", () -> SortedCsvBook.layOut(spark, csv, walk,
            ACCOUNTS_PER_FILE, SortedCsvBook.CHUNK_BYTES, SortedCsvBook.MARK_EVERY, checking.done()));
        laidOut = sorted.book();
        readPath = laidOut != null ? "sorted: the files are in account_id order, read in " + sorted.ranges()
            + " account ranges without a shuffle" : "shuffle: " + sorted.reason();
      }
      if (laidOut == null) {
        laidOut = ClusteredBook.layOut(spark, accounts, BookRows.of(accounts, collateral, positions), walk,
            ACCOUNTS_PER_FILE, checking.done());
      }
      System.out.println("riskgrid import book " + asOf + ": " + readPath);
      run.config("format=" + format + "; read=" + readPath.substring(0, readPath.indexOf(':')));
      // The shuffle's result is kept whole, as a second shuffle would cost more. A book read in account
      // order keeps its accounts and collateral rows and reads its positions file again for their write,
      // which costs less than keeping 20M rows (BENCHMARKS.md, stop 35).
      boolean readAgain = sorted != null && sorted.book() != null;
      if (readAgain) {
        // The check pass takes the walk's rows before Spark converts them: most are counted, not kept.
        BookCheck check = new BookCheck(BookWalk.WRITE_ACCOUNTS, BookWalk.WRITE_COLLATERAL);
        checks = spark.createDataFrame(sorted.walked().mapPartitions(check::call), BookCheck.OUT);
      } else {
        book = laidOut.persist(StorageLevel.MEMORY_AND_DISK());
        checks = book.mapPartitions(new BookCheck(), Encoders.row(BookCheck.OUT));
      }
      checks = checks.persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> checked = checks;
      List<Row> tally = stages.time("check_book", checking, () -> checked.groupBy("in_table", "target")
          .agg(sum(BookCheck.ROWS).as("rows"), count("reason").as("rejected"), count(BookFile.MALFORMED).as("malformed"))
          .collectAsList());
      Dataset<Row> kept = checks.filter(col(BookCheck.ROWS).isNull()).drop(BookCheck.ROWS);
      Dataset<Row> problems = kept.filter(col("reason").isNotNull().or(col(BookFile.MALFORMED).isNotNull()));
      failOnMalformed(word, problems, tally, instrumentsMalformed);

      java.sql.Date d = SparkValues.date(asOf);
      stages.time("write_instruments", () -> MarketTables.mergeInstruments(spark, warehouse, added));
      Dataset<Row> positionsRead = readAgain ? sorted.positions() : null;
      IntFunction<Dataset<Row>> written = !readAgain ? ClusteredBook.byTarget(book)
          : target -> target == BookWalk.WRITE_POSITIONS ? positionsRead : ClusteredBook.byTarget(kept).apply(target);
      stages.time("write_book", () -> ClusteredBook.write(warehouse, written, asOf));
      Dataset<Row> rejects = problems.filter(col("reason").isNotNull());
      Dataset<Row> inputRejects = rejects.select(lit(d).as("as_of_date"), lit(run.runId()).as("run_id"),
          concat(lit(SharedRejects.IMPORT_PREFIX + ImportedRejects.IMPORTER + ": "), col(BookFile.SOURCE)).as("source_table"),
          col("account_id").as("key"), col("reason"));
      if (!instrumentRejects.isEmpty()) {
        inputRejects = inputRejects.unionByName(spark.createDataFrame(instrumentRejects.stream().map(r ->
            RowFactory.create(d, run.runId(), SharedRejects.IMPORT_PREFIX + ImportedRejects.IMPORTER + ": " + r.getString(0),
                null, r.getString(1))).toList(), OutputTables.REJECTS.schema()));
      }
      Dataset<Row> allRejects = inputRejects;
      stages.time("write_rejects", () -> SharedRejects.replace(warehouse, asOf, allRejects,
          SharedRejects.fromImport(ImportedRejects.IMPORTER)));

      long[] in = new long[4];
      long[] rejected = new long[4];
      long[] out = new long[4];
      for (Row r : tally) {
        int table = r.getInt(0);
        in[table] += r.getLong(2);
        rejected[table] += r.getLong(3);
        out[r.getInt(1)] += r.getLong(2);
      }
      Map<String, TableCounts> counts = new LinkedHashMap<>();
      counts.put("accounts", new TableCounts(in[BookWalk.ACCOUNTS], out[BookWalk.WRITE_ACCOUNTS], rejected[BookWalk.ACCOUNTS]));
      counts.put("collateral", new TableCounts(in[BookWalk.COLLATERAL], out[BookWalk.WRITE_COLLATERAL],
          rejected[BookWalk.COLLATERAL]));
      counts.put("positions", new TableCounts(in[BookWalk.POSITIONS], out[BookWalk.WRITE_POSITIONS],
          rejected[BookWalk.POSITIONS]));
      counts.put("instruments", new TableCounts(instrumentsIn, added.size(), instrumentRejects.size()));
      long accountsAdded = in[BookWalk.ADDED];
      long accountsRejected = rejects.filter(col("account_id").isNotNull()).select("account_id").distinct().count();
      List<String> first = rejects.orderBy(BookFile.SOURCE, BookFile.LINE).limit(ImportReport.REJECTS_LISTED)
          .collectAsList().stream().map(r -> r.<String>getAs("reason")).toList();
      List<String> firstRejects = new ArrayList<>();
      instrumentRejects.stream().limit(ImportReport.REJECTS_LISTED).forEach(r -> firstRejects.add(r.getString(1)));
      firstRejects.addAll(first);
      counts.forEach((table, c) -> run.count(table + "_in", c.in()).count(table + "_out", c.written())
          .count(table + "_rejected", c.rejected()));
      run.count("accounts_added_for_orphans", accountsAdded).count("accounts_rejected", accountsRejected)
          .groupingPath("clustered").finishAndAppend(warehouse, spark);
      return new Result(run.runId(), asOf, counts, accountsRejected, accountsAdded,
          firstRejects.subList(0, Math.min(ImportReport.REJECTS_LISTED, firstRejects.size())), readPath);
    } finally {
      if (book != null) {
        book.unpersist();
      }
      if (checks != null) {
        checks.unpersist();
      }
      if (snapshot != null) {
        snapshot.unpersist();
      }
    }
  }

  /** A CSV file of the book with its header's columns, in BookFile's order: required, then optional. */
  private static SortedCsvBook.CsvFile csvFile(SparkSession spark, String path, List<String> required,
      List<String> optional, int table) {
    List<String> columns = new ArrayList<>(required);
    columns.addAll(optional);
    return new SortedCsvBook.CsvFile(path, BookFile.csvHeader(spark, path, required, columns), table);
  }

  /**
   * The first malformed row of the book's files (accounts, collateral, positions, in that order), else of
   * the instruments file, fails the import, before anything is written.
   */
  private static void failOnMalformed(String word, Dataset<Row> problems, List<Row> tally, Row instruments) {
    boolean any = tally.stream().anyMatch(r -> r.getLong(4) > 0);
    Row bad = !any ? instruments : problems.filter(col(BookFile.MALFORMED).isNotNull()).orderBy("in_table", BookFile.LINE)
        .limit(1).collectAsList().get(0);
    if (bad != null) {
      throw new InvalidInputException(bad.getAs(BookFile.SOURCE) + " " + word + " " + bad.<Long>getAs(BookFile.LINE),
          bad.<String>getAs(BookFile.MALFORMED) + "; nothing was imported");
    }
  }

  private static Map<String, Instrument> existingInstruments(Warehouse warehouse) {
    Map<String, Instrument> byId = new TreeMap<>();
    MarketTables.readInstruments(warehouse).instruments().forEach(i -> byId.put(i.id(), i));
    return byId;
  }

  /** New instruments to {@code added}; malformed rows and conflicting terms to {@code rejects} as (source, reason). */
  private static void checkInstruments(List<Row> rows, Map<String, Instrument> known, List<Instrument> added,
      List<Row> rejects, String word) {
    Map<String, Instrument> seen = new TreeMap<>();
    for (Row r : rows) {
      String source = r.getAs(BookFile.SOURCE);
      String where = fileName(source) + " " + word + " " + r.<Long>getAs(BookFile.LINE) + ": ";
      Instrument i;
      try {
        i = instrument(r);
      } catch (InvalidInputException e) {
        rejects.add(RowFactory.create(source, where + e.getMessage()));
        continue;
      }
      offer(i, source, where, known, seen, added, rejects);
    }
  }

  /**
   * {@code i} to {@code added} when new; a reject when it conflicts with a known or an earlier definition.
   * Returns false on a conflict.
   */
  private static boolean offer(Instrument i, String source, String where, Map<String, Instrument> known,
      Map<String, Instrument> seen, List<Instrument> added, List<Row> rejects) {
    Instrument old = known.get(i.id());
    Instrument again = seen.put(i.id(), i);
    if (again != null && !again.equals(i)) {
      rejects.add(RowFactory.create(source, where + "instrument " + i.id() + " appears twice with different terms"));
      return false;
    }
    if (old != null && !old.equals(i)) {
      rejects.add(RowFactory.create(source, where + "instrument " + i.id() + " is already in instruments as " + old
          + "; this definition " + i + " was not written (instruments are shared by every date)"));
      return false;
    }
    if (old == null && again == null) {
      added.add(i);
    }
    return true;
  }

  private static Instrument instrument(Row r) {
    String id = r.getAs("instrument_id");
    String where = "instrument " + id;
    InstrumentKind kind = InstrumentKind.parse(where + ".kind", r.getAs("kind"));
    OptionType type = kind == InstrumentKind.OPTION ? OptionType.parse(where + ".option_type", r.getAs("option_type")) : null;
    String expiry = r.getAs("expiry");
    Instant at = kind == InstrumentKind.PERPETUAL || expiry == null ? null
        : TimeConventions.parseInstant(where + ".expiry", expiry);
    return new Instrument(id, r.getAs("underlying"), kind, Settlement.parse(where + ".settlement", r.getAs("settlement")),
        type, number(where + ".strike", r.getAs("strike")), at, number(where + ".multiplier", r.getAs("multiplier")));
  }

  private static double number(String field, String text) {
    if (text == null) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(field, "'" + text + "' is not a number");
    }
  }

  static String fileName(String source) {
    int slash = source.lastIndexOf('/');
    return slash < 0 ? source : source.substring(slash + 1);
  }
}
