package io.riskgrid.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.Riskgrid;
import io.riskgrid.schemas.OutputTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The self-check in local mode; {@code StandaloneClusterIT} runs it on a real cluster. */
class SelfcheckCommandTest {

  @TempDir
  static Path folder;

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void writesReadsBackAndReplacesItsSliceOnARerun() {
    String location = folder.resolve("warehouse").toString();
    for (int run = 1; run <= 2; run++) {
      StringWriter out = new StringWriter();
      CommandLine cli = new CommandLine(new Riskgrid());
      cli.setOut(new PrintWriter(out));
      int exit = cli.execute("selfcheck", "--warehouse", location, "--rows", "1000", "--partitions", "3");
      assertEquals(0, exit, out.toString());
      assertTrue(out.toString().startsWith("selfcheck OK: 1000 rows in 3 partitions"), out.toString());
    }
    Warehouse warehouse = Warehouse.at(spark, location);
    Row totals = warehouse.read(SelfcheckCommand.SELFCHECK, LocalDate.of(2026, 1, 5))
        .selectExpr("count(*)", "sum(value)", "count(DISTINCT run_id)").head();
    assertEquals(1000L, totals.getLong(0));
    assertEquals(SelfcheckCommand.expectedSum(1000), totals.getDouble(1));
    assertEquals(1L, totals.getLong(2));
    assertEquals(2L, warehouse.read(OutputTables.RUNS).where("command = 'selfcheck'").count());
    assertEquals(List.of("runs"), warehouse.registerViews());
  }

  @Test
  void theExpectedSumIsTheClosedForm() {
    assertEquals(0.0, SelfcheckCommand.expectedSum(1));
    assertEquals(0.5 + 1.0 + 1.5, SelfcheckCommand.expectedSum(4));
  }
}
