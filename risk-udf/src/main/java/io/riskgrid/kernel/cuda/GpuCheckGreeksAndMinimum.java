package io.riskgrid.kernel.cuda;

import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import java.util.Arrays;
import java.util.Locale;

/**
 * The part of {@link GpuCheck} that covers {@link RiskKernel#black76Greeks} and {@link
 * RiskKernel#aggregateWithMinimum}: their parity against the scalar reference (the same rules as
 * the JUnit tests) and their cuda-against-simd timings, transfers included. The kernel under test is
 * a {@link RiskKernel} (on a GPU host, the {@link CudaKernel}), so that a host without a GPU can run
 * this code against the scalar kernel itself.
 */
final class GpuCheckGreeksAndMinimum {
  private GpuCheckGreeksAndMinimum() {}

  /** Greeks of 1,000,003 random cells to 1e-10 (floor 1e-10 × each Greek's scale), edge cells with no floor. */
  static boolean greeksParity(RiskKernel cuda) {
    int n = 1_000_003;
    OptionCells c = ParityCases.cells(2027, n);
    double[][] expected = greeks(ScalarKernel.INSTANCE, c);
    double[][] actual = greeks(cuda, c);
    int bad = 0;
    double worst = 0;
    for (int g = 0; g < 5; g++) {
      for (int i = 0; i < n; i++) {
        double e = expected[g][i];
        double a = actual[g][i];
        if (e != a && !Double.isNaN(e)) {
          worst = Math.max(worst, Math.abs(e - a) / Math.max(Math.abs(e), Math.abs(a)));
        }
        if (!ParityCases.agreeGreek(g, e, a, c.forward()[i]) && bad++ < 10) {
          System.out.printf(Locale.ROOT, "  %s of cell %d: %s F=%s K=%s tau=%s vol=%s df=%s: scalar %s, cuda %s%n",
              ParityCases.GREEKS[g], i, c.isCall()[i] ? "call" : "put", c.forward()[i], c.strike()[i], c.tau()[i],
              c.vol()[i], c.discount()[i], e, a);
        }
      }
    }
    double[] price = new double[n];
    cuda.black76(c, price);
    boolean samePrice = Arrays.equals(price, actual[0]);
    OptionCells edge = ParityCases.edgeGreekCells();
    double[][] edgeExpected = greeks(ScalarKernel.INSTANCE, edge);
    double[][] edgeActual = greeks(cuda, edge);
    int edgeBad = 0;
    for (int g = 0; g < 5; g++) {
      for (int i = 0; i < edge.count(); i++) {
        if (!(Math.abs(edgeExpected[g][i] - edgeActual[g][i]) <= 1e-10 * Math.abs(edgeExpected[g][i])) && edgeBad++ < 5) {
          System.out.printf(Locale.ROOT, "  %s of edge cell %d: scalar %s, cuda %s%n", ParityCases.GREEKS[g], i,
              edgeExpected[g][i], edgeActual[g][i]);
        }
      }
    }
    boolean ok = bad == 0 && samePrice && edgeBad == 0;
    System.out.printf(Locale.ROOT, "parity Greeks: %,d cells × 5 Greeks, worst relative difference %.2e (the"
        + " floored ones included), %d beyond 1e-10; price bit-identical to cuda revaluation: %s; %d deep-OTM and"
        + " 1-hour cells to 1e-10 with no floor, %d beyond: %s%n", n, worst, bad, samePrice, edge.count(), edgeBad,
        ok ? "OK" : "FAILED");
    return ok;
  }

  /** Risk arrays, minima and argmins bit-identical to scalar, on random P&L and on small integers (ties, a NaN). */
  static boolean minimumParity(RiskKernel cuda) {
    PnlMatrix random = ParityCases.matrix(17, 1_500, new int[] {35, 35, 350});
    PnlMatrix tied = ParityCases.integerMatrix(18, 400, new int[] {21, 9, 27, 5});
    tied.values()[tied.rowStart(0)] = Double.NaN;
    PnlMatrix[] matrices = {random, tied};
    PositionBatch[] batches = {ParityCases.batch(19, 5_000, 20, random.instruments()),
        ParityCases.integerBatch(20, 5_000, 6, tied.instruments())};
    boolean ok = true;
    for (int k = 0; k < 2; k++) {
      PnlMatrix m = matrices[k];
      PositionBatch b = batches[k];
      boolean[] mask = ParityCases.minimumMask(60 + k, m, 3);
      Result expected = Result.of(ScalarKernel.INSTANCE, b, m, mask);
      Result actual = Result.of(cuda, b, m, mask);
      boolean same = Arrays.equals(expected.out, actual.out) && Arrays.equals(expected.minimum, actual.minimum)
          && Arrays.equals(expected.argmin, actual.argmin);
      System.out.printf(Locale.ROOT, "parity minimum (%s P&L): %,d accounts × %d underlyings, risk arrays, minima and"
          + " argmins bit-identical to scalar: %s%n", k == 0 ? "random" : "integer, tied", b.accounts(), m.underlyings(),
          same ? "OK" : "FAILED");
      ok &= same;
    }
    return ok;
  }

