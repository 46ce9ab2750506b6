package io.riskgrid.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.SimdKernel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * On a host without a usable GPU (this build machine, CI): auto falls back to simd with the reason,
 * {@code --kernel cuda} fails naming why, and the cuda kernel refuses to run rather than compute on
 * the CPU. Skipped on GPU hosts, where {@link CudaKernelParityTest} runs instead.
 */
class CudaUnavailableTest {

  private static CudaUnavailableException whyNoGpu() {
    Optional<CudaUnavailableException> e = CudaKernel.probe(0);
    Assumptions.assumeTrue(e.isPresent(), "SKIPPED: this host has a usable GPU; CudaKernelParityTest covers it");
    return e.get();
  }

  @Test
  void probeNamesTheReason() {
    CudaUnavailableException e = whyNoGpu();
    String m = e.getMessage();
    assertTrue(m.startsWith(e.reason().label() + ": "), m);
    if (e.reason() == CudaUnavailableException.Reason.NO_DRIVER && m.contains("libcuda.so.1 cannot be loaded")) {
      // The usual case here: JCuda's native library cannot find libcuda. One line, not JCuda's stack dump.
      assertTrue(m.contains("libcuda.so.1: cannot open shared object file"), m);
      assertTrue(!m.contains("\n"), m);
    }
    // Cached: the second probe gives the same reason without touching the driver again.
    assertEquals(m, CudaKernel.probe(0).orElseThrow().getMessage());
  }

  @Test
  void cudaKernelThrowsInsteadOfRunningOnTheCpu() {
    whyNoGpu();
    CudaKernel cuda = CudaKernel.onDevice(0);
    OptionCells cells = ParityCases.cells(1, 100);
    double[] out = new double[100];
    Arrays.fill(out, -1);
    assertThrows(CudaUnavailableException.class, () -> cuda.black76(cells, out));
    PnlMatrix m = ParityCases.matrix(2, 10, new int[] {5});
    PositionBatch b = ParityCases.batch(3, 4, 3, 10);
    assertThrows(CudaUnavailableException.class, () -> cuda.aggregate(b, m, new double[4 * 5]));
    assertThrows(CudaUnavailableException.class, () -> cuda.black76Greeks(cells, out, out, out, out, out));
    assertTrue(Arrays.stream(out).allMatch(v -> v == -1), "nothing was computed");
    assertThrows(CudaUnavailableException.class, () -> CudaKernel.open(0));
  }

  @Test
  void kernelCudaFailsWithAClearMessage() {
    CudaUnavailableException why = whyNoGpu();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Kernels.select("cuda"));
    assertEquals("kernel", e.field());
    assertTrue(e.getMessage().startsWith("kernel: cuda is not available: " + why.reason().label() + ": "),
        e.getMessage());
    assertTrue(e.getMessage().contains(why.getMessage()), e.getMessage());
    assertTrue(e.getMessage().contains("choose the auto kernel to fall back to simd"), e.getMessage());
    assertEquals(why.getMessage(), Kernels.cudaUnavailableReason());
  }

  @Test
  void autoFallsBackToSimdWithTheReasonLoggedOnce() {
    CudaUnavailableException why = whyNoGpu();
    Logger log = Logger.getLogger(Kernels.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler h = new Handler() {
      @Override public void publish(LogRecord r) { records.add(r); }
      @Override public void flush() {}
      @Override public void close() {}
    };
    Level before = log.getLevel();
    log.setLevel(Level.ALL);
    log.addHandler(h);
    try {
      Kernels.Choice first = Kernels.select("auto");
      Kernels.Choice second = Kernels.select(null);
      assertSame(SimdKernel.INSTANCE, first.kernel());
      assertEquals("auto: cuda unavailable (" + why.getMessage() + ")", first.reason());
      assertEquals(first, second);
    } finally {
      log.removeHandler(h);
      log.setLevel(before);
    }
    // Once at INFO per JVM (another test may have logged it already), then at FINE.
    assertTrue(records.stream().filter(r -> r.getLevel() == Level.INFO).count() <= 1, records.toString());
    assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.FINE), records.toString());
    assertTrue(records.stream().allMatch(r -> r.getMessage().contains("kernel simd — auto: cuda unavailable (")));
  }

  /** Runs anywhere: the kernel travels in Spark closures and resolves to the JVM's own instance. */
  @Test
  void deserialisesToThisJvmsInstanceWithoutTouchingTheDriver() throws Exception {
    CudaKernel k = CudaKernel.onDevice(0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(k);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertSame(k, in.readObject());
    }
    assertEquals("cuda", k.name());
    assertSame(CudaKernel.onDevice(3), CudaKernel.onDevice(3));
    assertThrows(IllegalArgumentException.class, () -> CudaKernel.onDevice(-1));
  }
}
