package io.riskgrid.kernel.cuda;

import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The GPU host check of {@code deploy/gpu/run-gpu-check.sh}: parity of cuda against the scalar
 * reference, then a benchmark of cuda against simd (and scalar) on revaluation and aggregation, and
 * the same for the Greeks ({@link GpuCheckGreeks}).
 * Every cuda timing includes the transfers in and out, as the engine sees them. Needs only a JRE
 * with {@code jdk.incubator.vector} and this jar plus JCuda's; no JUnit.
 *
 * <p>Exit status: 0 when parity holds and the benchmark ran; 1 on a parity failure or an error;
 * 2 with the line {@code SKIPPED: no usable GPU (...)} when this host cannot run the cuda kernel.
 *
 * <p>Options: {@code --device N} (default 0), {@code --cells N} revaluation and Greeks cells per batch
 * (default 2,100,000: 2,000 instruments × 3 underlyings × 350 scenarios), {@code --accounts N} per
 * aggregation batch (default 20,000), {@code --positions N} mean positions per account (default
 * 20), {@code --repeat N} timed runs, median reported (default 10).
 */
public final class GpuCheck {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_SKIPPED = 2;

  private final int device;
  private final int cells;
  private final int accounts;
  private final int positions;
  private final int repeat;

  private GpuCheck(int device, int cells, int accounts, int positions, int repeat) {
    this.device = device;
    this.cells = cells;
    this.accounts = accounts;
    this.positions = positions;
    this.repeat = repeat;
  }

