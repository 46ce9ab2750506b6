package io.riskgrid.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.valuation.ValuedBook;
import io.riskgrid.valuation.ValuedBookBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cuda agrees with the scalar reference (DESIGN §2: 1e-10 relative, floor 1e-10 × notional) on
 * revaluation, and bit for bit on aggregation. Needs a usable GPU; skipped with the reason otherwise.
 */
class CudaKernelParityTest {
  private static CudaKernel cuda;

  /** Per test, so that each one is reported as skipped with the reason (the probe is cached). */
  @BeforeEach
  void gpu() {
    Optional<CudaUnavailableException> why = CudaKernel.probe(0);
    Assumptions.assumeTrue(why.isEmpty(), () -> "SKIPPED: no usable GPU (" + why.get().getMessage() + ")");
    cuda = CudaKernel.onDevice(0);
  }

  private static void assertAgrees(OptionCells c, double[] expected, double[] actual) {
    for (int i = 0; i < c.count(); i++) {
      int k = i;
      assertTrue(ParityCases.agree(expected[i], actual[i], c.forward()[i]), () -> "cell " + k + ": "
          + (c.isCall()[k] ? "call" : "put") + " F=" + c.forward()[k] + " K=" + c.strike()[k] + " tau=" + c.tau()[k]
          + " vol=" + c.vol()[k] + " df=" + c.discount()[k] + ": scalar " + expected[k] + ", cuda " + actual[k]);
    }
  }

  @Test
  void revaluationAgreesOnRandomCellsWithEdgeRegions() {
    int n = 300_007;
    OptionCells c = ParityCases.cells(76, n);
    double[] expected = new double[n];
    double[] actual = new double[n + 5];
    ScalarKernel.INSTANCE.black76(c, expected);
    cuda.black76(c, actual);
    assertAgrees(c, expected, actual);
    assertEquals(0.0, actual[n], "nothing written past count");
  }

  @Test
  void expiredZeroVolAndDeepOutOfTheMoneyCells() {
    OptionCells c = OptionCells.allocate(8);
    set(c, 0, true, 100, 90, 0.0, 0.3, 1.0);             // expired call: intrinsic 10, undiscounted
    set(c, 1, false, 100, 90, 0.0, 0.3, 1.0);            // expired OTM put: 0
    set(c, 2, false, 100, 110, -0.01, 0.3, 1.0);         // past expiry put: intrinsic 10
    set(c, 3, true, 100, 90, 0.5, 0.0, Math.exp(-0.025)); // zero vol: discounted intrinsic
    set(c, 4, true, 100, 1_000, 0.1, 0.5, 1.0);          // deep OTM call, ~1e-17 of F, must not underflow
    set(c, 5, false, 1_000, 100, 0.1, 0.5, 1.0);         // deep OTM put
    set(c, 6, true, 60_000, 60_000, 1e-9, 0.8, 1.0);     // at the money, seconds to expiry
    set(c, 7, false, 60_000, 60_010, 1.0 / 8760, 0.6, 1.0); // one hour to expiry
    double[] expected = new double[8];
    double[] actual = new double[8];
    ScalarKernel.INSTANCE.black76(c, expected);
    cuda.black76(c, actual);
    assertEquals(10.0, actual[0]);
    assertEquals(0.0, actual[1]);
    assertEquals(10.0, actual[2]);
    assertEquals(expected[3], actual[3], 0.0);
    for (int i = 4; i < 6; i++) {
      assertTrue(expected[i] > 0 && actual[i] > 0, "deep OTM stays positive: " + actual[i]);
      assertEquals(expected[i], actual[i], 1e-12 * expected[i], "deep OTM to 1e-12 relative, cell " + i);
    }
    assertAgrees(c, expected, actual);
  }

  private static void set(OptionCells c, int i, boolean call, double f, double k, double tau, double vol, double df) {
    c.isCall()[i] = call;
    c.forward()[i] = f;
    c.strike()[i] = k;
    c.tau()[i] = tau;
    c.vol()[i] = vol;
    c.discount()[i] = df;
  }

  @Test
  void emptyAndTinyBatches() {
    cuda.black76(OptionCells.allocate(0), new double[0]);
    OptionCells one = ParityCases.cells(5, 1);
    double[] expected = new double[1];
    double[] actual = new double[1];
    ScalarKernel.INSTANCE.black76(one, expected);
    cuda.black76(one, actual);
    assertAgrees(one, expected, actual);
    PnlMatrix m = ParityCases.matrix(1, 5, new int[] {3, 4});
    cuda.aggregate(new PositionBatch(1, 1), m, new double[0]);
  }

