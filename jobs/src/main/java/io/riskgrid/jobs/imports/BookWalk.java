package io.riskgrid.jobs.imports;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The row checks of {@code import book} as one walk over a partition of a book's rows sorted by
 * (account_id, table, item, line): each account's rows arrive together, its accounts rows first, then
 * its collateral by asset, then its positions by instrument, so that every rule that needs another row
 * (a repeated row, positions without an accounts row, an instrument of another coin than the account's)
 * is decided from the rows just seen, with no join and no window. Each input row gives one output row,
 * in input order (an added accounts row, below, goes just before its account's first row), so a
 * partition sorted by account_id stays sorted.
 *
 * <p>Each row gets the first reason that applies, or none. The rules are DESIGN §3.4's where a row
 * alone shows them (a quantity that is not a finite number, an entry price a future lacks, an instrument
 * of another settlement or coin than the account's currency) plus what only an import can see: an
 * instrument id in neither {@code instruments} nor the instruments file, a repeated (account, instrument)
 * or (account, asset) row or account row, a margin currency that is neither USD nor the coin of a known
 * underlying, and positions or collateral of an account with no accounts row. A row with an account_id
 * is written as given (an unreadable number as null, which the margin run reads as NaN, never 0) and
 * its reason, if any, makes its account REJECTED in the next margin run; a repeated accounts row is not
 * written, and an account seen only in positions or collateral gets an empty accounts row, so that its
 * REJECTED margins row exists.
 *
 * <p>Input columns: {@link #IN}. Output columns: {@link #OUT}; {@code source} and {@code line} are kept
 * only on rows with a reason or a malformed text, which are few, so that the written rows stay small.
 */
final class BookWalk implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;

  /** Input table codes, in the order an account's rows are sorted. */
  static final int ACCOUNTS = 0;
  static final int COLLATERAL = 1;
  static final int POSITIONS = 2;
  /** {@code in_table} of an accounts row added for an account seen only in positions or collateral. */
  static final int ADDED = 3;

  /** Output {@code target}: the table a row is written to, or none. */
  static final int WRITE_NONE = 0;
  static final int WRITE_ACCOUNTS = 1;
  static final int WRITE_COLLATERAL = 2;
  static final int WRITE_POSITIONS = 3;

  /**
   * The book's rows, every value trimmed text (null when blank): {@code tbl} (the codes above),
   * {@code item} (the asset or the instrument id), {@code item_key} (the asset upper-cased, the
   * instrument id), the accounts columns (margin_mode and margin_currency upper-cased), the
   * quantity and entry price as given, the file and line, the reader's malformed text and problem.
   */
  static final StructType IN = DataTypes.createStructType(new org.apache.spark.sql.types.StructField[] {
      DataTypes.createStructField("tbl", DataTypes.IntegerType, false),
      DataTypes.createStructField("account_id", DataTypes.StringType, true),
      DataTypes.createStructField("item", DataTypes.StringType, true),
      DataTypes.createStructField("item_key", DataTypes.StringType, true),
      DataTypes.createStructField("parent_id", DataTypes.StringType, true),
      DataTypes.createStructField("margin_mode", DataTypes.StringType, true),
      DataTypes.createStructField("margin_currency", DataTypes.StringType, true),
      DataTypes.createStructField("q_text", DataTypes.StringType, true),
      DataTypes.createStructField("e_text", DataTypes.StringType, true),
      DataTypes.createStructField(BookFile.SOURCE, DataTypes.StringType, false),
      DataTypes.createStructField(BookFile.LINE, DataTypes.LongType, false),
      DataTypes.createStructField(BookFile.MALFORMED, DataTypes.StringType, true),
      DataTypes.createStructField(DeribitSnapshot.PROBLEM, DataTypes.StringType, true)});

  /**
   * {@code target} (the write codes above), {@code in_table} (the input codes, {@link #ADDED} for an added
   * accounts row), the columns written (quantity and entry_price as doubles, USD for entry_price, contracts
   * for a position's quantity and units of the asset for collateral's), then {@code source}, {@code line},
   * {@code reason} ("file line N: why") and {@code malformed}.
   */
  static final StructType OUT = DataTypes.createStructType(new org.apache.spark.sql.types.StructField[] {
      DataTypes.createStructField("target", DataTypes.IntegerType, false),
      DataTypes.createStructField("in_table", DataTypes.IntegerType, false),
      DataTypes.createStructField("account_id", DataTypes.StringType, true),
      DataTypes.createStructField("parent_id", DataTypes.StringType, true),
      DataTypes.createStructField("margin_mode", DataTypes.StringType, true),
      DataTypes.createStructField("margin_currency", DataTypes.StringType, true),
      DataTypes.createStructField("item", DataTypes.StringType, true),
      DataTypes.createStructField("quantity", DataTypes.DoubleType, true),
      DataTypes.createStructField("entry_price", DataTypes.DoubleType, true),
      DataTypes.createStructField(BookFile.SOURCE, DataTypes.StringType, true),
      DataTypes.createStructField(BookFile.LINE, DataTypes.LongType, true),
      DataTypes.createStructField("reason", DataTypes.StringType, true),
      DataTypes.createStructField(BookFile.MALFORMED, DataTypes.StringType, true)});

  /** Terms of a known instrument that the checks read. */
  record Terms(String underlying, String kind, String settlement) implements Serializable {}

  private final String word;
  private final String accountsFile;
  private final SortedSet<String> coins;
  private final Map<String, Terms> instruments;
  private final Set<String> unreadable;

  /**
   * @param word {@code line} or {@code row}, as the format counts
   * @param accountsFile the accounts file's name, for the reason of an account without a row there
   * @param coins underlyings of the known instruments: the coins an account may be margined in, beside USD
   * @param instruments the terms of every known instrument by id
   * @param unreadable instrument ids whose positions cannot be read (a Deribit size converted by terms
   *     that {@code instruments} contradicts)
   */
  BookWalk(String word, String accountsFile, SortedSet<String> coins, Map<String, Terms> instruments,
      Set<String> unreadable) {
    this.word = word;
    this.accountsFile = accountsFile;
    this.coins = coins;
    this.instruments = instruments;
    this.unreadable = unreadable;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Walk(rows);
  }

  /** The state of one account while its rows pass. */
  private final class Walk implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final ArrayDeque<Row> ready = new ArrayDeque<>(2);
    private String account;
    private long firstAccountLine;
    private boolean hasAccountRow;
    private boolean known;
    private String currency;
    private boolean added;
    private int runTable = -1;
    private String runKey;
    private long runFirstLine;

    Walk(Iterator<Row> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && rows.hasNext()) {
        step(rows.next());
      }
      return !ready.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void step(Row r) {
      int table = r.getInt(0);
      String id = r.getString(1);
      String source = r.getString(9);
      long line = r.getLong(10);
      String malformed = r.getString(11);
      String problem = r.getString(12);
      if (malformed != null) {
        ready.add(out(WRITE_NONE, table, null, null, null, null, null, null, null, source, line, null, malformed));
        return;
      }
      if (id == null) {
        reject(table, null, source, line, problem != null ? problem : "account_id is missing");
        return;
      }
      if (!id.equals(account)) {
        account = id;
        hasAccountRow = false;
        added = false;
        runTable = -1;
        runKey = null;
      }
      switch (table) {
        case ACCOUNTS -> account(r, id, source, line, problem);
        case COLLATERAL -> collateral(r, id, source, line, problem);
        case POSITIONS -> position(r, id, source, line, problem);
        default -> throw new IllegalArgumentException("table code " + table);
      }
    }

    /** Accounts rows arrive first for their account, by line: the first is the account's row. */
    private void account(Row r, String id, String source, long line, String problem) {
      String mode = r.getString(5);
      String rowCurrency = r.getString(6);
      if (!hasAccountRow) {
        hasAccountRow = true;
        firstAccountLine = line;
        currency = rowCurrency;
        known = knownCurrency(rowCurrency);
      }
      String reason = problem;
      if (reason == null && line != firstAccountLine) {
        reason = "duplicate account_id '" + id + "': its first row is " + word + " " + firstAccountLine;
      }
      if (reason == null && !("PORTFOLIO".equals(mode) || "STANDARD".equals(mode))) {
        reason = "margin_mode '" + (mode == null ? "" : mode) + "' must be PORTFOLIO or STANDARD";
      }
      if (reason == null && !knownCurrency(rowCurrency)) {
        reason = "margin_currency '" + (rowCurrency == null ? "" : rowCurrency)
            + "' is unknown: expected USD or the coin of a known underlying " + coins;
      }
      int target = line == firstAccountLine ? WRITE_ACCOUNTS : WRITE_NONE;
      ready.add(out(target, ACCOUNTS, id, r.getString(4), mode, rowCurrency, null, null, null, reason, source, line));
    }

    private void collateral(Row r, String id, String source, long line, String problem) {
      addAccountRowIfMissing(id);
      long first = firstOfRun(COLLATERAL, r.getString(3), line);
      String asset = r.getString(2);
      String qText = r.getString(7);
      Double quantity = number(qText);
      String reason = problem;
      if (reason == null && asset == null) {
        reason = "asset is missing";
      }
      if (reason == null) {
        reason = quantityProblem(qText, quantity);
      }
      if (reason == null && !hasAccountRow) {
        reason = "account '" + id + "' has collateral but no row in " + accountsFile;
      }
      if (reason == null && line != first) {
        reason = "duplicate row: account '" + id + "' already has a balance of " + asset + " on " + word + " " + first;
      }
      ready.add(out(WRITE_COLLATERAL, COLLATERAL, id, null, null, null, asset, quantity, null, reason, source, line));
    }

    private void position(Row r, String id, String source, long line, String problem) {
      addAccountRowIfMissing(id);
      String instrument = r.getString(2);
      long first = firstOfRun(POSITIONS, r.getString(3), line);
      String qText = r.getString(7);
      String eText = r.getString(8);
      Double quantity = number(qText);
      Double entry = number(eText);
      Terms terms = instrument == null ? null : instruments.get(instrument);
      String reason = problem;
      if (reason == null && instrument == null) {
        reason = "instrument_id is missing";
      }
      if (reason == null) {
        reason = quantityProblem(qText, quantity);
      }
      if (reason == null && eText != null && entry == null) {
        reason = "entry_price '" + eText + "' is not a number";
      }
      if (reason == null && terms == null) {
        reason = "unknown instrument_id '" + instrument + "': in neither the instruments table nor the instruments file";
      }
      if (reason == null && unreadable.contains(instrument)) {
        reason = "instrument " + instrument + " has other terms in the instruments table than its name gives, so its"
            + " size cannot be read as contracts";
      }
      if (reason == null && !terms.kind().equals("OPTION") && !(entry != null && Double.isFinite(entry) && entry > 0)) {
        reason = "entry_price is required, finite and > 0 for a " + terms.kind() + ", got " + (eText == null ? "nothing" : eText);
      }
      if (reason == null && !hasAccountRow) {
        reason = "account '" + id + "' has positions but no row in " + accountsFile;
      }
      if (reason == null && line != first) {
        reason = "duplicate row: account '" + id + "' already holds " + instrument + " on " + word + " " + first;
      }
      if (reason == null && known && currency.equals("USD") && terms.settlement().equals("INVERSE")) {
        reason = "inverse instrument " + instrument + " cannot be held in a USD-margined account; it belongs in a "
            + terms.underlying() + "-margined account";
      }
      if (reason == null && known && !currency.equals("USD")
          && (!terms.settlement().equals("INVERSE") || !terms.underlying().equals(currency))) {
        reason = "instrument " + instrument + " (" + terms.settlement() + " on " + terms.underlying()
            + ") cannot be held in a " + currency + "-margined account; coin accounts hold inverse instruments of their own coin";
      }
      ready.add(out(WRITE_POSITIONS, POSITIONS, id, null, null, null, instrument, quantity, entry, reason, source, line));
    }

    /** Positions or collateral of an account with no accounts row: an empty one, once, ahead of them. */
    private void addAccountRowIfMissing(String id) {
      if (!hasAccountRow && !added) {
        added = true;
        ready.add(out(WRITE_ACCOUNTS, ADDED, id, null, null, null, null, null, null, null, null, null, null));
      }
    }

    /** The first line of the run of rows with this table and key: rows arrive by line within a run. */
    private long firstOfRun(int table, String key, long line) {
      if (table != runTable || !Objects.equals(key, runKey)) {
        runTable = table;
        runKey = key;
        runFirstLine = line;
      }
      return runFirstLine;
    }

    private void reject(int table, String id, String source, long line, String reason) {
      ready.add(out(WRITE_NONE, table, id, null, null, null, null, null, null, reason, source, line));
    }

    private Row out(int target, int table, String id, String parent, String mode, String ccy, String item, Double quantity,
        Double entry, String reason, String source, long line) {
      return reason == null
          ? out(target, table, id, parent, mode, ccy, item, quantity, entry, null, null, null, null)
          : out(target, table, id, parent, mode, ccy, item, quantity, entry, source, line,
              ImportBookJob.fileName(source) + " " + word + " " + line + ": " + reason, null);
    }

    private Row out(int target, int table, String id, String parent, String mode, String ccy, String item, Double quantity,
        Double entry, String source, Long line, String reason, String malformed) {
      return RowFactory.create(target, table, id, parent, mode, ccy, item, quantity, entry, source, line, reason, malformed);
    }
  }

  private boolean knownCurrency(String currency) {
    return currency != null && (currency.equals("USD") || coins.contains(currency));
  }

  private static String quantityProblem(String text, Double quantity) {
    if (text == null) {
      return "quantity is missing";
    }
    if (quantity == null) {
      return "quantity '" + text + "' is not a number";
    }
    if (!Double.isFinite(quantity)) {
      return "quantity must be finite, got " + text;
    }
    return null;
  }

  /**
   * A number from text as Spark's cast of a string to a double reads it (Java's grammar, then the
   * literals inf, infinity and nan in any case, signed), or null when it is not one: never 0.
   */
  static Double number(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
        case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
        case "nan" -> Double.NaN;
        default -> null;
      };
    }
  }
}
