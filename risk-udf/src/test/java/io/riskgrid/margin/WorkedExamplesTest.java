package io.riskgrid.margin;

import static io.riskgrid.margin.Fixtures.EXPIRY_90D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-checked examples of DESIGN §3.7, under seed-default with S = F = 60,000 USD. */
class WorkedExamplesTest {
  private static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  private static final double S = 60_000;
  private static final Instrument PERP = Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, 1.0);
  private static final Instrument FUT = Instrument.future("BTC-90D-L", "BTC", Settlement.LINEAR, EXPIRY_90D, 1.0);

  @Test
  void longOneLinearPerpetual() {
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, 0.5)), SEED, PERP);
    AccountMargin m = calc.margin(Fixtures.usd("a1", List.of(new Position(PERP.id(), 1, S)), List.of()));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    assertEquals(9_000, btc.scanLoss(), 1e-9);
    assertEquals("p-15_v-10", btc.bindingScenario());
    assertEquals(360, btc.futuresContingency(), 1e-9);
    assertEquals(9_360, m.mm(), 1e-9);
    assertEquals(12_168, m.im(), 1e-9);
    assertEquals(0.0, m.equity(), 0.0);
    assertEquals(AccountStatus.LIQUIDATION, m.status());
    assertEquals(1.0, btc.delta(), 0.0);
  }

  @Test
  void perpetualAgainstFutureOfAnotherExpiryNetsToZeroScanLossButNotContingency() {
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, 0.5)), SEED, PERP, FUT);
    AccountMargin m = calc.margin(Fixtures.usd("a2",
        List.of(new Position(PERP.id(), 1, S), new Position(FUT.id(), -1, S)), List.of()));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    assertEquals(0.0, btc.scanLoss(), 0.0);
    assertNull(btc.bindingScenario());
    assertEquals(720, btc.futuresContingency(), 1e-9);
    assertEquals(720, m.mm(), 1e-9);
  }

  @Test
  void oneBitcoinOfCollateralAndNoPositions() {
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, 0.5)), SEED);
    AccountMargin m = calc.margin(Fixtures.usd("a3", List.of(), List.of(new CollateralBalance("BTC", 1.0))));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    assertEquals(8_550, btc.scanLoss(), 1e-9);
    assertEquals(8_550, m.mm(), 1e-9);
    assertEquals(11_115, m.im(), 1e-9);
    assertEquals(57_000, m.equity(), 1e-9);
    assertEquals(AccountStatus.OK, m.status());
    assertEquals(1.0, btc.delta(), 0.0);
  }

  @Test
  void emptyAccountIsOkWithZeroFigures() {
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, 0.5)), SEED);
    AccountMargin m = calc.margin(Fixtures.usd("empty", List.of(), List.of()));
    assertEquals(AccountStatus.OK, m.status());
    assertEquals(0.0, m.equity());
    assertEquals(0.0, m.im());
    assertEquals(0.0, m.mm());
    assertNull(m.pmSaving());
  }
}
