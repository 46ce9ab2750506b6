package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.spark.CommittedRuns;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code margins} slices of a date, one per policy (DESIGN §7.4): a margin run replaces the slice
 * (as_of_date, policy_name) only, so every reader of margins picks a policy. The default is the only
 * policy of the date; several without a choice is an error naming them, never a silent mix.
 */
public final class MarginSlices {
  private MarginSlices() {}

  /**
   * The rows of the slice (date, policy) as the latest committed margin run of it left them
   * ({@link CommittedRuns}), possibly empty: a run that died after writing margins but before its runs
   * row is not seen.
   */
  public static Dataset<Row> read(Warehouse warehouse, LocalDate date, String policyName) {
    return CommittedRuns.marginsSlice(warehouse, date, policyName);
  }

  /** The rows of the slice (date, policy) at the table's latest version, committed or not: a run's own check. */
  static Dataset<Row> readWritten(Warehouse warehouse, LocalDate date, String policyName) {
    return warehouse.read(OutputTables.MARGINS, date).where(col(OutputTables.POLICY_NAME).equalTo(lit(policyName)));
  }

  /** The policies with a margins slice on {@code date}, in name order; empty when the date has none. */
  public static List<String> policies(Warehouse warehouse, LocalDate date) {
    return warehouse.read(OutputTables.MARGINS, date).select(OutputTables.POLICY_NAME).distinct()
        .orderBy(OutputTables.POLICY_NAME).collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /**
   * The policy whose slice a reader of {@code date} uses: {@code wanted} when given (it must have a slice),
   * else the date's only policy.
   *
   * @param option the command's option that selects the policy, named in the errors (e.g. {@code --policy})
   * @throws InvalidInputException when the date has no margins, lacks {@code wanted}, or has several
   *     policies and none was chosen; the message lists the policies found
   */
  public static String choose(Warehouse warehouse, LocalDate date, String wanted, String option) {
    return choose(policies(warehouse, date), date, wanted, option);
  }

  /** {@link #choose(Warehouse, LocalDate, String, String)} over the policies already {@code found}. */
  public static String choose(List<String> found, LocalDate date, String wanted, String option) {
    if (found.isEmpty()) {
      throw new InvalidInputException("--as-of", "no margins for " + date + ": run 'riskgrid margin --as-of " + date
          + "' first");
    }
    if (wanted != null) {
      if (!found.contains(wanted)) {
        throw new InvalidInputException(option, "no margins of policy '" + wanted + "' for " + date
            + "; the date has " + found + ": run 'riskgrid margin --as-of " + date + " --policy " + wanted
            + "' or choose one of those");
      }
      return wanted;
    }
    if (found.size() > 1) {
      throw new InvalidInputException(option, date + " has margins of " + found.size() + " policies " + found
          + ": choose one with " + option);
    }
    return found.get(0);
  }
}
