package io.riskgrid.jobs.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernel choice in the task (this machine has no GPU) and how runs records the kernels tasks used. */
class ExecutorKernelTest {

  @Test
  void outsideASparkTaskTheDeviceIsZeroAndCpuKernelsNeedNoDevice() {
    assertEquals(0, ExecutorKernel.assignedGpu());
    assertEquals("simd", ExecutorKernel.forThisTask("simd").kernel().name());
    assertEquals("scalar", ExecutorKernel.forThisTask("scalar").kernel().name());
  }

  @Test
  void autoFallsBackWithTheReasonAndCudaFailsTheTaskWithoutAGpu() {
    Kernels.Choice auto = ExecutorKernel.forThisTask("auto");
    assertEquals("simd", auto.kernel().name());
    assertTrue(auto.reason().startsWith("auto: cuda unavailable"), auto.reason());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ExecutorKernel.forThisTask("cuda"));
    assertTrue(e.getMessage().contains("cuda is not available"), e.getMessage());
  }

  @Test
  void runsRecordsTheDistinctKernelsTheTasksRanOrTheDriversChoiceWhenNoTaskRan() {
    Kernels.Choice driver = Kernels.select("simd");
    KernelsUsed mixed = KernelsUsed.of(
        List.of("simd\tauto: cuda unavailable (no driver)", "cuda\tauto: cuda usable on GPU 1", "simd\tauto: cuda unavailable (no driver)"),
        driver);
    assertEquals("cuda,simd", mixed.names());
    assertEquals("cuda: auto: cuda usable on GPU 1; simd: auto: cuda unavailable (no driver)", mixed.reasons());
    KernelsUsed none = KernelsUsed.of(List.of(), driver);
    assertEquals("simd", none.names());
    assertEquals("requested", none.reasons());
  }
}
