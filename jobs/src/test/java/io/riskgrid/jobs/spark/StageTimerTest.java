package io.riskgrid.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Progress of a long stage without a terminal: lines every interval with the rows the stage's Spark
 * tasks wrote, the stage's closing line, and nothing once the stage is over.
 */
class StageTimerTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void aLongStagePrintsTheRowsItsTasksWroteEveryIntervalAndStopsAfterIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    RunRecord run = RunRecord.start("margin", LocalDate.parse("2026-01-05"));
    StageTimer timer = new StageTimer(run, out, 100);
    String path = Files.createTempDirectory("riskgrid-stage-timer").resolve("rows").toString();
    timer.time("stage2_margins", () -> {
      spark.range(0, 5_000, 1, 2).write().parquet(path);
      sleep(700);
    });
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("riskgrid margin 2026-01-05: stage2_margins       running"), text);
    assertTrue(text.contains("5,000 rows written"), "the two tasks' rows, once both ended: " + text);
    assertTrue(text.lines().anyMatch(l -> l.matches("riskgrid margin 2026-01-05: stage2_margins +\\d+\\.\\d\\d s")),
        "the stage's closing line: " + text);
    int length = bytes.size();
    sleep(400);
    assertEquals(length, bytes.size(), "no progress line once the stage is over");
  }

  @Test
  void aStageThatOnlySumsCountsTheUnitsItsTasksReported() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    RunRecord run = RunRecord.start("backtest", LocalDate.parse("2025-12-31"));
    StageTimer timer = new StageTimer(run, out, 100);
    StageTimer.Work days = StageTimer.Work.of(spark, 40, "days");
    long sum = timer.time("backtest_days", days, () -> {
      long s = spark.range(0, 40, 1, 4).javaRDD().map(d -> {
        days.done().add(1);
        return d;
      }).reduce(Long::sum);
      sleep(500);
      return s;
    });
    assertEquals(780, sum);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("backtest_days        running"), text);
    assertTrue(text.contains("40 of 40 days done"), "the four tasks' days, once all ended: " + text);
    assertThrows(IllegalArgumentException.class, () -> new StageTimer.Work(days.done(), -1, "days"));
  }

  @Test
  void withProgressOffNothingIsPrintedAndTheTimingIsStillRecorded() {
    RunRecord run = RunRecord.start("margin", LocalDate.parse("2026-01-05"));
    StageTimer timer = new StageTimer(run, null, 50);
    assertEquals(3, timer.time("read_market", () -> 3));
    assertThrows(IllegalArgumentException.class, () -> new StageTimer(run, null, 0));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
