package io.riskgrid.jobs.imports;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.DeribitNames;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import scala.Tuple2;

/**
 * Deribit-style position snapshots ({@code import book --format deribit}, DESIGN §7.1): JSON Lines, one
 * account per line, as Deribit's {@code private/get_account_summary} and {@code private/get_positions}
 * give them:
 *
 * <pre>{"account_id": "D-1", "parent_id": null, "portfolio_margining_enabled": true,
 *  "summary": {"currency": "BTC", "balance": 5.0, "equity": 5.12},
 *  "positions": [{"instrument_name": "BTC-PERPETUAL", "kind": "future", "size": -200000, "average_price": 64100},
 *                {"instrument_name": "BTC-27MAR26-60000-P", "kind": "option", "size": -3, "average_price": 0.05}]}</pre>
 *
 * <p>The account's margin currency is {@code summary.currency} ({@code USDC}, Deribit's linear
 * account, is a USD account), its collateral one balance of that currency ({@code summary.balance});
 * {@code margin_mode} is given, or {@code portfolio_margining_enabled} true for PORTFOLIO and false
 * for STANDARD. {@code equity} is Deribit's own figure and is not imported (the margin run values the
 * account itself). Instrument names are parsed by {@link DeribitNames}. Deribit states sizes in USD
 * for inverse futures and perpetuals, so the quantity in contracts is size / N; in the coin for
 * everything else, so it is size / m with m = 1. {@code average_price} is the entry price of futures and
 * perpetuals (USD); an option's (in coin) is not needed, its premium being in the balance. A position
 * whose {@code kind} disagrees with its name, or whose name does not parse, is a reject of its account.
 *
 * <p>The result is the three raw book datasets of {@link BookFile} (every value text, with the line of
 * the account in the file), each with a {@code problem} column for what only this format can find.
 */
final class DeribitSnapshot {
  static final String PROBLEM = "problem";
  private static final String TABLE = "table";
  private static final List<String> FIELDS = List.of("account_id", "parent_id", "margin_mode", "margin_currency",
      "asset", "instrument_id", "quantity", "entry_price", PROBLEM);

  private DeribitSnapshot() {}

  /** The book's accounts, collateral and positions, in the columns {@link BookRows} reads. */
  record Raw(Dataset<Row> all, Dataset<Row> accounts, Dataset<Row> collateral, Dataset<Row> positions) {
    /** Keeps the parsed snapshot, which the three tables and the instrument names each read. */
    Raw persist() {
      all.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      return this;
    }

    void unpersist() {
      all.unpersist();
    }
  }

  static Raw read(SparkSession spark, String file) {
    BookFile.requireExists(spark, file);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Row> rows = jsc.textFile(file).zipWithIndex().filter(t -> !t._1().isBlank())
        .mapPartitions(new Lines(file));
    List<StructField> fields = new ArrayList<>(List.of(DataTypes.createStructField(TABLE, DataTypes.StringType, false),
        DataTypes.createStructField(BookFile.SOURCE, DataTypes.StringType, false),
        DataTypes.createStructField(BookFile.LINE, DataTypes.LongType, false),
        DataTypes.createStructField(BookFile.MALFORMED, DataTypes.StringType, true)));
    FIELDS.forEach(f -> fields.add(DataTypes.createStructField(f, DataTypes.StringType, true)));
    Dataset<Row> all = spark.createDataFrame(rows, DataTypes.createStructType(fields));
    String[] common = {BookFile.SOURCE, BookFile.LINE, BookFile.MALFORMED, PROBLEM};
    return new Raw(all, pick(all, "accounts", common, "account_id", "parent_id", "margin_mode", "margin_currency"),
        pick(all, "collateral", common, "account_id", "asset", "quantity"),
        pick(all, "positions", common, "account_id", "instrument_id", "quantity", "entry_price"));
  }

  private static Dataset<Row> pick(Dataset<Row> all, String table, String[] common, String... columns) {
    List<org.apache.spark.sql.Column> out = new ArrayList<>();
    for (String c : common) {
      out.add(col(c));
    }
    for (String c : columns) {
      out.add(col(c));
    }
    // A malformed line is kept in every table, so that the check before writing finds it whatever it reads.
    return all.filter(col(TABLE).equalTo(table).or(col(BookFile.MALFORMED).isNotNull()))
        .select(out.toArray(org.apache.spark.sql.Column[]::new));
  }