  public static void main(String[] args) {
    int device = 0;
    int cells = 2_100_000;
    int accounts = 20_000;
    int positions = 20;
    int repeat = 10;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--device" -> device = Integer.parseInt(v);
        case "--cells" -> cells = Integer.parseInt(v);
        case "--accounts" -> accounts = Integer.parseInt(v);
        case "--positions" -> positions = Integer.parseInt(v);
        case "--repeat" -> repeat = Integer.parseInt(v);
        default -> {
          System.err.println("unknown option " + args[i] + "; expected --device, --cells, --accounts, --positions,"
              + " --repeat (each with a number)");
          System.exit(EXIT_FAILED);
        }
      }
      i++;
    }
    int status;
    try {
      status = new GpuCheck(device, cells, accounts, positions, repeat).run();
    } catch (RuntimeException e) {
      System.out.println("FAILED: " + e);
      e.printStackTrace(System.out);
      status = EXIT_FAILED;
    }
    System.exit(status);
  }

  int run() {
    System.out.printf(Locale.ROOT, "riskgrid GPU check: Java %s (%s), %s %s, %d CPUs%n", System.getProperty("java.version"),
        System.getProperty("java.home"), System.getProperty("os.name"), System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("packaged PTX: " + CudaPtx.load(CudaPtx.BLACK76).describe());
    String vector = Kernels.vectorApiUnavailableReason();
    if (vector != null) {
      System.out.println("FAILED: simd is not available (" + vector + "); run with --add-modules=jdk.incubator.vector");
      return EXIT_FAILED;
    }
    Optional<CudaUnavailableException> unusable = CudaKernel.probe(device);
    if (unusable.isPresent()) {
      System.out.println("SKIPPED: no usable GPU (" + unusable.get().getMessage() + ")");
      return EXIT_SKIPPED;
    }
    CudaKernel cuda = CudaKernel.onDevice(device);
    System.out.println("device: " + cuda.describeDevice());
    boolean ok = revaluationParity(cuda) & aggregationParity(cuda) & concurrentParity(cuda)
        & GpuCheckGreeks.greeksParity(cuda);
    if (!ok) {
      System.out.println("FAILED: cuda does not agree with scalar (see above)");
      return EXIT_FAILED;
    }
    benchmarkRevaluation(cuda);
    benchmarkAggregation(cuda);
    GpuCheckGreeks.benchmarkGreeks(cuda, cells, repeat);
    System.out.println("PASS: parity holds; benchmark above (cuda timings include transfers in and out)");
    return EXIT_OK;
  }

  private boolean revaluationParity(CudaKernel cuda) {
    int n = 1_000_003;
    OptionCells c = ParityCases.cells(2026, n);
    double[] expected = new double[n];
    double[] actual = new double[n];
    ScalarKernel.INSTANCE.black76(c, expected);
    cuda.black76(c, actual);
    int bad = 0;
    int identical = 0;
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double notional = c.forward()[i];
      if (expected[i] == actual[i] || Double.doubleToLongBits(expected[i]) == Double.doubleToLongBits(actual[i])) {
        identical++;
      }
      double err = Math.abs(expected[i] - actual[i]) / (Math.max(Math.abs(expected[i]), Math.abs(actual[i])) + notional);
      worst = Math.max(worst, err);
      if (!ParityCases.agree(expected[i], actual[i], notional)) {
        if (bad++ < 10) {
          System.out.printf(Locale.ROOT, "  cell %d: %s F=%s K=%s tau=%s vol=%s df=%s: scalar %s, cuda %s%n", i,
              c.isCall()[i] ? "call" : "put", c.forward()[i], c.strike()[i], c.tau()[i], c.vol()[i], c.discount()[i],
              expected[i], actual[i]);
        }
      }
    }
    System.out.printf(Locale.ROOT, "parity revaluation: %,d cells (deep OTM, near expiry, tau <= 0, zero vol, ATM),"
        + " %,d bit-identical, worst |diff|/(max|v| + F) %.2e, %d beyond 1e-10: %s%n", n, identical, worst, bad,
        bad == 0 ? "OK" : "FAILED");
    return bad == 0;
  }

  private boolean aggregationParity(CudaKernel cuda) {
    PnlMatrix m = ParityCases.matrix(7, 1_500, new int[] {35, 35, 350});
    PositionBatch b = ParityCases.batch(11, 5_000, 20, m.instruments());
    double[] expected = new double[b.accounts() * m.width()];
    double[] actual = new double[expected.length];
    Arrays.fill(actual, 123.0);
    ScalarKernel.INSTANCE.aggregate(b, m, expected);
    cuda.aggregate(b, m, actual);
    int identical = 0;
    for (int k = 0; k < expected.length; k++) {
      if (Double.doubleToLongBits(expected[k]) == Double.doubleToLongBits(actual[k])) {
        identical++;
      } else if (k - identical < 10) { // the first ten mismatches
        System.out.printf(Locale.ROOT, "  entry %d (account %d, column %d): scalar %s, cuda %s%n", k, k / m.width(),
            k % m.width(), expected[k], actual[k]);
      }
    }
    boolean ok = identical == expected.length;
    System.out.printf(Locale.ROOT, "parity aggregation: %,d accounts × %d columns, %,d of %,d entries bit-identical"
        + " to scalar: %s%n", b.accounts(), m.width(), identical, expected.length, ok ? "OK" : "FAILED");
    return ok;
  }

  /** Spark runs several tasks per executor on one GPU: threads share the context, each with its own workspace. */
  private boolean concurrentParity(CudaKernel cuda) {
    PnlMatrix m = ParityCases.matrix(3, 400, new int[] {35, 35, 35});
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 2 * threads; t++) {
        long seed = 1_000 + t;
        results.add(pool.submit(() -> {
          OptionCells c = ParityCases.cells(seed, 50_000);
          double[] expected = new double[c.count()];
          double[] actual = new double[c.count()];
          ScalarKernel.INSTANCE.black76(c, expected);
          cuda.black76(c, actual);
          for (int i = 0; i < c.count(); i++) {
            if (!ParityCases.agree(expected[i], actual[i], c.forward()[i])) {
              return false;
            }
          }
          PositionBatch b = ParityCases.batch(seed, 1_000, 20, m.instruments());
          double[] e = new double[b.accounts() * m.width()];
          double[] a = new double[e.length];
          ScalarKernel.INSTANCE.aggregate(b, m, e);
          cuda.aggregate(b, m, a);
          return Arrays.equals(e, a);
        }));
      }
      int failed = 0;
      for (Future<Boolean> f : results) {
        failed += f.get() ? 0 : 1;
      }
      System.out.printf(Locale.ROOT, "parity with %d threads sharing the device: %d batches of each kernel, %d"
          + " disagreeing: %s%n", threads, results.size(), failed, failed == 0 ? "OK" : "FAILED");
      return failed == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a concurrent cuda batch failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private void benchmarkRevaluation(CudaKernel cuda) {
    OptionCells c = ParityCases.cells(99, cells);
    double[] out = new double[cells];
    double scalar = medianSeconds(() -> ScalarKernel.INSTANCE.black76(c, out), 3);
    double simd = medianSeconds(() -> SimdKernel.INSTANCE.black76(c, out), repeat);
    double gpu = medianSeconds(() -> cuda.black76(c, out), repeat);
    System.out.printf(Locale.ROOT, "revaluation, %,d Black-76 cells per batch (median of %d):%n", cells, repeat);
    System.out.printf(Locale.ROOT, "  scalar %9.2f ms %10.1f M cells/s  (1 thread)%n", scalar * 1e3, cells / scalar / 1e6);
    System.out.printf(Locale.ROOT, "  simd   %9.2f ms %10.1f M cells/s  (1 thread)%n", simd * 1e3, cells / simd / 1e6);
    System.out.printf(Locale.ROOT, "  cuda   %9.2f ms %10.1f M cells/s  (transfers included): %.1fx simd%n", gpu * 1e3,
        cells / gpu / 1e6, simd / gpu);
  }

  private void benchmarkAggregation(CudaKernel cuda) {
    PnlMatrix m = ParityCases.matrix(5, 2_000, new int[] {35, 35, 35});
    PositionBatch b = ParityCases.batch(13, accounts, positions, m.instruments());
    double[] out = new double[b.accounts() * m.width()];
    double fmas = 0;
    for (int j = 0; j < b.accountStart()[b.accounts()]; j++) {
      fmas += m.rowLength(b.instrument()[j]);
    }
    double simd = medianSeconds(() -> SimdKernel.INSTANCE.aggregate(b, m, out), repeat);
    double gpu = medianSeconds(() -> cuda.aggregate(b, m, out), repeat);
    System.out.printf(Locale.ROOT, "aggregation, %,d accounts × %d columns, %,d positions, %.3g multiply-adds per batch"
        + " (median of %d):%n", b.accounts(), m.width(), b.positions(), fmas, repeat);
    System.out.printf(Locale.ROOT, "  simd   %9.2f ms %10.0f accounts/s %8.2f G multiply-adds/s  (1 thread)%n", simd * 1e3,
        b.accounts() / simd, fmas / simd / 1e9);
    System.out.printf(Locale.ROOT, "  cuda   %9.2f ms %10.0f accounts/s %8.2f G multiply-adds/s  (transfers included):"
        + " %.1fx simd%n", gpu * 1e3, b.accounts() / gpu, fmas / gpu / 1e9, simd / gpu);
  }

  /** Three warm-up runs, then the median of {@code runs} timed ones. */
  static double medianSeconds(Runnable batch, int runs) {
    for (int i = 0; i < 3; i++) {
      batch.run();
    }
    double[] t = new double[Math.max(runs, 1)];
    for (int i = 0; i < t.length; i++) {
      long start = System.nanoTime();
      batch.run();
      t[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }
}
