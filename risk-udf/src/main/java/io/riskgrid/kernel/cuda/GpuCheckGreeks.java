package io.riskgrid.kernel.cuda;

import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import java.util.Arrays;
import java.util.Locale;

/**
 * The part of {@link GpuCheck} that covers {@link RiskKernel#black76Greeks}: its parity against the
 * scalar reference (the same rules as the JUnit tests) and its cuda-against-simd timing, transfers
 * included. The kernel under test is a {@link RiskKernel} (on a GPU host, the {@link CudaKernel}),
 * so that a host without a GPU can run this code against the scalar kernel itself.
 */
final class GpuCheckGreeks {
  private GpuCheckGreeks() {}

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

  private static double[][] greeks(RiskKernel kernel, OptionCells c) {
    double[][] g = new double[5][c.count()];
    kernel.black76Greeks(c, g[0], g[1], g[2], g[3], g[4]);
    return g;
  }
}
