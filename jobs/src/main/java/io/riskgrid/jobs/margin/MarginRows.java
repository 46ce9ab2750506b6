package io.riskgrid.jobs.margin;

import io.riskgrid.margin.AccountMargin;
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
 * One engine result as one row: the {@code margins} columns, then the offending input rows
 * ({@code issues}, for {@code rejects}) and, when asked, the risk arrays (for {@code risk_arrays}).
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
  /** The result schema: margins, plus issues and risk arrays. */
  public static final StructType RESULT = OutputTables.MARGINS.schema()
      .add("issues", DataTypes.createArrayType(ISSUE))
      .add("risk_arrays", DataTypes.createArrayType(RISK_ARRAY));

  private MarginRows() {}

  public static Row of(AccountMargin m, Date asOf, String runId, boolean withRiskArrays) {
    List<Row> by = new ArrayList<>();
    List<Row> arrays = new ArrayList<>();
    for (UnderlyingMargin u : m.byUnderlying()) {
      by.add(RowFactory.create(u.underlying(), u.scanLoss(), u.bindingScenario(), u.optionContingency(),
          u.futuresContingency(), u.shortOptionMinimum(), u.mm(), u.delta(), u.gamma(), u.vega(), u.theta()));
      if (withRiskArrays) {
        List<Double> values = new ArrayList<>(u.riskArray().length);
        for (double v : u.riskArray()) {
          values.add(v);
        }
        arrays.add(RowFactory.create(u.underlying(), SparkValues.seq(u.scenarioLabels()), SparkValues.seq(values)));
      }
    }
    List<Row> issues = new ArrayList<>();
    for (Issue i : m.issues()) {
      issues.add(RowFactory.create(i.sourceTable(), i.key(), i.reason()));
    }
    return RowFactory.create(asOf, runId, m.accountId(), m.parentId(), m.marginMode(), m.marginCurrency(),
        m.status().name(), m.reason(), SparkValues.nullable(m.equity()), SparkValues.nullable(m.im()),
        SparkValues.nullable(m.mm()), SparkValues.nullable(m.pmIm()), SparkValues.nullable(m.pmMm()),
        SparkValues.nullable(m.standardIm()), SparkValues.nullable(m.standardMm()), SparkValues.nullable(m.pmSaving()),
        SparkValues.seq(by), SparkValues.seq(issues), SparkValues.seq(arrays));
  }
}
