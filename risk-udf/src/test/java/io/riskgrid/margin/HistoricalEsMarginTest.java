package io.riskgrid.margin;

import static io.riskgrid.margin.Fixtures.EXPIRY_30D;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.history.DailyHistory;
import io.riskgrid.policy.ExpectedShortfall;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The historical expected-shortfall margin (DESIGN §7.6, preset es-hist-1d) against independent
 * calculations: ES of hand-built loss vectors; a perpetual's ES recomputed from the shipped closes alone;
 * a BTC/ETH pair margined below the sum of its legs; shares and contributions adding up to MM.
 */
class HistoricalEsMarginTest {
  private static final MarginPolicy ES = PolicyLoader.preset("es-hist-1d");
  private static final double S_BTC = 60_000;
  private static final double S_ETH = 3_000;
  private static final Instrument BTC_PERP = Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, 1.0);
  private static final Instrument ETH_PERP = Instrument.perpetual("ETH-PERP-L", "ETH", Settlement.LINEAR, 1.0);
  private static final Instrument BTC_PUT = Instrument.option("BTC-PUT", "BTC", Settlement.LINEAR, OptionType.PUT, 54_000,
      EXPIRY_30D, 1.0);

  private static MarketSnapshot market() {
    return Fixtures.snapshot(Fixtures.flat("BTC", S_BTC, 0.5), Fixtures.flat("ETH", S_ETH, 0.6));
  }

  private static MarginCalculator calculator(MarginPolicy policy, boolean simd) {
    var kernel = simd ? SimdKernel.INSTANCE : ScalarKernel.INSTANCE;
    return new MarginCalculator(InstrumentBook.build(market(), List.of(BTC_PERP, ETH_PERP, BTC_PUT), policy, kernel), kernel,
        true);
  }

  private static Account usd(String id, List<Position> positions) {
    return Fixtures.usd(id, positions, List.of(new CollateralBalance("USDC", 1_000_000)));
  }

  @Test
  void expectedShortfallOfHandBuiltLossVectors() {
    double[] losses = {5, 1, 9, 9, 3, -2, 7, 0, 4, 6};
    int[] two = ExpectedShortfallTail.worst(losses, new ExpectedShortfall(0.8).tailSize(10));
    assertArrayEquals(new int[] {2, 3}, two);
    assertEquals(9.0, ExpectedShortfallTail.mean(losses, two), 0.0);
    int[] three = ExpectedShortfallTail.worst(losses, new ExpectedShortfall(0.75).tailSize(10));
    assertEquals(25.0 / 3, ExpectedShortfallTail.mean(losses, three), 1e-15);
    assertArrayEquals(new int[] {1, 2}, ExpectedShortfallTail.worst(new double[] {1, 5, 5, 5, 0}, 2), "ties: lower index");
    assertEquals(25, new ExpectedShortfall(0.975).tailSize(1000), "(1 - 0.975)·1000 is 25, not 26");
    assertEquals(77, new ExpectedShortfall(0.975).tailSize(3063));
    assertEquals(1, new ExpectedShortfall(0.975).tailSize(3));
    assertThrows(InvalidInputException.class, () -> new ExpectedShortfall(1.0));
  }

  /** Every 1-day window's BTC (or ETH) return from the shipped closes, as DESIGN §7.6 defines the set. */
  private static double[] returns(String underlying) {
    DailyHistory closes = DailyHistory.shipped(DailyHistory.CLOSES);
    LocalDate last = closes.of("BTC").lastKey();
    List<Double> r = new ArrayList<>();
    for (LocalDate t = LocalDate.of(2017, 8, 17); !t.plusDays(1).isAfter(last); t = t.plusDays(1)) {
      r.add(closes.on(underlying, t.plusDays(1)) / closes.on(underlying, t) - 1);
    }
    return r.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double handEs(double[] losses, double c) {
    double[] sorted = losses.clone();
    Arrays.sort(sorted);
    int m = (int) Math.ceil((1 - c) * losses.length - 1e-9);
    double sum = 0;
    for (int k = 0; k < m; k++) {
      sum += sorted[sorted.length - 1 - k];
    }
    return sum / m;
  }

  @Test
  void aSingleUnderlyingAccountsEsIsTheEsOfItsOwnLossesFromTheClosesAlone() {
    double[] r = returns("BTC");
    assertTrue(r.length > 3_000, "about 3,000 one-day windows: " + r.length);
    for (double q : new double[] {2, -3}) {
      double[] losses = new double[r.length];
      for (int j = 0; j < r.length; j++) {
        losses[j] = -q * S_BTC * r[j];
      }
      double expected = handEs(losses, 0.975);
      for (boolean simd : new boolean[] {false, true}) {
        AccountMargin m = calculator(ES, simd).margin(usd("p", List.of(new Position(BTC_PERP.id(), q, S_BTC))));
        assertEquals(AccountStatus.OK, m.status());
        assertEquals(expected, m.mm(), 1e-9 * expected, "q = " + q + (simd ? " simd" : " scalar"));
        assertEquals(1.3 * m.mm(), m.im(), 1e-9 * m.im());
        UnderlyingMargin btc = Fixtures.only(m, "BTC");
        assertEquals(r.length, btc.riskArray().length);
        assertEquals(m.mm(), btc.scanLoss(), 1e-9 * expected, "one underlying: its share is the whole ES");
        assertTrue(btc.bindingScenario().startsWith("hist_"), btc.bindingScenario());
        assertEquals(0.0, btc.optionContingency(), 0.0);
      }
    }
  }

  @Test
  void aBtcEthPairIsMarginedBelowTheSumOfItsLegsAndItsSharesAddUp() {
    MarginCalculator calc = calculator(ES, true);
    Position longBtc = new Position(BTC_PERP.id(), 1, S_BTC);
    Position shortEth = new Position(ETH_PERP.id(), -20, S_ETH);
    double btcAlone = calc.margin(usd("b", List.of(longBtc))).mm();
    double ethAlone = calc.margin(usd("e", List.of(shortEth))).mm();
    AccountMargin pair = calc.margin(usd("pair", List.of(longBtc, shortEth)));
    assertTrue(pair.mm() < 0.7 * (btcAlone + ethAlone), "joint scenarios see the hedge: " + pair.mm() + " vs "
        + btcAlone + " + " + ethAlone);
    // Independent: the pair's joint loss per window from the closes.
    double[] rb = returns("BTC");
    double[] re = returns("ETH");
    double[] losses = new double[rb.length];
    for (int j = 0; j < rb.length; j++) {
      losses[j] = -(S_BTC * rb[j] - 20 * S_ETH * re[j]);
    }
    assertEquals(handEs(losses, 0.975), pair.mm(), 1e-9 * pair.mm());
    double shares = pair.byUnderlying().stream().mapToDouble(UnderlyingMargin::mm).sum();
    assertEquals(pair.mm(), shares, 1e-9 * pair.mm(), "Euler shares add up to ES");
    for (UnderlyingMargin u : pair.byUnderlying()) {
      double sum = u.contributions().stream().mapToDouble(Contribution::amount).sum();
      assertEquals(u.mm(), sum, 1e-9 * pair.mm(), u.underlying() + " contributions");
    }
  }

  @Test
  void optionsAndCollateralContributionsAddUpAndTheShortOptionMinimumCanBind() throws Exception {
    Account book = Fixtures.usd("opt", List.of(new Position(BTC_PUT.id(), -5, 0), new Position(BTC_PERP.id(), -1, S_BTC)),
        List.of(new CollateralBalance("BTC", 2.0), new CollateralBalance("USDC", 50_000)));
    AccountMargin m = calculator(ES, false).margin(book);
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    assertEquals(m.mm(), btc.contributions().stream().mapToDouble(Contribution::amount).sum(), 1e-9 * m.mm());
    assertTrue(btc.contributions().stream().anyMatch(c -> c.source().equals("BTC")), "collateral contributes");
    // A high short option minimum binds: MM = Σ SOM = rate·S·5 short puts.
    ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(
        PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/es-hist-1d.json"));
    ((ObjectNode) doc.get("margin")).put("som_rate", 0.9);
    MarginPolicy highSom = PolicyLoader.fromJson(doc);
    AccountMargin withSom = calculator(highSom, false).margin(book);
    assertEquals(0.9 * S_BTC * 5, withSom.mm(), 1e-6);
    assertNull(Fixtures.only(withSom, "BTC").bindingScenario());
    assertEquals(withSom.mm(), Fixtures.only(withSom, "BTC").contributions().stream().mapToDouble(Contribution::amount).sum(),
        1e-6);
  }

  @Test
  void aHistoricalEsPolicyStatesNoGridAndNoContingency() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = (ObjectNode) json.readTree(PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/es-hist-1d.json"));
    ((ObjectNode) doc.get("margin")).put("c_fut", 0.006);
    InvalidInputException cFut = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(doc));
    assertTrue(cFut.getMessage().contains("margin.c_fut"), cFut.getMessage());
    ObjectNode withGrid = (ObjectNode) json.readTree(PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/es-hist-1d.json"));
    withGrid.set("scenarios", json.readTree(PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json"))
        .get("scenarios"));
    assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(withGrid));
    ObjectNode scanWithEs = (ObjectNode) json.readTree(PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    scanWithEs.set("historical_es", withGrid.get("historical_es"));
    assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(scanWithEs), "riskgrid-v1 has no historical_es");
    assertThrows(InvalidInputException.class, () -> ES.gridFor("BTC"));
  }
}
