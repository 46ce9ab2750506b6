package io.riskgrid.jobs.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walk's checks against {@link SqlBookChecks}, the Spark SQL formulation they replaced, on random
 * books salted with every kind of bad row the import knows (repeated rows and accounts, several
 * positions on one line as a Deribit snapshot gives them, missing and unreadable values, NaN and
 * infinite numbers, unknown instruments and currencies, positions of another coin, accounts without
 * a row, reader problems): the same rejects, with the same reasons, and the same written rows. Also
 * the layout: every range sorted by account and the ranges disjoint, in order.
 */
class BookWalkTest {
  private static final String[] INSTRUMENTS = {"BTC-PERPETUAL", "BTC-27MAR26-60000-P", "ETH-PERPETUAL",
      "ETH-27MAR26-1800-C", "BTC_USDC-PERPETUAL", "BTC_USDC-27MAR26-60000-P", "SOL_USDC-PERPETUAL", "BTC-27MAR26"};
  /** The terms of the instruments the random books know; SortedCsvBookTest walks its books with them too. */
  static final Map<String, BookWalk.Terms> TERMS = Map.of(
      "BTC-PERPETUAL", new BookWalk.Terms("BTC", "PERPETUAL", "INVERSE"),
      "BTC-27MAR26-60000-P", new BookWalk.Terms("BTC", "OPTION", "INVERSE"),
      "ETH-PERPETUAL", new BookWalk.Terms("ETH", "PERPETUAL", "INVERSE"),
      "ETH-27MAR26-1800-C", new BookWalk.Terms("ETH", "OPTION", "INVERSE"),
      "BTC_USDC-PERPETUAL", new BookWalk.Terms("BTC", "PERPETUAL", "LINEAR"),
      "BTC_USDC-27MAR26-60000-P", new BookWalk.Terms("BTC", "OPTION", "LINEAR"),
      "SOL_USDC-PERPETUAL", new BookWalk.Terms("SOL", "PERPETUAL", "LINEAR"),
      "BTC-27MAR26", new BookWalk.Terms("BTC", "FUTURE", "INVERSE"));
  private static final Set<String> UNREADABLE = Set.of("BTC-27MAR26");
  private static final String DIR = "/books/day/";
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = ExampleBook.spark("book-walk-test");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theWalkGivesTheSqlChecksRejectsAndRowsOnRandomBadBooks() {
    for (long seed = 1; seed <= 3; seed++) {
      Random random = new Random(seed);
      Dataset<Row> accounts = raw(accountRows(random, 400), "account_id", "parent_id", "margin_mode", "margin_currency");
      Dataset<Row> collateral = raw(collateralRows(random, 500), "account_id", "asset", "quantity");
      Dataset<Row> positions = raw(positionRows(random, 1500), "account_id", "instrument_id", "quantity", "entry_price");
      TreeSet<String> coins = new TreeSet<>(List.of("BTC", "ETH", "SOL"));

      List<Row> terms = new ArrayList<>();
      TERMS.forEach((id, t) -> terms.add(RowFactory.create(id, t.underlying(), t.kind(), t.settlement())));
      Dataset<Row> termRows = spark.createDataFrame(terms, DataTypes.createStructType(List.of(
          DataTypes.createStructField("i_id", DataTypes.StringType, false),
          DataTypes.createStructField("i_underlying", DataTypes.StringType, false),
          DataTypes.createStructField("i_kind", DataTypes.StringType, false),
          DataTypes.createStructField("i_settlement", DataTypes.StringType, false))));
      SqlBookChecks.Checked reference = new SqlBookChecks("line", "accounts.csv", coins, termRows, UNREADABLE)
          .check(accounts, collateral, positions);
      List<String> expectedRejects = strings(reference.rejects().select("table", "source", "line", "account_id", "reason"));
      List<String> expectedWritten = new ArrayList<>();
      expectedWritten.addAll(prefixed("accounts", strings(reference.accounts()
          .select("account_id", "parent_id", "margin_mode", "margin_currency"))));
      expectedWritten.addAll(prefixed("collateral", strings(reference.collateral().select("account_id", "asset", "quantity"))));
      expectedWritten.addAll(prefixed("positions", strings(reference.positions()
          .select("account_id", "instrument_id", "quantity", "entry_price"))));
      expectedWritten.sort(null);

      BookWalk walk = new BookWalk("line", "accounts.csv", coins, TERMS, UNREADABLE);
      Dataset<Row> book = ClusteredBook.layOut(spark, accounts, BookRows.of(accounts, collateral, positions), walk, 60,
          null);
      // Rows by index, in BookWalk.OUT order: the rows of an RDD carry no schema.
      List<List<Row>> ranges = book.javaRDD().glom().collect();
      List<String> rejects = new ArrayList<>();
      List<String> written = new ArrayList<>();
      String[] tables = {"accounts", "collateral", "positions"};
      String endOfPrevious = null;
      for (List<Row> range : ranges) {
        String low = null;
        String high = null;
        for (Row r : range) {
          String id = r.getString(2);
          int target = r.getInt(0);
          if (r.get(11) != null) {
            rejects.add(tables[r.getInt(1)] + "|" + r.get(9) + "|" + r.get(10) + "|" + id
                + "|" + r.get(11));
          }
          if (target == BookWalk.WRITE_ACCOUNTS) {
            written.add("accounts|" + id + "|" + r.get(3) + "|" + r.get(4) + "|"
                + r.get(5));
          } else if (target == BookWalk.WRITE_COLLATERAL) {
            written.add("collateral|" + id + "|" + r.get(6) + "|" + r.get(7));
          } else if (target == BookWalk.WRITE_POSITIONS) {
            written.add("positions|" + id + "|" + r.get(6) + "|" + r.get(7) + "|" + r.get(8));
          }
          if (target != BookWalk.WRITE_NONE) {
            assertTrue(high == null || high.compareTo(id) <= 0, "a range sorted by account: " + high + " then " + id);
            low = low == null ? id : low;
            high = id;
          }
        }
        if (low != null) {
          assertTrue(endOfPrevious == null || endOfPrevious.compareTo(low) < 0, "ranges disjoint, in order: " + endOfPrevious
              + " then " + low);
          endOfPrevious = high;
        }
      }
      assertTrue(ranges.size() > 3, "several ranges: " + ranges.size());
      rejects.sort(null);
      written.sort(null);
      assertEquals(expectedRejects, rejects, "seed " + seed);
      assertEquals(expectedWritten, written, "seed " + seed);
      assertTrue(rejects.size() > 200, "a salted book: " + rejects.size() + " rejects");
      reference.release();
    }
  }

