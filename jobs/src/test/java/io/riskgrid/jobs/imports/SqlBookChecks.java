package io.riskgrid.jobs.imports;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * The reference for {@link BookWalk}: the row checks of {@code import book} as they were written before
 * the walk, one Spark SQL expression per rule, with windows for the first line of each repeated key and
 * joins for the account of each row. Slow (three windows, two joins, an anti-join) and independent of
 * the walk's code; {@code BookWalkTest} asserts both give the same rejects and the same written rows.
 */
final class SqlBookChecks {
  private static final String PROBLEM = DeribitSnapshot.PROBLEM;
  private static final String TABLE = "table";

  private final String word;
  private final String accountsFile;
  private final Set<String> coins;
  private final Dataset<Row> instruments;
  private final Set<String> unreadable;

  /**
   * @param word {@code line} or {@code row}, as the format counts
   * @param accountsFile the accounts file's name, for the reason of an account without a row there
   * @param coins underlyings of the known instruments: the coins an account may be margined in, beside USD
   * @param instruments i_id, i_underlying, i_kind, i_settlement of every known instrument
   * @param unreadable instrument ids whose positions cannot be read (a Deribit size converted by terms
   *     that {@code instruments} contradicts)
   */
  SqlBookChecks(String word, String accountsFile, Set<String> coins, Dataset<Row> instruments, Set<String> unreadable) {
    this.word = word;
    this.accountsFile = accountsFile;
    this.coins = coins;
    this.instruments = instruments;
    this.unreadable = unreadable;
  }

  /**
   * The rows to write (every row with an account_id, as given, numbers unparsable as null so that the
   * margin run reads NaN, never 0) and the rejects: table, source, line, account_id, reason.
   */
  record Checked(Dataset<Row> accounts, Dataset<Row> collateral, Dataset<Row> positions, Dataset<Row> rejects,
      long accountsAdded, List<Dataset<Row>> cached) {
    /** Frees the checked rows, which are cached because the rejects, the counts and the layout all read them. */
    void release() {
      cached.forEach(Dataset::unpersist);
    }
  }

