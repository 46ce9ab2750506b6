package io.riskgrid.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.valuation.ValuedBook;
import io.riskgrid.valuation.ValuedBookBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** simd agrees with the scalar reference to 1e-10 relative on every P&L entry and risk array (DESIGN §2). */
class KernelParityTest {
  private static final Instant AS_OF = Instant.parse("2026-01-05T08:00:00Z");

  private static MarketSnapshot market() {
    Instant e1 = Instant.parse("2026-01-06T08:00:00Z");
    Instant e2 = Instant.parse("2026-03-27T08:00:00Z");
    UnderlyingMarket btc = new UnderlyingMarket("BTC", AS_OF, 94_000, 0.01, 0.02, Map.of(e2, 95_500.0), List.of(
        new SviSlice(e1, 0.0001, 0.01, -0.3, 0.0, 0.05), new SviSlice(e2, 0.01, 0.08, -0.3, 0.03, 0.18)));
    UnderlyingMarket eth = new UnderlyingMarket("ETH", AS_OF, 3_200, 0, 0, Map.of(),
        List.of(SviSlice.flat(e2, 0.7, TimeConventions.yearFraction(AS_OF, e2))));
    return new MarketSnapshot(AS_OF, Map.of("BTC", btc, "ETH", eth), Map.of());
  }

  /** Random options incl. deep OTM (|ln K/F| up to 2.5), 1-hour expiries and inverse settlement, plus futures. */
  private static List<Instrument> instruments(SplittableRandom rnd, int n) {
    List<Instrument> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String u = rnd.nextBoolean() ? "BTC" : "ETH";
      double spot = u.equals("BTC") ? 94_000 : 3_200;
      Instant expiry = AS_OF.plusSeconds(3_600L + rnd.nextLong(200L * 86_400));
      Settlement st = rnd.nextInt(3) == 0 ? Settlement.INVERSE : Settlement.LINEAR;
      if (i % 10 == 0) {
        out.add(Instrument.future("F" + i, u, st, expiry, st == Settlement.INVERSE ? 10 : 0.1));
      } else {
        double strike = spot * Math.exp(rnd.nextDouble(-2.5, 2.5));
        out.add(Instrument.option("O" + i, u, st, rnd.nextBoolean() ? OptionType.CALL : OptionType.PUT, strike, expiry, 1));
      }
    }
    return out;
  }

  @Test
  void pnlMatrixAgreesEntryByEntry() {
    for (String preset : PolicyLoader.PRESETS) {
      List<Instrument> ins = instruments(new SplittableRandom(42), 400);
      ValuedBook scalar = ValuedBookBuilder.build(market(), ins, Map.of(), PolicyLoader.preset(preset).scenarios(), ScalarKernel.INSTANCE);
      ValuedBook simd = ValuedBookBuilder.build(market(), ins, Map.of(), PolicyLoader.preset(preset).scenarios(), SimdKernel.INSTANCE);
      double[] a = scalar.pnl().values();
      double[] b = simd.pnl().values();
      assertEquals(a.length, b.length);
      for (int i = 0; i < ins.size(); i++) {
        Instrument x = ins.get(i);
        double spot = x.underlying().equals("BTC") ? 94_000 : 3_200;
        double notional = x.isInverse() && !x.isOption() ? x.multiplier() / spot : x.multiplier() * spot;
        for (int s = 0; s < scalar.pnl().rowLength(i); s++) {
          double r = scalar.pnl().get(i, s);
          double v = simd.pnl().get(i, s);
          assertTrue(Double.isFinite(r), "finite P&L " + x);
          assertTrue(Math.abs(r - v) <= 1e-10 * Math.max(Math.abs(r), Math.abs(v)) + 1e-10 * notional,
              preset + " " + x.id() + " s=" + s + ": scalar " + r + " simd " + v);
        }
      }
    }
  }

  @Test
  void aggregationAgreesOnRandomCsrBatches() {
    SplittableRandom rnd = new SplittableRandom(7);
    List<Instrument> ins = instruments(rnd, 300);
    ValuedBook book = ValuedBookBuilder.build(market(), ins, Map.of(), PolicyLoader.preset("deribit-like").scenarios(), ScalarKernel.INSTANCE);
    PositionBatch batch = new PositionBatch(2, 2);
    for (int a = 0; a < 500; a++) {
      int positions = rnd.nextInt(0, 40);
      for (int p = 0; p < positions; p++) {
        batch.addPosition(rnd.nextInt(ins.size()), rnd.nextDouble(-50, 50));
      }
      batch.endAccount();
    }
    int width = book.pnl().width();
    double[] expected = new double[batch.accounts() * width];
    double[] actual = new double[batch.accounts() * width];
    java.util.Arrays.fill(actual, 123.0); // the kernel must zero its output first
    ScalarKernel.INSTANCE.aggregate(batch, book.pnl(), expected);
    SimdKernel.INSTANCE.aggregate(batch, book.pnl(), actual);
    for (int k = 0; k < expected.length; k++) {
      // Sums of up to 40 terms: tolerance relative to the sum of magnitudes bounds cancellation.
      assertEquals(expected[k], actual[k], 1e-10 * Math.max(1, Math.abs(expected[k])) + 1e-12 * 50 * 40 * 1e5, "entry " + k);
    }
  }

  /**
   * auto and cuda on this host: without a usable GPU (this build machine, CI) auto falls back to
   * simd naming why and cuda fails naming why; on a GPU host both give cuda.
   */
  @Test
  void autoSelectsSimdHereAndCudaFailsClearly() {
    Kernels.Choice c = Kernels.select("auto");
    String noCuda = Kernels.cudaUnavailableReason();
    if (noCuda == null) {
      assertEquals("cuda", c.kernel().name());
      assertTrue(c.reason().startsWith("auto: cuda usable on "), c.reason());
      assertEquals("cuda", Kernels.select("cuda").kernel().name());
    } else {
      assertEquals("simd", c.kernel().name());
      assertEquals("auto: cuda unavailable (" + noCuda + ")", c.reason());
      assertTrue(noCuda.startsWith("no driver: ") || noCuda.startsWith("no device: ")
          || noCuda.startsWith("unsupported device: ") || noCuda.startsWith("load error: "), noCuda);
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> Kernels.select("cuda"));
      assertTrue(e.getMessage().startsWith("kernel: cuda is not available: " + noCuda), e.getMessage());
    }
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Kernels.select("gpu"));
  }
}