  private static List<String> prefixed(String table, List<String> rows) {
    return rows.stream().map(r -> table + "|" + r).toList();
  }

  private static List<String> strings(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      StringBuilder s = new StringBuilder();
      for (int k = 0; k < r.length(); k++) {
        s.append(k == 0 ? "" : "|").append(r.get(k));
      }
      out.add(s.toString());
    }
    out.sort(null);
    return out;
  }

  /** Raw rows as {@link BookFile} gives them: source, line, malformed, the columns as text, and a problem. */
  private static Dataset<Row> raw(List<Object[]> rows, String... columns) {
    List<StructField> fields = new ArrayList<>(List.of(DataTypes.createStructField(BookFile.SOURCE, DataTypes.StringType, false),
        DataTypes.createStructField(BookFile.LINE, DataTypes.LongType, false),
        DataTypes.createStructField(BookFile.MALFORMED, DataTypes.StringType, true)));
    for (String c : columns) {
      fields.add(DataTypes.createStructField(c, DataTypes.StringType, true));
    }
    fields.add(DataTypes.createStructField(DeribitSnapshot.PROBLEM, DataTypes.StringType, true));
    StructType schema = DataTypes.createStructType(fields);
    return spark.createDataFrame(rows.stream().map(RowFactory::create).toList(), schema).repartition(3);
  }

  private static String account(Random random) {
    int k = random.nextInt(260);
    return k == 0 ? null : k == 1 ? " " : String.format("A%04d", k);
  }

  private static String pick(Random random, String... values) {
    return values[random.nextInt(values.length)];
  }

  private static String problem(Random random) {
    return random.nextInt(40) == 0 ? "the reader found a problem" : null;
  }

  private static List<Object[]> accountRows(Random random, int n) {
    List<Object[]> rows = new ArrayList<>();
    for (int line = 2; line < n + 2; line++) {
      String id = random.nextInt(10) == 0 ? account(random) : String.format("A%04d", line % 250);
      rows.add(new Object[] {DIR + "accounts.csv", (long) line, null, id, random.nextInt(5) == 0 ? "A0001" : null,
          pick(random, "PORTFOLIO", "STANDARD", "portfolio", " STANDARD ", "CROSS", null),
          pick(random, "USD", "USD", "BTC", "btc", "ETH", "SOL", "XRP", null, " usd "), problem(random)});
    }
    return rows;
  }

  private static List<Object[]> collateralRows(Random random, int n) {
    List<Object[]> rows = new ArrayList<>();
    for (int line = 2; line < n + 2; line++) {
      rows.add(new Object[] {DIR + "collateral.csv", (long) line, null, account(random),
          pick(random, "USDC", "usdc", "BTC", "ETH", "USDT", null, " sol"), quantity(random), problem(random)});
    }
    return rows;
  }

  private static List<Object[]> positionRows(Random random, int n) {
    List<Object[]> rows = new ArrayList<>();
    long line = 2;
    for (int k = 0; k < n; k++) {
      // About one row in eight shares the line before it, as a snapshot's positions share their account's line.
      line += random.nextInt(8) == 0 ? 0 : 1;
      String instrument = random.nextInt(30) == 0 ? pick(random, "BTC-31MAR26-1-C", null, " ") : pick(random, INSTRUMENTS);
      rows.add(new Object[] {DIR + "positions.csv", line, null, account(random), instrument, quantity(random),
          pick(random, null, "64000", "64000.5", "0", "-1", "x", "inf", "NaN", "1e5"), problem(random)});
    }
    return rows;
  }

  private static String quantity(Random random) {
    return random.nextInt(6) == 0 ? pick(random, "abc", "NaN", "Infinity", "-Infinity", null, "", "1,5", "+inf", "nan", "-INF", "1d")
        : Double.toString(Math.round((random.nextDouble() - 0.5) * 2000) / 10.0);
  }
}