  Checked check(Dataset<Row> accountRows, Dataset<Row> collateralRows, Dataset<Row> positionRows) {
    Dataset<Row> a = accountRows.select(col(BookFile.SOURCE), col(BookFile.LINE), problem(accountRows), text("account_id").as("account_id"),
            text("parent_id").as("parent_id"), upper(text("margin_mode")).as("margin_mode"),
            upper(text("margin_currency")).as("margin_currency"))
        .withColumn("first_line", firstLine(col("account_id")));
    Column knownCurrency = col("margin_currency").equalTo("USD")
        .or(coins.isEmpty() ? lit(false) : col("margin_currency").isin(coins.toArray()));
    Dataset<Row> checkedAccounts = a.withColumn("reason", coalesce(col(PROBLEM),
        when(col("account_id").isNull(), lit("account_id is missing")),
        when(col(BookFile.LINE).notEqual(col("first_line")), concat(lit("duplicate account_id '"), col("account_id"),
            lit("': its first row is " + word + " "), col("first_line").cast(DataTypes.StringType))),
        when(not(coalesce(col("margin_mode").isin("PORTFOLIO", "STANDARD"), lit(false))), concat(lit("margin_mode '"),
            coalesce(col("margin_mode"), lit("")), lit("' must be PORTFOLIO or STANDARD"))),
        when(not(coalesce(knownCurrency, lit(false))), concat(lit("margin_currency '"), coalesce(col("margin_currency"), lit("")),
            lit("' is unknown: expected USD or the coin of a known underlying " + coins)))))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> accounts = checkedAccounts.filter(col("account_id").isNotNull()
        .and(col(BookFile.LINE).equalTo(col("first_line"))))
        .select("account_id", "parent_id", "margin_mode", "margin_currency");
    Dataset<Row> currencies = accounts.select(col("account_id").as("a_id"), col("margin_currency").as("a_currency"),
        coalesce(knownCurrency, lit(false)).as("a_known"));

    Dataset<Row> p = positionRows.select(col(BookFile.SOURCE), col(BookFile.LINE), problem(positionRows), text("account_id").as("account_id"),
            text("instrument_id").as("instrument_id"), text("quantity").as("q_text"), text("entry_price").as("e_text"))
        .withColumn("quantity", number("q_text")).withColumn("entry_price", number("e_text"))
        .join(broadcast(instruments), col("instrument_id").equalTo(col("i_id")), "left")
        .join(currencies, col("account_id").equalTo(col("a_id")), "left")
        .withColumn("first_line", firstLine(col("account_id"), col("instrument_id")));
    Column entryOk = col("entry_price").gt(0).and(not(notFinite(col("entry_price"))));
    Dataset<Row> checkedPositions = p.withColumn("reason", coalesce(col(PROBLEM),
        missing("account_id"), missing("instrument_id"), quantityProblem(),
        when(col("e_text").isNotNull().and(col("entry_price").isNull()),
            concat(lit("entry_price '"), col("e_text"), lit("' is not a number"))),
        when(col("i_id").isNull(), concat(lit("unknown instrument_id '"), col("instrument_id"),
            lit("': in neither the instruments table nor the instruments file"))),
        unreadable.isEmpty() ? lit(null).cast(DataTypes.StringType) : when(col("instrument_id").isin(unreadable.toArray()),
            concat(lit("instrument "), col("instrument_id"), lit(" has other terms in the instruments table than its name"
                + " gives, so its size cannot be read as contracts"))),
        when(col("i_kind").notEqual("OPTION").and(not(coalesce(entryOk, lit(false)))), concat(
            lit("entry_price is required, finite and > 0 for a "), col("i_kind"), lit(", got "),
            coalesce(col("e_text"), lit("nothing")))),
        noAccountRow("positions"),
        duplicate(concat(lit("account '"), col("account_id"), lit("' already holds "), col("instrument_id"))),
        when(col("a_known").and(col("a_currency").equalTo("USD")).and(col("i_settlement").equalTo("INVERSE")), concat(
            lit("inverse instrument "), col("instrument_id"), lit(" cannot be held in a USD-margined account; it belongs in a "),
            col("i_underlying"), lit("-margined account"))),
        when(col("a_known").and(col("a_currency").notEqual("USD")).and(col("i_settlement").notEqual("INVERSE")
            .or(col("i_underlying").notEqual(col("a_currency")))), concat(lit("instrument "), col("instrument_id"),
            lit(" ("), col("i_settlement"), lit(" on "), col("i_underlying"), lit(") cannot be held in a "),
            col("a_currency"), lit("-margined account; coin accounts hold inverse instruments of their own coin")))))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> positions = checkedPositions.filter(col("account_id").isNotNull())
        .select("account_id", "instrument_id", "quantity", "entry_price");

    Dataset<Row> c = collateralRows.select(col(BookFile.SOURCE), col(BookFile.LINE), problem(collateralRows), text("account_id").as("account_id"),
            text("asset").as("asset"), text("quantity").as("q_text"))
        .withColumn("quantity", number("q_text"))
        .join(currencies.select("a_id"), col("account_id").equalTo(col("a_id")), "left")
        .withColumn("first_line", firstLine(col("account_id"), upper(col("asset"))));
    Dataset<Row> checkedCollateral = c.withColumn("reason", coalesce(col(PROBLEM), missing("account_id"), missing("asset"),
        quantityProblem(), noAccountRow("collateral"),
        duplicate(concat(lit("account '"), col("account_id"), lit("' already has a balance of "), col("asset")))))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> collateral = checkedCollateral.filter(col("account_id").isNotNull()).select("account_id", "asset", "quantity");

    // Accounts seen only in positions or collateral get an empty row, so that their REJECTED margins row exists.
    Dataset<Row> orphans = positions.select("account_id").union(collateral.select("account_id")).distinct()
        .join(accounts.select("account_id"), "account_id", "left_anti")
        .select(col("account_id"), lit(null).cast(DataTypes.StringType).as("parent_id"),
            lit(null).cast(DataTypes.StringType).as("margin_mode"), lit(null).cast(DataTypes.StringType).as("margin_currency"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    long added = orphans.count();

    Dataset<Row> rejects = rejects("accounts", checkedAccounts).unionByName(rejects("collateral", checkedCollateral))
        .unionByName(rejects("positions", checkedPositions));
    return new Checked(accounts.unionByName(orphans), collateral, positions, rejects, added,
        List.of(checkedAccounts, checkedPositions, checkedCollateral, orphans));
  }

  /** Rejected rows of {@code table}, the reason prefixed by the file name and the line. */
  private Dataset<Row> rejects(String table, Dataset<Row> checked) {
    return checked.filter(col("reason").isNotNull()).select(lit(table).as(TABLE), col(BookFile.SOURCE), col(BookFile.LINE),
        col("account_id"), concat(regexp_extract(col(BookFile.SOURCE), "([^/]+)$", 1), lit(" " + word + " "),
            col(BookFile.LINE).cast(DataTypes.StringType), lit(": "), col("reason")).as("reason"));
  }

  /** A reason the reader already found ({@link DeribitSnapshot#PROBLEM}), or null where the format has none. */
  private static Column problem(Dataset<Row> rows) {
    return (java.util.Arrays.asList(rows.columns()).contains(PROBLEM) ? col(PROBLEM)
        : lit(null).cast(DataTypes.StringType)).as(PROBLEM);
  }

  /** The trimmed text of a column, null when blank. */
  private static Column text(String column) {
    Column t = trim(col(column));
    return when(t.equalTo(""), lit(null)).otherwise(t);
  }

  /** A number from text; null when it is not one (Spark reads NaN and Infinity as such). */
  private static Column number(String textColumn) {
    return expr("try_cast(`" + textColumn + "` as double)");
  }

  private static Column notFinite(Column number) {
    return isnan(number).or(number.equalTo(Double.POSITIVE_INFINITY)).or(number.equalTo(Double.NEGATIVE_INFINITY));
  }

  private static Column missing(String column) {
    return when(col(column).isNull(), lit(column + " is missing"));
  }

  private static Column quantityProblem() {
    return coalesce(when(col("q_text").isNull(), lit("quantity is missing")),
        when(col("quantity").isNull(), concat(lit("quantity '"), col("q_text"), lit("' is not a number"))),
        when(notFinite(col("quantity")), concat(lit("quantity must be finite, got "), col("q_text"))));
  }

  private Column noAccountRow(String what) {
    return when(col("a_id").isNull(), concat(lit("account '"), col("account_id"), lit("' has " + what + " but no row in "
        + accountsFile)));
  }

  private Column duplicate(Column what) {
    return when(col(BookFile.LINE).notEqual(col("first_line")), concat(lit("duplicate row: "), what, lit(" on " + word + " "),
        col("first_line").cast(DataTypes.StringType)));
  }

  private static Column firstLine(Column... partition) {
    return min(col(BookFile.LINE)).over(Window.partitionBy(partition));
  }
}
