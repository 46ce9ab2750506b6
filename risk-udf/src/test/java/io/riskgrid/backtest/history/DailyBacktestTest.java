package io.riskgrid.backtest.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountStatus;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated panel on real and synthetic days, and one backtest day's bookkeeping. */
class DailyBacktestTest {
  private static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  private static final MarketHistory REAL = HistoryImporter.shipped(SEED.backtest().ivOverRv());

  @Test
  void thePanelHasAtLeastSixArchetypesAndDistinctPortfolios() {
    List<BacktestPortfolio> panel = PanelArchetypes.panel(30);
    Set<String> ids = new HashSet<>();
    Set<String> descriptions = new HashSet<>();
    Set<String> archetypes = new HashSet<>();
    for (BacktestPortfolio p : panel) {
      ids.add(p.id());
      descriptions.add(p.description());
      archetypes.add(p.description().substring(0, p.description().lastIndexOf(' ')).replaceAll(" (BTC|ETH|SOL)$", ""));
    }
    assertEquals(30, ids.size());
    assertEquals(30, descriptions.size(), "every portfolio of a 30-portfolio panel is a different risk profile");
    assertTrue(PanelArchetypes.Archetype.values().length >= 6);
    Set<PanelArchetypes.Archetype> first12 = new HashSet<>();
    for (BacktestPortfolio p : PanelArchetypes.panel(12)) {
      for (PanelArchetypes.Archetype a : PanelArchetypes.Archetype.values()) {
        if (p.description().startsWith(a.name().toLowerCase().replace('_', ' '))) {
          first12.add(a);
        }
      }
    }
    assertEquals(PanelArchetypes.Archetype.values().length, first12.size(), "the first 12 cover every archetype");
    assertEquals("P01", panel.get(0).id());
    assertEquals("P001", PanelArchetypes.panel(120).get(0).id());
  }

  /** V_t of the valuer is the engine's equity at t, for every archetype, on real and synthetic days. */
  @Test
  void equityAtTheDayOfInstantiationIsTheEnginesAndEveryPortfolioIsMargined() {
    MarketHistory synthetic = SyntheticMarketGenerator.generate(LocalDate.of(2022, 1, 1), LocalDate.of(2022, 1, 20), 3);
    for (DailyMarket day : List.of(REAL.on(LocalDate.of(2021, 5, 19)), REAL.on(LocalDate.of(2024, 8, 5)),
        synthetic.on(LocalDate.of(2022, 1, 20)))) {
      List<InstantiatedPortfolio> live = new ArrayList<>();
      List<Instrument> instruments = new ArrayList<>();
      for (BacktestPortfolio p : PanelArchetypes.panel(36)) {
        InstantiatedPortfolio ip = PanelInstantiator.instantiate(p, day);
        live.add(ip);
        instruments.addAll(ip.instruments());
      }
      MarginCalculator calc = new MarginCalculator(
          InstrumentBook.build(day.snapshot(), instruments, SEED, ScalarKernel.INSTANCE), ScalarKernel.INSTANCE);
      for (InstantiatedPortfolio ip : live) {
        AccountMargin m = calc.margin(ip.account());
        assertTrue(m.isValid(), ip.portfolio().id() + " on " + day.date() + ": " + m.status() + " " + m.reason());
        assertTrue(m.mm() > 0, ip.portfolio().id() + " has no margin");
        double v = PortfolioValuer.equity(ip, day.snapshot(), (u, e) -> Double.NaN, SEED);
        assertEquals(m.equity(), v, 1e-9 * Math.max(1, Math.abs(v)), ip.portfolio().id() + " on " + day.date());
      }
    }
  }

