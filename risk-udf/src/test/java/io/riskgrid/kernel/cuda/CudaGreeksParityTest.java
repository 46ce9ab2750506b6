package io.riskgrid.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.ScalarKernel;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cuda's Greeks agree with the scalar reference (1e-10 relative, floor 1e-10 × each Greek's scale).
 * Needs a usable GPU; each test is skipped with the reason otherwise. Without a GPU,
 * {@link CudaSourceOnHostTest} checks the same device code compiled for the host.
 */
class CudaGreeksParityTest {
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
  void anEmptyBatchOfCells() {
    cuda.black76Greeks(OptionCells.allocate(0), new double[0], new double[0], new double[0], new double[0],
        new double[0]);
  }
}