  @Test
  void aggregationIsBitForBitTheScalarKernel() {
    PnlMatrix m = ParityCases.matrix(8, 700, new int[] {35, 70, 350});
    for (int round = 0; round < 3; round++) { // growing batches reuse and grow the buffers
      PositionBatch b = ParityCases.batch(20 + round, 500 * (round + 1), 15, m.instruments());
      double[] expected = new double[b.accounts() * m.width()];
      double[] actual = new double[expected.length];
      Arrays.fill(actual, 123.0); // the kernel writes every entry
      ScalarKernel.INSTANCE.aggregate(b, m, expected);
      cuda.aggregate(b, m, actual);
      assertArrayEquals(expected, actual, "round " + round);
    }
    // Another matrix replaces the resident one.
    PnlMatrix other = ParityCases.matrix(9, 50, new int[] {10});
    PositionBatch b = ParityCases.batch(30, 100, 5, other.instruments());
    double[] expected = new double[b.accounts() * other.width()];
    double[] actual = new double[expected.length];
    ScalarKernel.INSTANCE.aggregate(b, other, expected);
    cuda.aggregate(b, other, actual);
    assertArrayEquals(expected, actual);
  }

  @Test
  void badInstrumentRowIsRefusedAndTheContextStaysUsable() {
    PnlMatrix m = ParityCases.matrix(1, 10, new int[] {4});
    PositionBatch b = new PositionBatch(2, 2);
    b.addPosition(3, 1.0);
    b.endAccount();
    b.addPosition(10, 1.0);
    b.endAccount();
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> cuda.aggregate(b, m, new double[8]));
    assertTrue(e.getMessage().contains("account 1 of the batch, position 0: instrument row 10"), e.getMessage());
    aggregationIsBitForBitTheScalarKernel();
  }

  @Test
  void threadsShareTheContextWithTheirOwnWorkspaces() throws Exception {
    PnlMatrix m = ParityCases.matrix(3, 400, new int[] {35, 35, 35});
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          OptionCells c = ParityCases.cells(seed, 50_000);
          double[] expected = new double[c.count()];
          double[] actual = new double[c.count()];
          ScalarKernel.INSTANCE.black76(c, expected);
          cuda.black76(c, actual);
          assertAgrees(c, expected, actual);
          PositionBatch b = ParityCases.batch(seed, 1_000, 20, m.instruments());
          double[] e = new double[b.accounts() * m.width()];
          double[] a = new double[e.length];
          ScalarKernel.INSTANCE.aggregate(b, m, e);
          cuda.aggregate(b, m, a);
          return Arrays.equals(e, a);
        }));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The engine's own stage 1: every preset's P&L matrix built on cuda agrees entry by entry with scalar. */
  @Test
  void instrumentBooksAgreeOnEveryPreset() {
    Instant asOf = Instant.parse("2026-01-05T08:00:00Z");
    Instant e1 = Instant.parse("2026-01-06T08:00:00Z");
    Instant e2 = Instant.parse("2026-03-27T08:00:00Z");
    UnderlyingMarket btc = new UnderlyingMarket("BTC", asOf, 94_000, 0.01, 0.02, Map.of(e2, 95_500.0), List.of(
        new SviSlice(e1, 0.0001, 0.01, -0.3, 0.0, 0.05), new SviSlice(e2, 0.01, 0.08, -0.3, 0.03, 0.18)));
    MarketSnapshot market = new MarketSnapshot(asOf, Map.of("BTC", btc), Map.of());
    SplittableRandom rnd = new SplittableRandom(42);
    List<Instrument> ins = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Instant expiry = asOf.plusSeconds(3_600L + rnd.nextLong(200L * 86_400));
      Settlement st = rnd.nextInt(3) == 0 ? Settlement.INVERSE : Settlement.LINEAR;
      double strike = 94_000 * Math.exp(rnd.nextDouble(-2.5, 2.5));
      ins.add(Instrument.option("O" + i, "BTC", st, rnd.nextBoolean() ? OptionType.CALL : OptionType.PUT, strike,
          expiry, 1));
    }
    for (String preset : PolicyLoader.PRESETS) {
      ValuedBook scalar = ValuedBookBuilder.build(market, ins, Map.of(), PolicyLoader.preset(preset).scenarios(), ScalarKernel.INSTANCE);
      ValuedBook gpu = ValuedBookBuilder.build(market, ins, Map.of(), PolicyLoader.preset(preset).scenarios(), cuda);
      for (int i = 0; i < ins.size(); i++) {
        double notional = ins.get(i).isInverse() ? 1 : 94_000; // coin P&L for inverse options
        for (int s = 0; s < scalar.pnl().rowLength(i); s++) {
          assertTrue(ParityCases.agree(scalar.pnl().get(i, s), gpu.pnl().get(i, s), notional),
              preset + " " + ins.get(i).id() + " s=" + s + ": scalar " + scalar.pnl().get(i, s) + " cuda "
                  + gpu.pnl().get(i, s));
        }
      }
    }
  }

  @Test
  void selectionPicksCudaHere() {
    Kernels.Choice auto = Kernels.select("auto");
    assertEquals("cuda", auto.kernel().name());
    assertTrue(auto.reason().startsWith("auto: cuda usable on "), auto.reason());
    assertEquals("cuda", Kernels.select("cuda").kernel().name());
  }
}
