package io.riskgrid.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TablesTest {

  static Stream<Table> tables() {
    return Tables.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void ddlParsesToExactlyTheCodeSchema(Table table) {
    StructType parsed = StructType.fromDDL(table.ddl());
    assertEquals(table.schema(), parsed,
        () -> table.name() + ": DDL and code differ\n code: " + table.schema().toDDL() + "\n ddl:  " + parsed.toDDL());
  }

  @Test
  void everyDdlFileBelongsToATableAndEveryTableHasOne() throws IOException, URISyntaxException {
    Path folder = Path.of(Table.class.getResource("/io/riskgrid/schemas/ddl/").toURI());
    Set<String> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    Set<String> expected = Tables.ALL.stream().map(t -> t.name() + ".sql").collect(Collectors.toSet());
    assertEquals(expected, files);
  }

  @Test
  void theWarehouseHasTheTablesOfTheDesign() {
    List<String> names = Tables.ALL.stream().map(Table::name).collect(Collectors.toList());
    assertEquals(List.of("instruments", "market_underlyings", "market_forwards", "market_vol_slices",
        "market_option_marks", "accounts", "collateral", "positions", "scenario_sets",
        "runs", "margins", "liquidation_curve", "margin_changes", "risk_arrays", "exposures", "stress_results", "reverse_stress", "rejects",
        "policy_comparison", "backtest_daily", "backtest_summary"), names);
    assertEquals(names.size(), new HashSet<>(names).size());
  }

  @Test
  void datedInputsAndEveryOutputAreReplacedByAsOfDateAndPartitionedByIt() {
    for (Table table : List.of(InputTables.MARKET_UNDERLYINGS, InputTables.MARKET_FORWARDS,
        InputTables.MARKET_VOL_SLICES, InputTables.MARKET_OPTION_MARKS, InputTables.ACCOUNTS,
        InputTables.COLLATERAL, InputTables.POSITIONS, OutputTables.MARGINS, OutputTables.LIQUIDATION_CURVE, OutputTables.MARGIN_CHANGES,
        OutputTables.RISK_ARRAYS,
        OutputTables.EXPOSURES, OutputTables.STRESS_RESULTS, OutputTables.REVERSE_STRESS, OutputTables.REJECTS,
        OutputTables.POLICY_COMPARISON)) {
      assertEquals(List.of(Columns.AS_OF_DATE), table.partitionColumns(), table.name());
      assertEquals(Columns.AS_OF_DATE, table.sliceColumn().orElseThrow(), table.name());
      assertEquals(DataTypes.DateType, table.sliceType().orElseThrow(), table.name());
    }
  }

  @Test
  void everyOutputCarriesItsRunIdAndItsDate() {
    for (Table table : OutputTables.ALL) {
      StructField runId = table.schema().apply(Columns.RUN_ID);
      assertEquals(DataTypes.StringType, runId.dataType());
      assertFalse(runId.nullable(), table.name());
      assertEquals(DataTypes.DateType, table.schema().apply(Columns.AS_OF_DATE).dataType(), table.name());
    }
    for (Table table : BacktestTables.ALL) {
      assertFalse(table.schema().apply(Columns.RUN_ID).nullable(), table.name());
      assertEquals(DataTypes.DateType, table.sliceType().orElseThrow(), table.name());
    }
  }

  @Test
  void marginsExplainThemselvesPerUnderlying() {
    StructField byUnderlying = OutputTables.MARGINS.schema().apply("by_underlying");
    assertEquals(DataTypes.createArrayType(OutputTables.UNDERLYING_MARGIN, true), byUnderlying.dataType());
    assertEquals(List.of("underlying", "scan_loss", "binding_scenario", "c_opt", "c_fut", "som", "mm",
        "delta", "gamma", "vega", "theta", "contributions"), List.of(OutputTables.UNDERLYING_MARGIN.fieldNames()));
    assertEquals(List.of("source", "contribution"), List.of(OutputTables.CONTRIBUTION.fieldNames()));
  }

  @Test
  void runsRecordInputVersionsCountsAndTimingsAsMapsOfLongs() {
    StructType runs = OutputTables.RUNS.schema();
    for (String column : List.of("input_versions", "counts", "timings_ms")) {
      assertEquals(DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true),
          runs.apply(column).dataType(), column);
    }
    assertEquals(DataTypes.TimestampType, runs.apply("started_at").dataType());
  }

  @Test
  void byNameFindsATableAndNamesTheKnownOnesOtherwise() {
    assertEquals(OutputTables.MARGINS, Tables.byName("margins"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Tables.byName("margin"));
    assertTrue(error.getMessage().contains("margins"), error.getMessage());
  }

  @Test
  void aConformingSchemaHasNoDifferencesWhateverItsColumnOrderOrNullability() {
    StructType reordered = new StructType();
    StructField[] fields = OutputTables.REJECTS.schema().fields();
    for (int i = fields.length - 1; i >= 0; i--) {
      reordered = reordered.add(fields[i].name(), fields[i].dataType(), true);
    }
    assertEquals(List.of(), OutputTables.REJECTS.differencesFrom(reordered));
    assertEquals(List.of(), OutputTables.MARGINS.differencesFrom(OutputTables.MARGINS.schema().asNullable()));
  }

  @Test
  void differencesNameTheMissingUnexpectedAndMistypedColumns() {
    StructType given = new StructType()
        .add("as_of_date", DataTypes.DateType)
        .add("run_id", DataTypes.StringType)
        .add("source_table", DataTypes.IntegerType)
        .add("key", DataTypes.StringType)
        .add("note", DataTypes.StringType);
    assertEquals(List.of("column source_table is INT, the table has STRING", "missing column reason STRING",
        "unexpected column note STRING"), OutputTables.REJECTS.differencesFrom(given));
  }

  @Test
  void aNestedFieldOfTheWrongTypeIsADifference() {
    StructType wrongContributor = new StructType()
        .add("member_id", DataTypes.StringType)
        .add("shortfall_usd", DataTypes.FloatType);
    StructType given = new StructType();
    for (StructField field : OutputTables.STRESS_RESULTS.schema().fields()) {
      given = field.name().equals("top_contributors")
          ? given.add(field.name(), DataTypes.createArrayType(wrongContributor))
          : given.add(field);
    }
    List<String> differences = OutputTables.STRESS_RESULTS.differencesFrom(given);
    assertEquals(1, differences.size(), differences.toString());
    assertTrue(differences.get(0).startsWith("column top_contributors is ARRAY<STRUCT<member_id: STRING, "
        + "shortfall_usd: FLOAT>>"), differences.get(0));
  }
}