  static void benchmarkGreeks(RiskKernel cuda, int cells, int repeat) {
    OptionCells c = ParityCases.cells(98, cells);
    double[][] g = new double[5][cells];
    double simd = GpuCheck.medianSeconds(() -> SimdKernel.INSTANCE.black76Greeks(c, g[0], g[1], g[2], g[3], g[4]),
        repeat);
    double gpu = GpuCheck.medianSeconds(() -> cuda.black76Greeks(c, g[0], g[1], g[2], g[3], g[4]), repeat);
    System.out.printf(Locale.ROOT, "Greeks, %,d cells per batch, 5 outputs each (median of %d):%n", cells, repeat);
    System.out.printf(Locale.ROOT, "  simd   %9.2f ms %10.1f M cells/s  (1 thread; simd delegates to scalar)%n",
        simd * 1e3, cells / simd / 1e6);
    System.out.printf(Locale.ROOT, "  cuda   %9.2f ms %10.1f M cells/s  (transfers included): %.1fx simd%n", gpu * 1e3,
        cells / gpu / 1e6, simd / gpu);
  }

  static void benchmarkMinimum(RiskKernel cuda, int accounts, int positions, int repeat) {
    PnlMatrix m = ParityCases.matrix(5, 2_000, new int[] {35, 35, 35});
    PositionBatch b = ParityCases.batch(13, accounts, positions, m.instruments());
    boolean[] mask = ParityCases.minimumMask(7, m, 0);
    double[] out = new double[b.accounts() * m.width()];
    double[] minimum = new double[b.accounts() * m.underlyings()];
    int[] argmin = new int[minimum.length];
    double simd = GpuCheck.medianSeconds(
        () -> SimdKernel.INSTANCE.aggregateWithMinimum(b, m, mask, out, minimum, argmin), repeat);
    double gpu = GpuCheck.medianSeconds(() -> cuda.aggregateWithMinimum(b, m, mask, out, minimum, argmin), repeat);
    double gpuAggregate = GpuCheck.medianSeconds(() -> cuda.aggregate(b, m, out), repeat);
    System.out.printf(Locale.ROOT, "aggregation with per-account minimum, %,d accounts × %d columns, %d underlying"
        + " blocks each (median of %d):%n", b.accounts(), m.width(), m.underlyings(), repeat);
    System.out.printf(Locale.ROOT, "  simd   %9.2f ms %10.0f accounts/s  (1 thread)%n", simd * 1e3, b.accounts() / simd);
    System.out.printf(Locale.ROOT, "  cuda   %9.2f ms %10.0f accounts/s  (transfers included): %.1fx simd;"
        + " aggregation alone %.2f ms%n", gpu * 1e3, b.accounts() / gpu, simd / gpu, gpuAggregate * 1e3);
  }

  private static double[][] greeks(RiskKernel kernel, OptionCells c) {
    double[][] g = new double[5][c.count()];
    kernel.black76Greeks(c, g[0], g[1], g[2], g[3], g[4]);
    return g;
  }

  /** One kernel's risk arrays, minima and argmins for a batch. */
  private record Result(double[] out, double[] minimum, int[] argmin) {
    static Result of(RiskKernel kernel, PositionBatch b, PnlMatrix m, boolean[] mask) {
      Result r = new Result(new double[b.accounts() * m.width()], new double[b.accounts() * m.underlyings()],
          new int[b.accounts() * m.underlyings()]);
      kernel.aggregateWithMinimum(b, m, mask, r.out, r.minimum, r.argmin);
      return r;
    }
  }
}
