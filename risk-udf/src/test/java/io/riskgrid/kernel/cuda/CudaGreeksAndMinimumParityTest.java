package io.riskgrid.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.ScalarKernel;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cuda's Greeks agree with the scalar reference (1e-10 relative, floor 1e-10 × each Greek's scale),
 * and its aggregation with the per-account minimum is the scalar kernel's bit for bit, argmins
 * included. Needs a usable GPU; each test is skipped with the reason otherwise. Without a GPU,
 * {@link CudaSourceOnHostTest} checks the same device code compiled for the host.
 */
class CudaGreeksAndMinimumParityTest {
  private static CudaKernel cuda;

  @BeforeEach
  void gpu() {
    Optional<CudaUnavailableException> why = CudaKernel.probe(0);
    Assumptions.assumeTrue(why.isEmpty(), () -> "SKIPPED: no usable GPU (" + why.get().getMessage() + ")");
    cuda = CudaKernel.onDevice(0);
  }

  private static double[][] greeks(io.riskgrid.kernel.RiskKernel kernel, OptionCells c, int length) {
    double[][] g = new double[5][length];
    kernel.black76Greeks(c, g[0], g[1], g[2], g[3], g[4]);
    return g;
  }

  /** Random cells with deep OTM, seconds-to-an-hour expiries, expired, zero-vol, ATM and high-vol regions. */
  @Test
  void greeksAgreeOnRandomCellsWithEdgeRegions() {
    int n = 300_007;
    OptionCells c = ParityCases.cells(77, n);
    double[][] expected = greeks(ScalarKernel.INSTANCE, c, n);
    double[][] actual = greeks(cuda, c, n + 3);
    for (int g = 0; g < 5; g++) {
      for (int i = 0; i < n; i++) {
        int greek = g;
        int k = i;
        assertTrue(ParityCases.agreeGreek(g, expected[g][i], actual[g][i], c.forward()[i]),
            () -> ParityCases.GREEKS[greek] + " of cell " + k + " (" + (c.isCall()[k] ? "call" : "put") + " F="
                + c.forward()[k] + " K=" + c.strike()[k] + " tau=" + c.tau()[k] + " vol=" + c.vol()[k] + " df="
                + c.discount()[k] + "): scalar " + expected[greek][k] + ", cuda " + actual[greek][k]);
      }
      assertEquals(0.0, actual[g][n], "nothing written past count");
    }
    double[] price = new double[n];
    cuda.black76(c, price);
    assertArrayEquals(price, Arrays.copyOf(actual[0], n), "the Greeks' price is the revaluation kernel's");
  }

  /** Deep OTM and 1-hour cells: every Greek to 1e-10 relative, with no absolute floor. */
  @Test
  void deepOutOfTheMoneyAndOneHourGreeks() {
    OptionCells c = ParityCases.edgeGreekCells();
    double[][] expected = greeks(ScalarKernel.INSTANCE, c, c.count());
    double[][] actual = greeks(cuda, c, c.count());
    for (int g = 0; g < 5; g++) {
      for (int i = 0; i < c.count(); i++) {
        assertEquals(expected[g][i], actual[g][i], 1e-10 * Math.abs(expected[g][i]),
            ParityCases.GREEKS[g] + " of edge cell " + i + " to 1e-10 relative");
      }
    }
    assertTrue(actual[0][0] > 0 && actual[3][0] > 0, "deep OTM stays positive");
  }

  @Test
  void minimumIsBitForBitTheScalarKernel() {
    PnlMatrix random = ParityCases.matrix(8, 700, new int[] {35, 70, 350});
    PnlMatrix tied = ParityCases.integerMatrix(9, 200, new int[] {21, 9, 27, 5});
    tied.values()[tied.rowStart(1) + 2] = Double.NaN;
    PositionBatch[] batches = {ParityCases.batch(40, 3_000, 15, random.instruments()),
        ParityCases.integerBatch(41, 3_000, 6, tied.instruments())};
    PnlMatrix[] matrices = {random, tied};
    for (int k = 0; k < 2; k++) {
      PnlMatrix m = matrices[k];
      PositionBatch b = batches[k];
      boolean[] mask = ParityCases.minimumMask(50 + k, m, 3);
      int blocks = b.accounts() * m.underlyings();
      double[] out = new double[b.accounts() * m.width()];
      double[] minimum = new double[blocks];
      int[] argmin = new int[blocks];
      ScalarKernel.INSTANCE.aggregateWithMinimum(b, m, mask, out, minimum, argmin);
      double[] cudaOut = new double[out.length];
      double[] cudaMinimum = new double[blocks];
      int[] cudaArgmin = new int[blocks];
      Arrays.fill(cudaOut, 123.0);
      cuda.aggregateWithMinimum(b, m, mask, cudaOut, cudaMinimum, cudaArgmin);
      assertArrayEquals(out, cudaOut, "risk arrays, matrix " + k);
      assertArrayEquals(minimum, cudaMinimum, "minima, matrix " + k);
      assertArrayEquals(argmin, cudaArgmin, "argmins, matrix " + k);
    }
  }

  @Test
  void emptyBatchesAndOneScenarioBlocks() {
    PnlMatrix m = ParityCases.matrix(1, 5, new int[] {1, 4});
    cuda.aggregateWithMinimum(new PositionBatch(1, 1), m, new boolean[m.width()], new double[0], new double[0],
        new int[0]);
    cuda.black76Greeks(OptionCells.allocate(0), new double[0], new double[0], new double[0], new double[0],
        new double[0]);
    PositionBatch b = ParityCases.batch(2, 10, 3, m.instruments());
    boolean[] all = new boolean[m.width()];
    Arrays.fill(all, true);
    double[] minimum = new double[20];
    int[] argmin = new int[20];
    double[] cudaMinimum = new double[20];
    int[] cudaArgmin = new int[20];
    ScalarKernel.INSTANCE.aggregateWithMinimum(b, m, all, new double[50], minimum, argmin);
    cuda.aggregateWithMinimum(b, m, all, new double[50], cudaMinimum, cudaArgmin);
    assertArrayEquals(minimum, cudaMinimum);
    assertArrayEquals(argmin, cudaArgmin);
  }
}
