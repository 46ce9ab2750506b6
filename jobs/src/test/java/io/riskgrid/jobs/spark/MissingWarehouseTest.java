package io.riskgrid.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.stress.StressJob;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #18: {@code margin} or {@code stress} on a mistyped {@code --warehouse} used to create 17 empty
 * tables and a run of 0 accounts; now it names the location and creates nothing.
 */
class MissingWarehouseTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-01-05");
  private static final MarginPolicy POLICY = PolicyLoader.preset("seed-default");
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.getOrCreate("missing-warehouse-test", Map.of("spark.master", "local[1]", "spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static long entries(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void marginAndStressOnADirectoryWithoutAWarehouseNameItAndCreateNothing() throws Exception {
    Path parent = Files.createTempDirectory("riskgrid-missing");
    Path typo = parent.resolve("riskgrid-warehuose");
    Warehouse warehouse = Warehouse.at(spark, typo.toString());
    InvalidInputException margin = assertThrows(InvalidInputException.class,
        () -> MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("scalar"), false));
    assertTrue(margin.getMessage().startsWith("--warehouse: no riskgrid warehouse at ")
        && margin.getMessage().contains("riskgrid-warehuose") && margin.getMessage().contains("margin created nothing"),
        margin.getMessage());
    InvalidInputException stress = assertThrows(InvalidInputException.class,
        () -> StressJob.run(spark, warehouse, AS_OF, POLICY, "historical", Kernels.select("scalar")));
    assertTrue(stress.getMessage().contains("stress created nothing"), stress.getMessage());
    assertEquals(0, entries(typo), "nothing written under " + typo);
  }
}
