package io.riskgrid.margin;

import static io.riskgrid.margin.Fixtures.EXPIRY_30D;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A calculator whose margins do not carry their risk arrays (the margin run without {@code risk_arrays})
 * computes every other figure exactly as one that does: the historical-es path then builds the joint loss
 * straight from the kernel's sums, and the scan drops the copy after use. Compared to the bit, on random
 * USD and coin accounts with moving coin collateral and loans, on both kernels; and an account whose risk
 * array overflows is still DATA_ERROR with the same reason, the array kept so that the reason names it.
 */
class RiskArraysCarriedTest {
  private static final double S_BTC = 60_000;
  private static final double S_ETH = 3_000;
  /** What a USD account holds. */
  private static final List<Instrument> LINEAR = List.of(
      Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, 1.0),
      Instrument.perpetual("ETH-PERP-L", "ETH", Settlement.LINEAR, 1.0),
      Instrument.option("BTC-PUT", "BTC", Settlement.LINEAR, OptionType.PUT, 54_000, EXPIRY_30D, 1.0),
      Instrument.option("BTC-CALL", "BTC", Settlement.LINEAR, OptionType.CALL, 66_000, EXPIRY_30D, 1.0),
      Instrument.option("ETH-PUT", "ETH", Settlement.LINEAR, OptionType.PUT, 2_700, EXPIRY_30D, 1.0),
      Instrument.option("BTC-PUT-40K", "BTC", Settlement.LINEAR, OptionType.PUT, 40_000, EXPIRY_30D, 1.0));
  /** What a BTC account holds. */
  private static final List<Instrument> INVERSE_BTC = List.of(
      Instrument.perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE, 10.0),
      Instrument.option("BTC-CALL-I", "BTC", Settlement.INVERSE, OptionType.CALL, 66_000, EXPIRY_30D, 1.0),
      Instrument.option("BTC-PUT-I", "BTC", Settlement.INVERSE, OptionType.PUT, 50_000, EXPIRY_30D, 1.0));
  static final List<Instrument> INSTRUMENTS =
      java.util.stream.Stream.concat(LINEAR.stream(), INVERSE_BTC.stream()).toList();

  static MarketSnapshot market() {
    return Fixtures.snapshot(Fixtures.flat("BTC", S_BTC, 0.5), Fixtures.flat("ETH", S_ETH, 0.6));
  }

  /**
   * The stage-1 book both calculators of a comparison share: the simd kernel's vector exp and log may
   * differ in the last bit before and after C2 compiles them, so two books built apart need not be equal
   * to the bit, and this test compares the calculators, not stage 1.
   */
  static InstrumentBook book(MarginPolicy policy, RiskKernel kernel) {
    return InstrumentBook.build(market(), INSTRUMENTS, policy, kernel);
  }

  private static MarginCalculator calculator(InstrumentBook book, RiskKernel kernel, boolean riskArrays) {
    return new MarginCalculator(book, kernel, true, true, riskArrays);
  }

  /** Random accounts: USD ones with stablecoin, coin collateral that moves and coin loans; BTC and ETH ones. */
  static List<Account> accounts(long seed, int count) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Account> out = new ArrayList<>();
    for (int a = 0; a < count; a++) {
      boolean coin = a % 4 == 2;
      List<Instrument> held = coin ? INVERSE_BTC : LINEAR;
      List<Position> positions = new ArrayList<>();
      int n = 1 + r.nextInt(5);
      for (int k = 0; k < n; k++) {
        Instrument ins = held.get(r.nextInt(held.size()));
        double q = (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(40)) / 4.0;
        positions.add(new Position(ins.id(), q, ins.underlying().equals("BTC") ? S_BTC : S_ETH));
      }
      String id = "a" + a;
      switch (a % 4) {
        case 0 -> out.add(Fixtures.usd(id, positions, List.of(new CollateralBalance("USDC", 200_000))));
        case 1 -> out.add(Fixtures.usd(id, positions, List.of(new CollateralBalance("USDC", 50_000),
            new CollateralBalance("BTC", 1 + r.nextInt(4)), new CollateralBalance("ETH", -(1 + r.nextInt(20))))));
        case 2 -> out.add(Fixtures.coin(id, "BTC", positions, 5));
        default -> out.add(Fixtures.usd(id, positions, List.of(new CollateralBalance("ETH", 10 + r.nextInt(30)))));
      }
    }
    return out;
  }

  /** Every figure of a margin as text (shortest round-trip decimals, so equal text is equal bits), its risk arrays left out. */
  private static String figures(AccountMargin m) {
    return m.toString().replaceAll("riskArray=\\[D@[0-9a-f]+", "riskArray");
  }

  @ParameterizedTest
  @ValueSource(strings = {"es-hist-1d", "deribit-like"})
  void marginsWithoutRiskArraysHaveEveryOtherFigureToTheBit(String preset) {
    MarginPolicy policy = PolicyLoader.preset(preset);
    List<Account> accounts = accounts(20261207L, 64);
    for (RiskKernel kernel : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
      InstrumentBook book = book(policy, kernel);
      List<AccountMargin> carried = calculator(book, kernel, true).marginAll(accounts);
      MarginCalculator without = calculator(book, kernel, false);
      // Twice through one calculator: its joint-loss scratch is reused from batch to batch.
      for (int round = 0; round < 2; round++) {
        List<AccountMargin> bare = without.marginAll(accounts);
        int valid = 0;
        for (int k = 0; k < accounts.size(); k++) {
          AccountMargin a = carried.get(k);
          AccountMargin b = bare.get(k);
          assertEquals(figures(a), figures(b), preset + " " + kernel.name() + " account " + k);
          if (a.isValid()) {
            valid += a.mm() > 0 ? 1 : 0;

            for (int u = 0; u < a.byUnderlying().size(); u++) {
              assertTrue(a.byUnderlying().get(u).riskArray().length > 0);
              assertArrayEquals(new double[0], b.byUnderlying().get(u).riskArray(), "not carried");
            }
          }
        }
        assertTrue(valid > 56, "nearly every account margined above 0: " + valid);
      }
    }
  }

  /**
   * A long put so large that its gain in the deepest one-day falls overflows while its losses, Greeks and
   * margin stay finite: FiniteFigures finds the infinite risk-array entry, with or without arrays carried.
   */
  @ParameterizedTest
  @ValueSource(strings = {"es-hist-1d", "deribit-like"})
  void anOverflowingRiskArrayIsNamedWhetherOrNotArraysAreCarried(String preset) {
    MarginPolicy policy = PolicyLoader.preset(preset);
    int named = 0;
    for (double q : new double[] {1e304, 3e304, 1e305, 2e305, 3e305}) {
      List<Account> accounts = List.of(Fixtures.usd("huge", List.of(new Position("BTC-PUT-40K", q, 0)),
          List.of(new CollateralBalance("USDC", 1e6))));
      for (RiskKernel kernel : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
        InstrumentBook book = book(policy, kernel);
        AccountMargin a = calculator(book, kernel, true).marginAll(accounts).get(0);
        AccountMargin b = calculator(book, kernel, false).marginAll(accounts).get(0);
        assertEquals(figures(a), figures(b), preset + " q = " + q + " " + kernel.name());
        if (a.status() == AccountStatus.DATA_ERROR && a.reason().contains("risk array entry = Infinity")) {
          named++;
        }
      }
    }
    assertTrue(named > 0, "some quantity overflows a risk-array entry and nothing else");
  }
}
