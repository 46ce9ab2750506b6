package io.riskgrid.margin;

import static io.riskgrid.margin.Fixtures.AS_OF;
import static io.riskgrid.margin.Fixtures.EXPIRY_30D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.pricing.Black76;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Custom grids the policy schema accepts: a grid of EXTREME scenarios only (DESIGN §3.4: L = max(0,
 * max over EXTREME of −RA·cover)) and REGULAR scenarios that differ only in horizon (§3.3 labels them
 * {@code _h{days}}). Expected figures are worked by hand at S = F = 60,000 USD, or from Black-76 directly.
 */
class CustomGridCasesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double S = 60_000;
  private static final double VOL = 0.5;
  private static final Instrument PERP = Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, 1.0);

  /** seed-default with its {@code scenarios} replaced by {@code scenariosJson}. */
  private static MarginPolicy seedWithScenarios(String name, String scenariosJson) throws IOException {
    try (InputStream in = PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json")) {
      ObjectNode doc = (ObjectNode) JSON.readTree(in);
      doc.put("name", name);
      doc.set("scenarios", JSON.readTree(scenariosJson));
      return PolicyLoader.fromJson(doc);
    }
  }

  private static MarginPolicy extremesOnly() throws IOException {
    return seedWithScenarios("extremes-only", """
        {"vol_mode": "additive", "horizon_days": 1, "price_shocks": [], "vol_shocks": [],
         "extremes": [{"p": -0.30, "v": 0.10, "cover": 0.33}, {"p": 0.30, "v": 0.10, "cover": 0.33}]}""");
  }

  @Test
  void extremesOnlyGridMarginsALongPerpetualOnItsCoveredLoss() throws IOException {
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), extremesOnly(), PERP);
    AccountMargin m = calc.margin(Fixtures.usd("x1", List.of(new Position(PERP.id(), 1, S)), List.of()));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    // RA = [−18,000, +18,000]; L = max(0, 18,000·0.33, −18,000·0.33) = 5,940.
    assertEquals(List.of("p-30_v+10_x", "p+30_v+10_x"), btc.scenarioLabels());
    assertEquals(-18_000, btc.riskArray()[0], 1e-9);
    assertEquals(18_000, btc.riskArray()[1], 1e-9);
    assertEquals(5_940, btc.scanLoss(), 1e-9);
    assertEquals("p-30_v+10_x", btc.bindingScenario());
    assertEquals(360, btc.futuresContingency(), 1e-9);
    assertEquals(6_300, m.mm(), 1e-9);
    assertEquals(8_190, m.im(), 1e-9);
    assertEquals(AccountStatus.LIQUIDATION, m.status());
  }

  @Test
  void extremesOnlyGridWithGainsInEveryScenarioHasNoScanLoss() throws IOException {
    Instrument call = Instrument.option("BTC-30D-60000-C", "BTC", Settlement.LINEAR, OptionType.CALL, 60_000, EXPIRY_30D, 1);
    Instrument put = Instrument.option("BTC-30D-60000-P", "BTC", Settlement.LINEAR, OptionType.PUT, 60_000, EXPIRY_30D, 1);
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), extremesOnly(), call, put);
    AccountMargin m = calc.margin(Fixtures.usd("straddle",
        List.of(new Position(call.id(), 1, Double.NaN), new Position(put.id(), 1, Double.NaN)),
        List.of(new CollateralBalance("USD", 100_000))));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    // A long straddle gains on a ±30% move with vol up: L = max(0, negative covered losses) = 0.
    assertTrue(btc.riskArray()[0] > 0 && btc.riskArray()[1] > 0, "both extremes gain");
    assertEquals(0.0, btc.scanLoss(), 0.0);
    assertNull(btc.bindingScenario());
    assertEquals(0.0, m.mm(), 0.0);
    assertEquals(AccountStatus.OK, m.status());
  }

  @Test
  void regularScenariosThatDifferOnlyInHorizonAreBothMargined() throws IOException {
    MarginPolicy policy = seedWithScenarios("two-horizons", """
        {"vol_mode": "additive", "horizon_days": 1, "custom": [
          {"p": -0.10, "v": 0, "h_days": 1, "kind": "REGULAR", "cover": 1},
          {"p": -0.10, "v": 0, "h_days": 3, "kind": "REGULAR", "cover": 1},
          {"p": 0.10, "v": 0, "h_days": 1, "kind": "REGULAR", "cover": 1},
          {"p": 0.10, "v": 0, "h_days": 3, "kind": "REGULAR", "cover": 1}]}""");
    Instrument call = Instrument.option("BTC-30D-60000-C", "BTC", Settlement.LINEAR, OptionType.CALL, 60_000, EXPIRY_30D, 1);
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), policy, call);
    AccountMargin m = calc.margin(Fixtures.usd("call", List.of(new Position(call.id(), 1, Double.NaN)),
        List.of(new CollateralBalance("USD", 100_000))));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    assertEquals(List.of("p-10_v+0", "p-10_v+0_h3", "p+10_v+0", "p+10_v+0_h3"), btc.scenarioLabels());
    double tau = TimeConventions.yearFraction(AS_OF, EXPIRY_30D);
    double v0 = Black76.price(true, S, 60_000, tau, VOL, 0);
    double down1 = Black76.price(true, S * 0.9, 60_000, tau - 1 / 365.0, VOL, 0) - v0;
    double down3 = Black76.price(true, S * 0.9, 60_000, tau - 3 / 365.0, VOL, 0) - v0;
    assertEquals(down1, btc.riskArray()[0], 1e-9 * S);
    assertEquals(down3, btc.riskArray()[1], 1e-9 * S);
    // Two more days of theta: the 3-day down move is the worst, and it binds.
    assertTrue(down3 < down1);
    assertEquals(-down3, btc.scanLoss(), 1e-9 * S);
    assertEquals("p-10_v+0_h3", btc.bindingScenario());
  }
}
