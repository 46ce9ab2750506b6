package io.riskgrid.jobs.margin;

import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.Contribution;
import io.riskgrid.margin.Issue;
import io.riskgrid.margin.UnderlyingMargin;
import io.riskgrid.schemas.OutputTables;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What a margin partition emits, as rows of one schema: the {@code margins} columns, then the
 * offending input rows ({@code issues}, for {@code rejects}), when asked the risk arrays (for
 * {@code risk_arrays}), and the row's kind: {@value #ACCOUNT} for one account's result, {@value #ORPHAN}
 * for an input row of no account (only {@code issues} set).
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

  private MarginRows() {}

  /** The policy a margin run's rows carry: {@code margins.policy_name} and {@code policy_hash}. */
  public record RunPolicy(String name, String hash) implements java.io.Serializable {
    public RunPolicy {
      java.util.Objects.requireNonNull(name, "policy name");
      java.util.Objects.requireNonNull(hash, "policy hash");
    }
  }

  /**
   * @param contributionsKept how many contributions per underlying to keep before the OTHER row
   *     ({@link Contribution#top}); {@link Integer#MAX_VALUE} keeps every one
   */
  public static Row of(AccountMargin m, Date asOf, String runId, RunPolicy policy, boolean withRiskArrays,
      int contributionsKept) {
    return of(m, m.issues(), asOf, runId, policy, withRiskArrays, contributionsKept);
  }

  /** As above, with {@code rejects} the account's issues that go to {@code rejects} (see {@link MarketRejects}). */
  static Row of(AccountMargin m, List<Issue> rejects, Date asOf, String runId, RunPolicy policy, boolean withRiskArrays,
      int contributionsKept) {
    List<Row> by = new ArrayList<>();
    List<Row> arrays = new ArrayList<>();
    for (UnderlyingMargin u : m.byUnderlying()) {
      List<Row> parts = new ArrayList<>();
      for (Contribution c : Contribution.top(u.contributions(), contributionsKept)) {
        parts.add(RowFactory.create(c.source(), c.amount()));
      }
      by.add(RowFactory.create(u.underlying(), u.scanLoss(), u.bindingScenario(), u.optionContingency(),
          u.futuresContingency(), u.shortOptionMinimum(), u.mm(), u.delta(), u.gamma(), u.vega(), u.theta(),
          SparkValues.seq(parts)));
      if (withRiskArrays) {
        List<Double> values = new ArrayList<>(u.riskArray().length);
        for (double v : u.riskArray()) {
          values.add(v);
        }
        arrays.add(RowFactory.create(u.underlying(), SparkValues.seq(u.scenarioLabels()), SparkValues.seq(values)));
      }
    }
    List<Row> issues = new ArrayList<>();
    for (Issue i : rejects) {
      issues.add(RowFactory.create(i.sourceTable(), i.key(), i.reason()));
    }
    return RowFactory.create(asOf, runId, policy.name(), policy.hash(), m.accountId(), m.parentId(), m.marginMode(), m.marginCurrency(),
        m.status().name(), m.reason(), SparkValues.nullable(m.equity()), SparkValues.nullable(m.im()),
        SparkValues.nullable(m.mm()), SparkValues.nullable(m.pmIm()), SparkValues.nullable(m.pmMm()),
        SparkValues.nullable(m.standardIm()), SparkValues.nullable(m.standardMm()), SparkValues.nullable(m.pmSaving()),
        SparkValues.nullable(m.liqMoveDown()), SparkValues.nullable(m.liqMoveUp()), SparkValues.seq(by), SparkValues.seq(issues), SparkValues.seq(arrays), ACCOUNT);
  }

  /** An input row that belongs to no account. */
  public static Row orphan(Issue orphan, Date asOf, String runId, RunPolicy policy) {
    Object[] values = new Object[RESULT.size()];
    values[0] = asOf;
    values[1] = runId;
    values[2] = policy.name();
    values[3] = policy.hash();
    values[MARGIN_COLUMNS] = SparkValues.seq(List.of(RowFactory.create(orphan.sourceTable(), orphan.key(), orphan.reason())));
    values[MARGIN_COLUMNS + 1] = SparkValues.seq(List.of());
    values[MARGIN_COLUMNS + 2] = ORPHAN;
    return RowFactory.create(values);
  }
}