  @Test
  void aDayWithoutAMarketAtTheHorizonOrWithoutAnUnderlyingIsSkippedWithItsReason() {
    List<BacktestPortfolio> panel = List.of(
        PanelArchetypes.portfolio("BTC", PanelArchetypes.Archetype.LONG_PERP, "BTC", 1),
        PanelArchetypes.portfolio("SOL", PanelArchetypes.Archetype.LONG_PERP, "SOL", 1),
        PanelArchetypes.portfolio("ETHCOLL", PanelArchetypes.Archetype.PROTECTIVE_PUT, "ETH", 1));
    LocalDate t = Days.T;
    MarketHistory history = MarketHistory.of(List.of(
        Days.flat(t, "BTC", 60_000, 0.6, "ETH", 3_000, 0.7),
        Days.flat(t.plusDays(1), "BTC", 61_000, 0.6, "ETH", 3_100, 0.7),
        Days.flat(t.plusDays(3), "BTC", 61_000, 0.6)));
    DailyBacktest bt = new DailyBacktest(panel, SEED, ScalarKernel.INSTANCE, 1);
    DayResult day0 = bt.run(history, t);
    assertEquals(List.of("BTC", "ETHCOLL"), day0.observations().stream().map(Observation::portfolioId).toList());
    assertEquals(SkippedDay.Category.NOT_INSTANTIABLE, day0.skipped().get(0).category());
    assertTrue(day0.skipped().get(0).detail().contains("SOL"), day0.skipped().get(0).detail());
    DayResult day1 = bt.run(history, t.plusDays(1));
    assertEquals(0, day1.observations().size());
    day1.skipped().forEach(s -> assertEquals(SkippedDay.Category.NO_MARKET_AT_HORIZON, s.category()));
    assertEquals(3, day1.skipped().size());
    DayResult day2 = bt.run(history, t.plusDays(2));
    day2.skipped().forEach(s -> assertEquals(SkippedDay.Category.NO_MARKET, s.category()));
    // ETH collateral without an ETH market on t: the engine says DATA_ERROR, which is not an observation.
    DayResult day3 = bt.run(MarketHistory.of(List.of(Days.flat(t, "BTC", 60_000, 0.6, "SOL", 100, 1.0),
        Days.flat(t.plusDays(1), "BTC", 60_000, 0.6, "SOL", 100, 1.0))), t);
    assertEquals(2, day3.observations().size());
    assertEquals(SkippedDay.Category.NOT_INSTANTIABLE, day3.skipped().get(0).category());
    Map<SkippedDay.Category, Long> counts = DailyBacktest.skipCounts(List.of(day0, day1, day2, day3));
    assertEquals(Map.of(SkippedDay.Category.NOT_INSTANTIABLE, 2L, SkippedDay.Category.NO_MARKET_AT_HORIZON, 3L,
        SkippedDay.Category.NO_MARKET, 3L), counts);
    assertEquals(AccountStatus.DATA_ERROR.name(), SkippedDay.Category.DATA_ERROR.name());
  }

  @Test
  void theHorizonDefaultsToThePolicysScenarioHorizon() {
    assertEquals(1, DailyBacktest.policyHorizonDays(SEED));
    assertEquals(1, DailyBacktest.policyHorizonDays(PolicyLoader.preset("deribit-like")));
  }

  /** The library names the input it was given; a command line that wants its own flag names rephrases. */
  @Test
  void badInputsNameTheInputNotACommandLineFlag() {
    InvalidInputException noPanel = assertThrows(InvalidInputException.class,
        () -> new DailyBacktest(List.of(), SEED, ScalarKernel.INSTANCE, 1));
    assertEquals("panel: a backtest needs at least one portfolio", noPanel.getMessage());
    InvalidInputException noHorizon = assertThrows(InvalidInputException.class,
        () -> new DailyBacktest(PanelArchetypes.panel(1), SEED, ScalarKernel.INSTANCE, 0));
    assertEquals("horizon_days: the loss horizon must be >= 1 day, got 0", noHorizon.getMessage());
    InvalidInputException emptyPanel = assertThrows(InvalidInputException.class, () -> PanelArchetypes.panel(0));
    assertEquals("panel size: needs at least 1 portfolio, got 0", emptyPanel.getMessage());
    InvalidInputException reversed = assertThrows(InvalidInputException.class,
        () -> SyntheticMarketGenerator.generate(LocalDate.of(2022, 2, 1), LocalDate.of(2022, 1, 1), 3));
    assertEquals("from/to dates: the first day 2022-02-01 is after the last day 2022-01-01", reversed.getMessage());
  }

  @Test
  void aMultiUnderlyingPortfolioReportsItsWeakestVolSource() {
    BacktestPortfolio pairs = PanelArchetypes.portfolio("PAIRS", PanelArchetypes.Archetype.PAIRS, "SOL", 1);
    LocalDate day = LocalDate.of(2023, 6, 1);
    DayResult r = new DailyBacktest(List.of(pairs, PanelArchetypes.portfolio("B", PanelArchetypes.Archetype.LONG_PERP, "BTC", 1)),
        SEED, ScalarKernel.INSTANCE, 1).run(REAL, day);
    assertEquals(VolSource.REALISED, r.observations().get(0).volSource(), "SOL has only realised vol");
    assertEquals(VolSource.DVOL, r.observations().get(1).volSource());
  }
}
