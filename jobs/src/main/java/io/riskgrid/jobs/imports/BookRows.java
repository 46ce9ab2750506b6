package io.riskgrid.jobs.imports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The three raw files of a book ({@link BookFile}, {@link DeribitSnapshot}) as one dataset of
 * {@link BookWalk#IN} rows, so that one shuffle brings each account's rows together for the checks
 * and the clustered layout at once.
 */
final class BookRows {
  private BookRows() {}

  /** The accounts, collateral and positions rows, every value trimmed text, null when blank. */
  static Dataset<Row> of(Dataset<Row> accounts, Dataset<Row> collateral, Dataset<Row> positions) {
    Column none = lit(null).cast(DataTypes.StringType);
    Dataset<Row> a = accounts.select(lit(BookWalk.ACCOUNTS).as("tbl"), text("account_id").as("account_id"),
        none.as("item"), none.as("item_key"), text("parent_id").as("parent_id"), upper(text("margin_mode")).as("margin_mode"),
        upper(text("margin_currency")).as("margin_currency"), none.as("q_text"), none.as("e_text"), col(BookFile.SOURCE),
        col(BookFile.LINE), col(BookFile.MALFORMED), problem(accounts));
    Dataset<Row> c = collateral.select(lit(BookWalk.COLLATERAL).as("tbl"), text("account_id").as("account_id"),
        text("asset").as("item"), upper(text("asset")).as("item_key"), none.as("parent_id"), none.as("margin_mode"),
        none.as("margin_currency"), text("quantity").as("q_text"), none.as("e_text"), col(BookFile.SOURCE),
        col(BookFile.LINE), col(BookFile.MALFORMED), problem(collateral));
    Dataset<Row> p = positions.select(lit(BookWalk.POSITIONS).as("tbl"), text("account_id").as("account_id"),
        text("instrument_id").as("item"), text("instrument_id").as("item_key"), none.as("parent_id"),
        none.as("margin_mode"), none.as("margin_currency"), text("quantity").as("q_text"), text("entry_price").as("e_text"),
        col(BookFile.SOURCE), col(BookFile.LINE), col(BookFile.MALFORMED), problem(positions));
    return a.union(c).union(p);
  }

  /** A reason the reader already found ({@link DeribitSnapshot#PROBLEM}), or null where the format has none. */
  private static Column problem(Dataset<Row> rows) {
    return (Arrays.asList(rows.columns()).contains(DeribitSnapshot.PROBLEM) ? col(DeribitSnapshot.PROBLEM)
        : lit(null).cast(DataTypes.StringType)).as(DeribitSnapshot.PROBLEM);
  }

  /** The trimmed text of a column, null when blank. */
  private static Column text(String column) {
    Column t = trim(col(column));
    return when(t.equalTo(""), lit(null)).otherwise(t);
  }
}
