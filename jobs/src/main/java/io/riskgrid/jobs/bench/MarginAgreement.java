package io.riskgrid.jobs.bench;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * DESIGN §3.4 Agreement between riskgrid's {@code margins} and another implementation's per-account
 * pm_mm and pm_im: {@code |a − b| ≤ 1e-9·max(|a|, |b|) + 1e-9·N}, with N the account's notional Σ_u N_u
 * in its margin currency. Computed in one distributed aggregation; only the counts and the single
 * worst account reach the driver.
 */
public final class MarginAgreement {
  static final double TOLERANCE = 1e-9;

  private MarginAgreement() {}

  /**
   * @param accountsCompared accounts riskgrid margined (status not REJECTED or DATA_ERROR)
   * @param accountsDiffering those whose pm_mm or pm_im disagree, or that the other side lacks
   * @param accountsMissing those the other side lacks (a row missing, or a null figure)
   * @param worstExcess the largest |a − b| over pm_mm and pm_im as a multiple of its tolerance (≤ 1
   *     agrees; +∞ for a missing or NaN figure; 0 when nothing was compared)
   * @param worstExample the account furthest outside (or, when all agree, closest to) the tolerance
   */
  public record Comparison(long accountsCompared, long accountsDiffering, long accountsMissing, double worstExcess,
      String worstExample) {
    public boolean agree() {
      return accountsDiffering == 0;
    }
  }

  /**
   * Compares every account of {@code riskgridMargins} (columns account_id, status, pm_mm, pm_im) whose
   * status is not REJECTED or DATA_ERROR with {@code otherMargins} (account_id, pm_mm, pm_im, notional,
   * as {@link SqlMarginFormulation#margins} writes them). An account the other side lacks, or where
   * either figure is null or NaN, differs.
   */
  public static Comparison compare(Dataset<Row> riskgridMargins, Dataset<Row> otherMargins) {
    Dataset<Row> valid = riskgridMargins.filter(col("status").isin("REJECTED", "DATA_ERROR").unary_$bang())
        .select(col("account_id"), col("pm_mm").as("riskgrid_mm"), col("pm_im").as("riskgrid_im"));
    Dataset<Row> other = otherMargins.select(col("account_id"), col("pm_mm").as("other_mm"), col("pm_im").as("other_im"),
        col("notional"));
    Dataset<Row> joined = valid.join(other, valid.col("account_id").equalTo(other.col("account_id")), "left")
        .select(valid.col("account_id"), col("riskgrid_mm"), col("other_mm"), col("riskgrid_im"), col("other_im"),
            col("notional"), other.col("account_id").isNull().as("missing"));
    Column excess = greatest(excess("riskgrid_mm", "other_mm"), excess("riskgrid_im", "other_im"));
    Dataset<Row> scored = joined.withColumn("excess", excess);
    Row r = scored.agg(count(lit(1)).as("compared"),
        sum(when(col("excess").gt(1.0), 1L).otherwise(0L)).as("differing"),
        sum(when(col("missing"), 1L).otherwise(0L)).as("missing"),
        max_by(struct(col("account_id"), col("riskgrid_mm"), col("other_mm"), col("riskgrid_im"), col("other_im"),
            col("notional"), col("missing"), col("excess")), col("excess")).as("worst"))
        .first();
    long compared = r.getLong(0);
    long differing = r.isNullAt(1) ? 0 : r.getLong(1);
    long missing = r.isNullAt(2) ? 0 : r.getLong(2);
    if (r.isNullAt(3)) {
      return new Comparison(compared, differing, missing, 0.0, "no accounts compared");
    }
    Row worst = r.getStruct(3);
    return new Comparison(compared, differing, missing, worst.getDouble(7), describe(worst));
  }

  /**
   * |a − b| as a multiple of the allowed tolerance (≤ 1 agrees); +∞ when either side is null or NaN,
   * or when the notional is, since the tolerance is then undefined.
   */
  private static Column excess(String riskgrid, String other) {
    Column a = col(riskgrid);
    Column b = col(other);
    Column n = col("notional");
    Column undefined = a.isNull().or(b.isNull()).or(n.isNull()).or(isnan(a)).or(isnan(b)).or(isnan(n));
    Column tolerance = lit(TOLERANCE).multiply(greatest(abs(a), abs(b))).plus(lit(TOLERANCE).multiply(n));
    return when(undefined, lit(Double.POSITIVE_INFINITY))
        .when(a.equalTo(b), lit(0.0))
        .otherwise(abs(a.minus(b)).divide(tolerance));
  }

  private static String describe(Row w) {
    String account = w.getString(0);
    if (w.getBoolean(6)) {
      return "account " + account + ": margined by riskgrid (pm_mm " + w.get(1) + ", pm_im " + w.get(3)
          + ") but missing from the other formulation";
    }
    return "account " + account + ": pm_mm riskgrid " + w.get(1) + " vs other " + w.get(2) + "; pm_im riskgrid " + w.get(3)
        + " vs other " + w.get(4) + "; notional " + w.get(5) + "; |a-b| is " + w.get(7)
        + " x the tolerance 1e-9*max(|a|,|b|) + 1e-9*N";
  }
}
