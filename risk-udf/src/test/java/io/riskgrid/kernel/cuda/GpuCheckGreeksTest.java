package io.riskgrid.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.kernel.ScalarKernel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The GPU check's Greeks steps, run here with the scalar kernel standing in for cuda: the parity
 * code accepts a kernel that is the reference, and the benchmark runs to the end. What they print
 * on a GPU host is in deploy/gpu/README.md.
 */
class GpuCheckGreeksTest {

  @Test
  void parityStepsPassForTheReferenceItselfAndTheBenchmarksRun() {
    PrintStream before = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      assertTrue(GpuCheckGreeks.greeksParity(ScalarKernel.INSTANCE));
      GpuCheckGreeks.benchmarkGreeks(ScalarKernel.INSTANCE, 10_000, 2);
    } finally {
      System.setOut(before);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("parity Greeks: 1,000,003 cells × 5 Greeks, worst relative difference 0.00e+00"), log);
    assertTrue(log.contains("price bit-identical to cuda revaluation: true; 7 deep-OTM and 1-hour cells"), log);
    assertTrue(log.contains("Greeks, 10,000 cells per batch"), log);
  }
}
