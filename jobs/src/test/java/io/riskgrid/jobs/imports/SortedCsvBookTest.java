package io.riskgrid.jobs.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.input.ClusteredLayout;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.market.chain.ShippedChains;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sorted read of a CSV book against the shuffle it replaces: on random sorted books salted with bad
 * rows, blank lines, CR, LF and CR LF ends, quotes and padding, read in chunks of a few dozen bytes and
 * many small ranges, the walk gets the same rows in the same order, and a whole import writes the same
 * tables and rejects. Lines are Hadoop's own {@link LineReader}'s, the order is Spark's
 * {@link UTF8String} order, and files the sorted read cannot take fall back with the file and line named.
 */
class SortedCsvBookTest {
  private static final String[] INSTRUMENTS = {"BTC-PERPETUAL", "BTC-27MAR26-60000-P", "ETH-PERPETUAL",
      "ETH-27MAR26-1800-C", "BTC_USDC-PERPETUAL", "SOL_USDC-PERPETUAL", "BTC-31MAR26-1-C"};
  /** BookWalkTest's known instruments; BTC-31MAR26-1-C above is not one of them. */
  private static final Map<String, BookWalk.Terms> TERMS = BookWalkTest.TERMS;
  private static SparkSession spark;
  private static Path dir;

  @BeforeAll
  static void start() throws IOException {
    spark = ExampleBook.spark("sorted-csv-book-test");
    dir = Files.createTempDirectory("riskgrid-sorted-csv-book");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theCursorGivesHadoopsLinesAndLineStarts() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 6; round++) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int lines = 50 + random.nextInt(200);
      for (int k = 0; k < lines; k++) {
        // Now and then a line longer than the cursor's first buffer, so that it grows.
        int length = random.nextInt(40) == 0 ? 70_000 + random.nextInt(10_000) : random.nextInt(12);
        for (int i = 0; i < length; i++) {
          bytes.write(random.nextInt(5) == 0 ? "é,\" ".getBytes(StandardCharsets.UTF_8)[random.nextInt(5)]
              : 'a' + random.nextInt(26));
        }
        if (k < lines - 1 || random.nextBoolean()) {
          bytes.write(new byte[][] {{'\n'}, {'\r'}, {'\r', '\n'}}[random.nextInt(3)]);
        }
      }
      Path file = dir.resolve("lines-" + round + ".txt");
      Files.write(file, bytes.toByteArray());
      byte[] content = bytes.toByteArray();

