package io.riskgrid.backtest.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import io.riskgrid.market.MarketDataException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Re-instantiation of a relative portfolio on a day's market (DESIGN §3.6). */
class PanelInstantiatorTest {
  private static final LocalDate DAY = LocalDate.of(2023, 5, 17);
  /** A synthetic day: non-zero basis, so F(expiry) differs from S and by expiry. */
  private static final DailyMarket SYNTHETIC = SyntheticMarketGenerator.generate(DAY.minusDays(10), DAY, 7).on(DAY);

  @Test
  void expiryIsTPlusTenorAtEightUtcAndStrikeIsMoneynessTimesThatExpirysForward() {
    int checked = 0;
    for (BacktestPortfolio p : PanelArchetypes.panel(24)) {
      InstantiatedPortfolio ip = PanelInstantiator.instantiate(p, SYNTHETIC);
      assertEquals(p.legs().size(), ip.instruments().size());
      for (int i = 0; i < p.legs().size(); i++) {
        PanelLeg leg = p.legs().get(i);
        Instrument ins = ip.instruments().get(i);
        Position pos = ip.account().positions().get(i);
        assertEquals(p.id() + "/L" + i, ins.id());
        assertEquals(ins.id(), pos.instrumentId());
        assertEquals(leg.kind(), ins.kind());
        assertEquals(leg.settlement(), ins.settlement());
        var market = SYNTHETIC.underlying(leg.underlying());
        if (leg.kind() == InstrumentKind.PERPETUAL) {
          assertNull(ins.expiry());
          continue;
        }
        Instant expected = DAY.plusDays((long) leg.tenorDays()).atTime(8, 0).toInstant(java.time.ZoneOffset.UTC);
        assertEquals(expected, ins.expiry(), ins.id());
        double forward = market.index() * Math.exp(market.basis()
            * (expected.getEpochSecond() - SYNTHETIC.asOf().getEpochSecond()) / (365 * 86400.0));
        if (market.listedForwards().containsKey(expected)) {
          forward = market.listedForwards().get(expected);
        }
        assertNotEquals(market.index(), forward);
        if (leg.kind() == InstrumentKind.OPTION) {
          assertEquals(leg.moneyness() * forward, ins.strike(), 1e-9 * forward, ins.id());
          assertEquals(leg.optionType(), ins.optionType());
          assertEquals(leg.coinQuantity(), pos.quantity(), 0.0);
          assertTrue(Double.isNaN(pos.entryPrice()));
          checked++;
        } else {
          assertEquals(forward, pos.entryPrice(), 1e-9 * forward, ins.id());
        }
      }
    }
    assertTrue(checked > 20, "options checked: " + checked);
  }

  @Test
  void coinQuantityBecomesContractsByTheMultiplierRule() {
    BacktestPortfolio p = new BacktestPortfolio("X", "mixed coin account", "BTC", List.of(
        PanelLeg.perpetual("BTC", Settlement.INVERSE, -0.5),
        PanelLeg.future("BTC", Settlement.INVERSE, 90, 2.0),
        PanelLeg.option("BTC", Settlement.INVERSE, OptionType.PUT, 30, 0.9, -1.5)), List.of(new CollateralBalance("BTC", 3)));
    DailyMarket day = Days.withBasis(DAY, 0.08, "BTC", 27_000, 0.5);
    InstantiatedPortfolio ip = PanelInstantiator.instantiate(p, day);
    double f90 = 27_000 * Math.exp(0.08 * ((DAY.plusDays(90).toEpochDay() - DAY.toEpochDay() - 1) * 86400.0 + 8 * 3600) / (365 * 86400.0));
    // Inverse perpetual and future: N = 1 USD, so contracts = coin quantity × price.
    assertEquals(1.0, ip.instruments().get(0).multiplier());
    assertEquals(-0.5 * 27_000, ip.account().positions().get(0).quantity(), 1e-9);
    assertEquals(27_000, ip.account().positions().get(0).entryPrice());
    assertEquals(2.0 * f90, ip.account().positions().get(1).quantity(), 1e-6);
    // Inverse option: m = 1 coin, contracts = coin quantity.
    assertEquals(-1.5, ip.account().positions().get(2).quantity());
    assertEquals("BTC", ip.account().marginCurrency());
    assertEquals(p.collateral(), ip.account().collateral());
  }

  @Test
  void aMissingUnderlyingAndAMismatchedAccountAreErrorsNamingThem() {
    BacktestPortfolio sol = PanelArchetypes.portfolio("S", PanelArchetypes.Archetype.LONG_PERP, "SOL", 1);
    MarketDataException missing = assertThrows(MarketDataException.class,
        () -> PanelInstantiator.instantiate(sol, Days.flat(DAY, "BTC", 30_000, 0.5)));
    assertTrue(missing.getMessage().contains("S/L0") && missing.getMessage().contains("SOL"), missing.getMessage());
    InvalidInputException wrong = assertThrows(InvalidInputException.class, () -> new BacktestPortfolio("W", "", "USD",
        List.of(PanelLeg.perpetual("BTC", Settlement.INVERSE, 1)), List.of()));
    assertTrue(wrong.getMessage().contains("cannot be held in a USD account"), wrong.getMessage());
    assertThrows(InvalidInputException.class, () -> PanelLeg.future("BTC", Settlement.LINEAR, 0, 1));
    assertThrows(InvalidInputException.class, () -> PanelLeg.option("BTC", Settlement.LINEAR, OptionType.CALL, 30, -1, 1));
  }
}