  /** One snapshot line → an accounts row, a collateral row and a row per position (or one malformed row). */
  private static final class Lines implements FlatMapFunction<Iterator<Tuple2<String, Long>>, Row> {
    private static final long serialVersionUID = 1L;
    private final String file;

    Lines(String file) {
      this.file = file;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<String, Long>> lines) {
      ObjectMapper json = new ObjectMapper();
      List<Row> out = new ArrayList<>();
      while (lines.hasNext()) {
        Tuple2<String, Long> t = lines.next();
        long line = t._2() + 1;
        try {
          account(json.readTree(t._1()), line, out);
        } catch (IOException e) {
          out.add(row("accounts", line, "not JSON: " + e.getMessage().lines().findFirst().orElse("")));
        } catch (Malformed e) {
          out.add(row("accounts", line, e.getMessage()));
        }
      }
      return out.iterator();
    }

    private void account(JsonNode node, long line, List<Row> out) throws Malformed {
      if (node == null || !node.isObject()) {
        throw new Malformed("is not a JSON object");
      }
      JsonNode summary = node.path("summary");
      if (!summary.isMissingNode() && !summary.isObject()) {
        throw new Malformed("summary is not an object");
      }
      JsonNode positions = node.path("positions");
      if (!positions.isMissingNode() && !positions.isNull() && !positions.isArray()) {
        throw new Malformed("positions is not an array");
      }
      String id = text(node, "account_id");
      String currency = text(summary, "currency");
      boolean usdc = "USDC".equalsIgnoreCase(currency);
      String mode = text(node, "margin_mode");
      if (mode == null && node.path("portfolio_margining_enabled").isBoolean()) {
        mode = node.path("portfolio_margining_enabled").asBoolean() ? "PORTFOLIO" : "STANDARD";
      }
      out.add(values("accounts", line, null, id, text(node, "parent_id"), mode, usdc ? "USD" : currency, null, null, null,
          null, null));
      out.add(values("collateral", line, null, id, null, null, null, currency, null, text(summary, "balance"), null, null));
      if (!positions.isArray()) {
        return;
      }
      for (JsonNode p : positions) {
        if (!p.isObject()) {
          throw new Malformed("a position is not a JSON object");
        }
        out.add(position(p, id, line));
      }
    }

    private Row position(JsonNode p, String account, long line) {
      String name = text(p, "instrument_name");
      String size = text(p, "size");
      String kind = text(p, "kind");
      String average = text(p, "average_price");
      Instrument i;
      try {
        i = name == null ? null : DeribitNames.parse(name);
      } catch (InvalidInputException e) {
        return values("positions", line, null, account, null, null, null, null, name, size, null, e.getMessage());
      }
      String problem = null;
      if (i != null && kind != null && !kind.toLowerCase(Locale.ROOT).equals(i.isOption() ? "option" : "future")) {
        problem = "kind '" + kind + "' disagrees with the name " + name + ", a " + i.kind();
      }
      boolean usdSized = i != null && i.isInverse() && i.kind() != InstrumentKind.OPTION;
      String quantity = size;
      if (i != null && size != null) {
        try {
          quantity = new BigDecimal(size).divide(BigDecimal.valueOf(usdSized ? i.multiplier() : 1.0),
              java.math.MathContext.DECIMAL64).toPlainString();
        } catch (NumberFormatException e) {
          quantity = size;
        }
      }
      String entry = i != null && i.isOption() ? null : average;
      return values("positions", line, null, account, null, null, null, null, name, quantity, entry, problem);
    }

    private Row row(String table, long line, String malformed) {
      return values(table, line, malformed, null, null, null, null, null, null, null, null, null);
    }

    private Row values(String table, long line, String malformed, String accountId, String parentId, String mode,
        String currency, String asset, String instrument, String quantity, String entry, String problem) {
      return RowFactory.create(table, file, line, malformed, accountId, parentId, mode, currency, asset, instrument, quantity,
          entry, problem);
    }

    private static String text(JsonNode node, String field) {
      JsonNode v = node.path(field);
      return v.isMissingNode() || v.isNull() || v.isContainerNode() || v.asText().isBlank() ? null : v.asText().trim();
    }
  }

  /** A line that does not have the snapshot's shape. */
  private static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }
}
