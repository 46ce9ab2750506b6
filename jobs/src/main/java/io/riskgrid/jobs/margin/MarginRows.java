package io.riskgrid.jobs.margin;

import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.Contribution;
import io.riskgrid.margin.Issue;
import io.riskgrid.margin.UnderlyingMargin;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * What a margin partition emits, as rows of one schema: the {@code margins} columns, then the
 * offending input rows ({@code issues}, for {@code rejects}), when asked the risk arrays (for
 * {@code risk_arrays}), and the row's kind: {@value #ACCOUNT} for one account's result, {@value #ORPHAN}
 * for an input row of no account (only {@code issues} set).
 *
 * <p>Rows are built in Spark's internal form (dates as days since 1970-01-01, strings as
 * {@link UTF8String}, arrays as {@link GenericArrayData}) because the external {@code Row} with its
 * nested {@code by_underlying} array went through Spark's row encoder once per account, the largest
 * single cost of the margin pass outside the engine (#19 profile). {@link #RESULT} is the schema they follow.
 */
public final class MarginRows {
  public static final StructType ISSUE = new StructType()
      .add("source_table", DataTypes.StringType)
      .add("key", DataTypes.StringType)
      .add("reason", DataTypes.StringType);
  public static final StructType RISK_ARRAY = new StructType()
      .add("underlying", DataTypes.StringType)
      .add("scenario_labels", DataTypes.createArrayType(DataTypes.StringType))
      .add("risk_array", DataTypes.createArrayType(DataTypes.DoubleType));
  public static final String ACCOUNT = "account";
  public static final String ORPHAN = "orphan";
  /** The result schema: margins, plus issues, risk arrays and the row kind. */
  public static final StructType RESULT = OutputTables.MARGINS.schema()
      .add("issues", DataTypes.createArrayType(ISSUE))
      .add("risk_arrays", DataTypes.createArrayType(RISK_ARRAY))
      .add("row_kind", DataTypes.StringType);
  private static final int MARGIN_COLUMNS = OutputTables.MARGINS.schema().size();
  private static final UTF8String ACCOUNT_KIND = UTF8String.fromString(ACCOUNT);
  private static final UTF8String ORPHAN_KIND = UTF8String.fromString(ORPHAN);
  private static final GenericArrayData EMPTY = new GenericArrayData(new Object[0]);

  private MarginRows() {}

  /** The policy a margin run's rows carry: {@code margins.policy_name} and {@code policy_hash}. */
  public record RunPolicy(String name, String hash) implements java.io.Serializable {
    public RunPolicy {
      java.util.Objects.requireNonNull(name, "policy name");
      java.util.Objects.requireNonNull(hash, "policy hash");
    }
  }

  /**
   * The columns every row of one run shares, converted once per partition: the date as days since
   * 1970-01-01 and the run id, policy name and hash as {@link UTF8String}.
   */
  public record RunColumns(int asOfDays, UTF8String runId, UTF8String policyName, UTF8String policyHash) {
    public static RunColumns of(LocalDate asOf, String runId, RunPolicy policy) {
      return new RunColumns((int) asOf.toEpochDay(), UTF8String.fromString(runId),
          UTF8String.fromString(policy.name()), UTF8String.fromString(policy.hash()));
    }
  }

  /**
   * One account's row.
   *
   * @param rejects the account's issues that go to {@code rejects} (see {@link MarketRejects})
   * @param contributionsKept how many contributions per underlying to keep before the OTHER row
   *     ({@link Contribution#top}); {@link Integer#MAX_VALUE} keeps every one
   */
  public static InternalRow of(AccountMargin m, List<Issue> rejects, RunColumns run, boolean withRiskArrays,
      int contributionsKept) {
    List<UnderlyingMargin> underlyings = m.byUnderlying();
    Object[] by = new Object[underlyings.size()];
    Object[] arrays = new Object[withRiskArrays ? underlyings.size() : 0];
    for (int i = 0; i < by.length; i++) {
      UnderlyingMargin u = underlyings.get(i);
      List<Contribution> kept = Contribution.top(u.contributions(), contributionsKept);
      Object[] parts = new Object[kept.size()];
      for (int k = 0; k < parts.length; k++) {
        Contribution c = kept.get(k);
        parts[k] = new GenericInternalRow(new Object[] {text(c.source()), c.amount()});
      }
      by[i] = new GenericInternalRow(new Object[] {text(u.underlying()), u.scanLoss(), text(u.bindingScenario()),
          u.optionContingency(), u.futuresContingency(), u.shortOptionMinimum(), u.mm(), u.delta(), u.gamma(),
          u.vega(), u.theta(), new GenericArrayData(parts)});
      if (withRiskArrays) {
        List<String> labels = u.scenarioLabels();
        Object[] labelTexts = new Object[labels.size()];
        for (int k = 0; k < labelTexts.length; k++) {
          labelTexts[k] = text(labels.get(k));
        }
        arrays[i] = new GenericInternalRow(new Object[] {text(u.underlying()), new GenericArrayData(labelTexts),
            new GenericArrayData(u.riskArray().clone())});
      }
    }
    Object[] issues = new Object[rejects.size()];
    for (int i = 0; i < issues.length; i++) {
      issues[i] = issue(rejects.get(i));
    }
    return new GenericInternalRow(new Object[] {run.asOfDays(), run.runId(), run.policyName(), run.policyHash(),
        text(m.accountId()), text(m.parentId()), text(m.marginMode()), text(m.marginCurrency()),
        text(m.status().name()), text(m.reason()), SparkValues.nullable(m.equity()), SparkValues.nullable(m.im()),
        SparkValues.nullable(m.mm()), SparkValues.nullable(m.pmIm()), SparkValues.nullable(m.pmMm()),
        SparkValues.nullable(m.standardIm()), SparkValues.nullable(m.standardMm()), SparkValues.nullable(m.pmSaving()),
        SparkValues.nullable(m.liqMoveDown()), SparkValues.nullable(m.liqMoveUp()), new GenericArrayData(by),
        new GenericArrayData(issues), new GenericArrayData(arrays), ACCOUNT_KIND});
  }

  /** An input row that belongs to no account. */
  static InternalRow orphan(Issue orphan, RunColumns run) {
    Object[] values = new Object[RESULT.size()];
    values[0] = run.asOfDays();
    values[1] = run.runId();
    values[2] = run.policyName();
    values[3] = run.policyHash();
    values[MARGIN_COLUMNS] = new GenericArrayData(new Object[] {issue(orphan)});
    values[MARGIN_COLUMNS + 1] = EMPTY;
    values[MARGIN_COLUMNS + 2] = ORPHAN_KIND;
    return new GenericInternalRow(values);
  }

  private static InternalRow issue(Issue i) {
    return new GenericInternalRow(new Object[] {text(i.sourceTable()), text(i.key()), text(i.reason())});
  }

  private static UTF8String text(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }
}