      List<Long> starts = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      try (InputStream in = Files.newInputStream(file)) {
        LineReader reader = new LineReader(in);
        Text text = new Text();
        long at = 0;
        for (int used = reader.readLine(text); used > 0; used = reader.readLine(text)) {
          starts.add(at);
          expected.add(text.toString());
          at += used;
        }
      }
      FileSystem fs = FileSystem.getLocal(new Configuration());
      try (FSDataInputStream in = fs.open(new org.apache.hadoop.fs.Path(file.toString()))) {
        LineCursor cursor = LineCursor.at(in, 0);
        List<Long> gotStarts = new ArrayList<>();
        List<String> got = new ArrayList<>();
        while (cursor.next()) {
          gotStarts.add(cursor.lineStart());
          got.add(new String(cursor.bytes(), cursor.from(), cursor.length(), StandardCharsets.UTF_8));
        }
        assertEquals(expected, got, "round " + round);
        assertEquals(starts, gotStarts, "round " + round);
      }
      for (int probe = 0; probe < 300; probe++) {
        long offset = probe < 20 ? probe : random.nextInt(content.length + 1);
        long want = starts.stream().filter(s -> s >= offset).findFirst().orElse((long) content.length);
        try (FSDataInputStream in = fs.open(new org.apache.hadoop.fs.Path(file.toString()))) {
          assertEquals(want, LineCursor.lineStartAtOrAfter(in, offset), "round " + round + ", offset " + offset);
        }
      }
    }
  }

  @Test
  void stringsCompareAsSparkComparesThem() {
    Random random = new Random(3);
    String alphabet = "aAz0 -_é\u00ff\u0100\u07ff\u0800\ud7ff\ue000\uffff\ud83d\ude00\ud800\udc00";
    for (int k = 0; k < 20_000; k++) {
      String a = randomText(random, alphabet);
      String b = random.nextInt(4) == 0 ? a + randomText(random, alphabet) : randomText(random, alphabet);
      int expected = Integer.signum(UTF8String.fromString(a).compareTo(UTF8String.fromString(b)));
      assertEquals(expected, Integer.signum(SortedCsvBook.compareUtf8(a, b)), a + " vs " + b);
    }
  }

  private static String randomText(Random random, String alphabet) {
    StringBuilder s = new StringBuilder();
    for (int n = random.nextInt(5); n > 0; n--) {
      int i = random.nextInt(alphabet.length());
      // Keep surrogate pairs whole: the alphabet's last four chars are two pairs.
      if (Character.isSurrogate(alphabet.charAt(i))) {
        i = alphabet.length() - 4 + 2 * random.nextInt(2);
        s.append(alphabet, i, i + 2);
      } else {
        s.append(alphabet.charAt(i));
      }
    }
    return s.toString();
  }

  @Test
  void aSortedBookReadByRangesGivesTheShufflesRowsInTheSameOrder() throws IOException {
    for (long seed = 1; seed <= 3; seed++) {
      Path day = Files.createDirectories(dir.resolve("walk-" + seed));
      Book book = Book.random(new Random(seed), day, 300);
      BookWalk walk = new BookWalk("line", "accounts.csv", new TreeSet<>(List.of("BTC", "ETH", "SOL")), TERMS,
          java.util.Set.of());
      Dataset<Row> accounts = BookFile.read(spark, BookFormat.CSV, book.accounts, ImportBookJob.ACCOUNT_COLUMNS,
          ImportBookJob.ACCOUNT_OPTIONAL);
      Dataset<Row> collateral = BookFile.read(spark, BookFormat.CSV, book.collateral, ImportBookJob.COLLATERAL_COLUMNS,
          List.of());
      Dataset<Row> positions = BookFile.read(spark, BookFormat.CSV, book.positions, ImportBookJob.POSITION_COLUMNS,
          ImportBookJob.POSITION_OPTIONAL);
      List<Row> shuffled = flatten(ClusteredBook.layOut(spark, accounts, BookRows.of(accounts, collateral, positions),
          walk, 40, null));

      SortedCsvBook.Layout layout = SortedCsvBook.layOut(spark, book.csvFiles(spark), walk, 40, 97, 3, null);
      assertNull(layout.reason(), "seed " + seed);
      assertTrue(layout.ranges() > 4, "several ranges: " + layout.ranges());
      List<Row> sorted = flatten(layout.book());
      assertEquals(shuffled.size(), sorted.size(), "seed " + seed);
      for (int k = 0; k < sorted.size(); k++) {
        assertEquals(shuffled.get(k), sorted.get(k), "seed " + seed + ", row " + k);
      }
      long rejects = sorted.stream().filter(r -> r.get(11) != null).count();
      assertTrue(rejects > 50, "a salted book: " + rejects + " rejects");
      assertTrue(sorted.stream().anyMatch(r -> r.getInt(1) == BookWalk.ADDED), "an account without an accounts row");

      // The positions write reads the positions file again: the walk's positions rows, range by range in
      // its order, with the columns written (account_id, instrument, quantity, entry_price) equal.
      List<List<Row>> parts = layout.book().javaRDD().glom().collect();
      List<List<Row>> again = layout.positions().javaRDD().glom().collect();
      assertEquals(parts.size(), again.size());
      for (int p = 0; p < parts.size(); p++) {
        assertEquals(written(parts.get(p).stream().filter(r -> r.getInt(0) == BookWalk.WRITE_POSITIONS).toList()),
            written(again.get(p)), "seed " + seed + ", range " + p);
      }

      // The check pass: the rows with a reason or a malformed text and those of the targets asked for, in
      // order, and a count of all rows per (target, table).
      BookCheck check = new BookCheck(BookWalk.WRITE_COLLATERAL);
      List<Row> checks = layout.walked().mapPartitions(check::call).collect();
      assertEquals(checks, layout.book().mapPartitions(check, org.apache.spark.sql.Encoders.row(BookCheck.OUT))
          .collectAsList(), "the walk's rows before and after Spark converts them");
      assertEquals(sorted.stream().filter(r -> r.getInt(0) == BookWalk.WRITE_COLLATERAL || r.get(11) != null
              || r.get(12) != null).toList(),
          checks.stream().filter(r -> r.isNullAt(13)).map(r -> org.apache.spark.sql.RowFactory.create(
              java.util.stream.IntStream.range(0, 13).mapToObj(r::get).toArray())).toList());
      Map<List<Integer>, Long> counted = new TreeMap<>(Comparator.comparing((List<Integer> key) -> key.get(0))
          .thenComparing(key -> key.get(1)));
      checks.stream().filter(r -> !r.isNullAt(13)).forEach(r -> counted.merge(List.of(r.getInt(0), r.getInt(1)),
          r.getLong(13), Long::sum));
      Map<List<Integer>, Long> expected = new TreeMap<>(Comparator.comparing((List<Integer> key) -> key.get(0))
          .thenComparing(key -> key.get(1)));
      sorted.forEach(r -> expected.merge(List.of(r.getInt(0), r.getInt(1)), 1L, Long::sum));
      assertEquals(expected, counted, "seed " + seed);

      // A file that changes after the survey fails every later read, naming it, rather than giving other rows.
      Files.writeString(Path.of(book.positions), Files.readString(Path.of(book.positions)) + "\n");
      Exception changed = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
          () -> layout.positions().count());
      String message = rootMessage(changed);
      assertTrue(message.startsWith(book.positions + " changed while it was imported: "), message);
    }
  }

  /** The columns a positions row is written with: account_id, instrument, quantity, entry_price. */
  private static List<List<Object>> written(List<Row> rows) {
    return rows.stream().map(r -> java.util.Arrays.asList(r.get(2), r.get(6), r.get(7), r.get(8))).toList();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** The rows of every partition, partition after partition. */
  private static List<Row> flatten(Dataset<Row> rows) {
    List<Row> all = new ArrayList<>();
    rows.javaRDD().glom().collect().forEach(all::addAll);
    return all;
  }

  @Test
  void filesTheSortedReadCannotTakeGoToTheShuffleWithTheLineNamed() throws IOException {
    Path day = Files.createDirectories(dir.resolve("unfit"));
    Book book = Book.random(new Random(11), day, 60);
    BookWalk walk = new BookWalk("line", "accounts.csv", new TreeSet<>(List.of("BTC", "ETH", "SOL")), TERMS,
        java.util.Set.of());
    List<String> lines = Files.readAllLines(Path.of(book.positions));
    int late = lines.size() - 1;
    while (lines.get(late).isBlank()) {
      late--;
    }
    int before = late - 1;
    while (lines.get(before).isBlank()) {
      before--;
    }
    String previous = lines.get(before).split(",")[0].replace("\"", "").trim();
    List<String> swapped = new ArrayList<>(lines);
    swapped.set(late, "A0000," + INSTRUMENTS[0] + ",1,");
    Files.write(Path.of(book.positions), swapped);
    // One chunk for the whole file: the survey finds the line inside the chunk.
    assertEquals("positions.csv line " + (late + 1) + ": account_id A0000 comes after " + previous
        + ", so the file is not in account_id order",
        SortedCsvBook.layOut(spark, book.csvFiles(spark), walk, 40, 1 << 20, 3, null).reason());
    // Small chunks: the survey finds it across two chunks, or the first look at the chunks' starts does.
    String reason = SortedCsvBook.layOut(spark, book.csvFiles(spark), walk, 40, 97, 3, null).reason();
    assertTrue(reason.startsWith("positions.csv line " + (late + 1) + ": account_id A0000 comes after " + previous)
        || reason.startsWith("positions.csv: the line at byte ") && reason.contains(" has account_id A0000, after "),
        reason);

    swapped.set(late, lines.get(late).replaceFirst("^[^,]*", "  "));
    Files.write(Path.of(book.positions), swapped);
    assertEquals("positions.csv line " + (late + 1) + ": account_id is blank",
        SortedCsvBook.layOut(spark, book.csvFiles(spark), walk, 40, 97, 3, null).reason());

    swapped.set(late, lines.get(late) + ",1");
    Files.write(Path.of(book.positions), swapped);
    assertEquals("positions.csv line " + (late + 1) + ": has 5 fields, the header has 4",
        SortedCsvBook.layOut(spark, book.csvFiles(spark), walk, 40, 97, 3, null).reason());

    // Two sorted halves the wrong way round, as parts of a sorted export joined out of order: the look at
    // the chunks' starts sees it, naming the bytes, before any chunk is read through.
    int half = 1 + (lines.size() - 1) / 2;
    List<String> blocks = new ArrayList<>(List.of(lines.get(0)));
    blocks.addAll(lines.subList(half, lines.size()));
    blocks.addAll(lines.subList(1, half));
    Files.write(Path.of(book.positions), blocks);
    assertTrue(SortedCsvBook.layOut(spark, book.csvFiles(spark), walk, 40, 97, 3, null).reason()
        .matches("positions\\.csv: the line at byte \\d+ has account_id A\\d+, after A\\d+ at byte \\d+, so the file is"
            + " not in account_id order"));

    Files.write(Path.of(book.positions), lines);
    Path gz = day.resolve("positions.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(Path.of(book.positions)));
    }
    List<SortedCsvBook.CsvFile> files = new ArrayList<>(book.csvFiles(spark));
    files.set(2, new SortedCsvBook.CsvFile(gz.toString(), files.get(2).header(), BookWalk.POSITIONS));
    assertEquals(gz + ": compressed, so it cannot be read from the middle",
        SortedCsvBook.layOut(spark, files, walk, 40, 97, 3, null).reason());
    assertNotNull(SortedCsvBook.layOut(spark, book.csvFiles(spark), walk, 40, 97, 3, null).book());
  }

  @Test
  void aSortedExampleBookImportsAsTheShuffleImportsIt() throws Exception {
    Path day = Files.createDirectories(dir.resolve("example"));
    Warehouse warehouse = Warehouse.at(spark, day.resolve("warehouse").toString());
    ImportMarketJob.run(spark, warehouse, ShippedChains.market(ShippedChains.CRASH));
    // The example book, each file's data lines sorted by account (stably), so that its bad rows stay.
    String[] sorted = new String[3];
    String[] names = {"accounts.csv", "collateral.csv", "positions.csv"};
    for (int k = 0; k < 3; k++) {
      List<String> lines = Files.readAllLines(ExampleBook.DIR.resolve(names[k]));
      List<String> data = new ArrayList<>(lines.subList(1, lines.size()));
      data.sort(Comparator.comparing(l -> l.split(",", -1)[0].trim(), SortedCsvBook::compareUtf8));
      data.add(0, lines.get(0));
      Path file = day.resolve(names[k]);
      Files.writeString(file, String.join("\r\n", data) + "\r\n");
      sorted[k] = file.toString();
    }
    ImportBookJob.Files files = new ImportBookJob.Files(BookFormat.CSV, sorted[0], sorted[1], sorted[2],
        ExampleBook.file("instruments.csv"));
    LocalDate first = LocalDate.of(2026, 4, 1);
    LocalDate second = LocalDate.of(2026, 4, 2);
    ImportBookJob.Result bySort = ImportBookJob.run(spark, warehouse, first, files, ImportBookJob.Read.SORTED_WHEN_SORTED);
    ImportBookJob.Result byShuffle = ImportBookJob.run(spark, warehouse, second, files, ImportBookJob.Read.SHUFFLE);
    assertTrue(bySort.readPath().startsWith("sorted: "), bySort.readPath());
    assertTrue(byShuffle.readPath().startsWith("shuffle: "), byShuffle.readPath());
    // The first import adds the example's three instruments; the second finds them there.
    for (String table : List.of("accounts", "collateral", "positions")) {
      assertEquals(byShuffle.counts().get(table), bySort.counts().get(table), table);
    }
    assertEquals(byShuffle.firstRejects(), bySort.firstRejects());
    assertEquals(byShuffle.accountsRejected(), bySort.accountsRejected());
    assertEquals(6, bySort.accountsRejected());
    for (var table : List.of(InputTables.ACCOUNTS, InputTables.COLLATERAL, InputTables.POSITIONS)) {
      List<String> a = rows(warehouse.read(table, first).drop("as_of_date"));
      List<String> b = rows(warehouse.read(table, second).drop("as_of_date"));
      assertEquals(b, a, table.name());
      assertTrue(a.size() > 10, table.name());
    }
    assertEquals(rows(warehouse.read(OutputTables.REJECTS, second).select("source_table", "key", "reason")),
        rows(warehouse.read(OutputTables.REJECTS, first).select("source_table", "key", "reason")));
    // The margin job reads either date without a shuffle.
    for (LocalDate date : List.of(first, second)) {
      ClusteredLayout.Plan plan = ClusteredLayout.plan(spark, warehouse, date);
      assertTrue(plan.clustered(), date + ": " + plan.reason());
    }
  }

  private static List<String> rows(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  /** A random book in three CSV files sorted by account, with bad rows and awkward text. */
  private record Book(String accounts, String collateral, String positions) {
    static Book random(Random random, Path day, int accountCount) throws IOException {
      Map<String, List<String>> accounts = new TreeMap<>(SortedCsvBook::compareUtf8);
      Map<String, List<String>> collateral = new TreeMap<>(SortedCsvBook::compareUtf8);
      Map<String, List<String>> positions = new TreeMap<>(SortedCsvBook::compareUtf8);
      for (int k = 0; k < accountCount; k++) {
        String id = String.format("A%04d", k);
        // Some ids padded or quoted; the reader trims and unquotes them.
        String written = random.nextInt(10) == 0 ? " " + id + " " : random.nextInt(10) == 0 ? "\"" + id + "\"" : id;
        if (random.nextInt(12) != 0) {
          int rows = random.nextInt(15) == 0 ? 2 : 1;
          for (int r = 0; r < rows; r++) {
            accounts.computeIfAbsent(id, x -> new ArrayList<>()).add(written + "," + pick(random, "", "", "A0001") + ","
                + pick(random, "PORTFOLIO", "STANDARD", "portfolio", " STANDARD ", "CROSS", "") + ","
                + pick(random, "USD", "USD", "BTC", "btc", "ETH", "SOL", "XRP", "", " usd ", "\"usd\""));
          }
        }
        for (int c = random.nextInt(3); c > 0; c--) {
          collateral.computeIfAbsent(id, x -> new ArrayList<>()).add(written + ","
              + pick(random, "USDC", "usdc", "BTC", "ETH", "USDT", "", " sol") + "," + quantity(random));
        }
        for (int p = random.nextInt(8); p > 0; p--) {
          positions.computeIfAbsent(id, x -> new ArrayList<>()).add(written + "," + pick(random, INSTRUMENTS) + ","
              + quantity(random) + "," + pick(random, "", "64000", "x", "NaN", "1e5"));
        }
      }
      return new Book(write(random, day.resolve("accounts.csv"), "account_id,parent_id,margin_mode,margin_currency",
          accounts), write(random, day.resolve("collateral.csv"), "Account_ID,asset,quantity", collateral),
          write(random, day.resolve("positions.csv"), "account_id,instrument_id,quantity,entry_price", positions));
    }

    private static String write(Random random, Path file, String header, Map<String, List<String>> byAccount)
        throws IOException {
      StringBuilder text = new StringBuilder(header).append('\n');
      String[] ends = {"\n", "\r\n", "\r"};
      for (List<String> lines : byAccount.values()) {
        for (String line : lines) {
          text.append(line).append(ends[random.nextInt(3)]);
          if (random.nextInt(25) == 0) {
            text.append(random.nextBoolean() ? "" : "  ").append('\n');
          }
        }
      }
      Files.writeString(file, text);
      return file.toString();
    }

    List<SortedCsvBook.CsvFile> csvFiles(SparkSession spark) {
      List<String> accountColumns = new ArrayList<>(ImportBookJob.ACCOUNT_COLUMNS);
      accountColumns.addAll(ImportBookJob.ACCOUNT_OPTIONAL);
      List<String> positionColumns = new ArrayList<>(ImportBookJob.POSITION_COLUMNS);
      positionColumns.addAll(ImportBookJob.POSITION_OPTIONAL);
      return List.of(
          new SortedCsvBook.CsvFile(accounts, BookFile.csvHeader(spark, accounts, ImportBookJob.ACCOUNT_COLUMNS,
              accountColumns), BookWalk.ACCOUNTS),
          new SortedCsvBook.CsvFile(collateral, BookFile.csvHeader(spark, collateral, ImportBookJob.COLLATERAL_COLUMNS,
              ImportBookJob.COLLATERAL_COLUMNS), BookWalk.COLLATERAL),
          new SortedCsvBook.CsvFile(positions, BookFile.csvHeader(spark, positions, ImportBookJob.POSITION_COLUMNS,
              positionColumns), BookWalk.POSITIONS));
    }

    private static String pick(Random random, String... values) {
      return values[random.nextInt(values.length)];
    }

    private static String quantity(Random random) {
      return random.nextInt(6) == 0 ? pick(random, "abc", "NaN", "Infinity", "", "\"1,5\"", "+inf", "1d")
          : Double.toString(Math.round((random.nextDouble() - 0.5) * 2000) / 10.0);
    }
  }
}
