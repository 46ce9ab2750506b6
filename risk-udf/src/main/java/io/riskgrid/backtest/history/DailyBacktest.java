package io.riskgrid.backtest.history;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountStatus;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCurrency;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.market.history.DailyHistory;
import io.riskgrid.policy.AntiProcyclicality;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.scenario.VolMode;
import io.riskgrid.stress.HistoricalStress;
import io.riskgrid.stress.StressSet;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One day t of a backtest (DESIGN §3.6), independent of every other day: instantiate the panel against t's
 * market, margin it with the engine (one instrument book for the whole panel, as stage 1 of §2), then
 * revalue each frozen portfolio at the realised market of t + h. Holds the panel, the policy and the kernel,
 * and is what a Spark job broadcasts; {@link #run(MarketHistory, LocalDate, LocalDate)} runs a range in
 * memory, without Spark.
 *
 * <p>A future or option that expires in (t, t + h] settles on the index of the latest close at or before its
 * expiry: the close of its expiry, never a later one. With daily closes at 00:00Z and expiries at 08:00Z that close
 * is 8 hours before the expiry (a 1-day leg instantiated on t settles on S_t): daily data cannot see the last 8
 * hours, and a later close would add hours of move after the leg has settled.
 */
public final class DailyBacktest implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<BacktestPortfolio> panel;
  private final MarginPolicy policy;
  private final RiskKernel kernel;
  private final int horizonDays;
  /** The policy with its grids replaced by the stressed window of its anti-procyclicality floor (§7.7). */
  private final MarginPolicy stressedPolicy;

  /**
   * @param horizonDays h ≥ 1, the loss horizon in days
   */
  public DailyBacktest(List<BacktestPortfolio> panel, MarginPolicy policy, RiskKernel kernel, int horizonDays) {
    if (panel.isEmpty()) {
      throw new InvalidInputException("panel", "a backtest needs at least one portfolio");
    }
    if (horizonDays < 1) {
      throw new InvalidInputException("horizon_days", "the loss horizon must be >= 1 day, got " + horizonDays);
    }
    refuseHistoricalEs(policy);
    this.panel = List.copyOf(panel);
    this.policy = policy;
    this.kernel = kernel;
    this.horizonDays = horizonDays;
    this.stressedPolicy = stressedPolicy(policy, this.panel);
  }

  public List<BacktestPortfolio> panel() { return panel; }
  public MarginPolicy policy() { return policy; }
  public int horizonDays() { return horizonDays; }

  /**
   * The policy's scenario horizon in whole days, the default h (DESIGN §3.6): the longest horizon of its
   * REGULAR scenarios over every grid.
   */
  /** A historical-ES policy's scenarios are every window to the last close: the tested days would margin themselves. */
  static void refuseHistoricalEs(MarginPolicy policy) {
    if (policy.scenarios().jointHistory() != null) {
      throw new io.riskgrid.InvalidInputException("--policy", "backtesting historical-es policy " + policy.name()
          + " is not supported: its scenario set holds every window to the last close, the tested days included");
    }
  }

  public static int policyHorizonDays(MarginPolicy policy) {
    refuseHistoricalEs(policy);
    double h = 0;
    List<ScenarioGrid> grids = new ArrayList<>(policy.scenarios().gridByUnderlying().values());
    grids.add(policy.scenarios().defaultGrid());
    for (ScenarioGrid grid : grids) {
      for (Scenario s : grid.scenarios()) {
        if (s.kind() == ScenarioKind.REGULAR) {
          h = Math.max(h, s.horizonDays());
        }
      }
    }
    if (h < 1 || h != Math.rint(h)) {
      throw new InvalidInputException("policy " + policy.name(), "scenario horizon " + h
          + " days is not a whole number of days >= 1; give the loss horizon in days explicitly");
    }
    return (int) h;
  }

  /** Days from {@code from} to {@code to}, in memory, one result per calendar day. */
  public List<DayResult> run(MarketHistory history, LocalDate from, LocalDate to) {
    List<DayResult> out = new ArrayList<>();
    for (LocalDate t : MarketHistory.calendar(from, to)) {
      out.add(run(history, t));
    }
    return out;
  }

  /** Day t: an observation or a skip for every portfolio. */
  public DayResult run(MarketHistory history, LocalDate t) {
    List<Observation> observed = new ArrayList<>();
    List<SkippedDay> skipped = new ArrayList<>();
    DailyMarket day = history.on(t);
    DailyMarket later = history.on(t.plusDays(horizonDays));
    if (day == null || later == null) {
      SkippedDay.Category why = day == null ? SkippedDay.Category.NO_MARKET : SkippedDay.Category.NO_MARKET_AT_HORIZON;
      LocalDate missing = day == null ? t : t.plusDays(horizonDays);
      for (BacktestPortfolio p : panel) {
        skipped.add(new SkippedDay(p.id(), t, why, "no market on " + missing));
      }
      return new DayResult(t, observed, skipped);
    }
    List<InstantiatedPortfolio> live = new ArrayList<>();
    // Converted accounts share instruments by id (PanelInstantiator.sharedId): the day values each one once.
    Map<String, Instrument> instruments = new java.util.LinkedHashMap<>();
    for (BacktestPortfolio p : panel) {
      try {
        InstantiatedPortfolio ip = PanelInstantiator.instantiate(p, day);
        live.add(ip);
        ip.instruments().forEach(ins -> instruments.putIfAbsent(ins.id(), ins));
      } catch (InvalidInputException e) {
        skipped.add(new SkippedDay(p.id(), t, SkippedDay.Category.NOT_INSTANTIABLE, e.getMessage()));
      }
    }
    if (live.isEmpty()) {
      return new DayResult(t, observed, skipped);
    }
    MarginCalculator calculator = new MarginCalculator(
        InstrumentBook.build(day.snapshot(), instruments.values(), policy, kernel), kernel);
    List<Account> accounts = new ArrayList<>();
    live.forEach(ip -> accounts.add(ip.account()));
    List<AccountMargin> margins = calculator.marginAll(accounts);
    List<AccountMargin> stressed = new MarginCalculator(
        InstrumentBook.build(day.snapshot(), instruments.values(), stressedPolicy, kernel), kernel).marginAll(accounts);
    PortfolioValuer.SettlementIndex settlement = (u, expiry) -> settlementIndex(history, t, later, u, expiry);
    for (int k = 0; k < live.size(); k++) {
      InstantiatedPortfolio ip = live.get(k);
      AccountMargin margin = margins.get(k);
      String id = ip.portfolio().id();
      if (!margin.isValid()) {
        SkippedDay.Category why = margin.status() == AccountStatus.REJECTED
            ? SkippedDay.Category.REJECTED : SkippedDay.Category.DATA_ERROR;
        skipped.add(new SkippedDay(id, t, why, margin.reason()));
        continue;
      }
      double before;
      double after;
      try {
        before = PortfolioValuer.equity(ip, day.snapshot(), settlement, policy);
        after = PortfolioValuer.equity(ip, later.snapshot(), settlement, policy);
      } catch (InvalidInputException e) {
        skipped.add(new SkippedDay(id, t, SkippedDay.Category.NOT_REVALUABLE, e.getMessage()));
        continue;
      }
      MarginCurrency currency = MarginCurrency.parse(margin.marginCurrency());
      double usdPerUnit = currency.isCoin() ? day.index(currency.code()) : 1.0;
      Set<String> underlyings = ip.portfolio().underlyings(policy.collateral()::isStablecoin);
      Map<String, String> binding = new TreeMap<>();
      margin.byUnderlying().forEach(u -> binding.put(u.underlying(), u.bindingScenario()));
      AccountMargin underStress = stressed.get(k);
      observed.add(Observation.revalued(id, t, currency.code(), margin.mm(), margin.im(),
          underStress.isValid() ? underStress.im() : null, before, after,
          volSource(ip.portfolio(), day), usdPerUnit, indices(day, underlyings), indices(later, underlyings), binding));
    }
    return new DayResult(t, observed, skipped);
  }

  /**
   * The policy's grids replaced by one joint scenario, the stressed window of {@code anti_procyclicality}: each
   * underlying of the panel moves by its close-to-close return and DVOL change over the window of the shipped
   * history (§3.5's substitutions where one is missing), over the window's length in days.
   */
  static MarginPolicy stressedPolicy(MarginPolicy policy, List<BacktestPortfolio> panel) {
    AntiProcyclicality apc = policy.antiProcyclicality();
    Set<String> names = new TreeSet<>();
    panel.forEach(p -> names.addAll(p.underlyings(policy.collateral()::isStablecoin)));
    List<String> underlyings = List.copyOf(names);
    StressSet window = new StressSet("stressed_window", VolMode.ADDITIVE, List.of(HistoricalStress.window(
        DailyHistory.shipped(DailyHistory.CLOSES), DailyHistory.shipped(DailyHistory.DVOL), underlyings,
        apc.stressedWindowFrom(), apc.stressedWindowTo(), policy.stress().defaultVolShock())));
    return policy.withGrids(window.gridsFor(List.of("*")).get("*"), window.gridsFor(underlyings));
  }

  /** The policy under the stressed window of its anti-procyclicality floor. */
  public MarginPolicy stressedPolicy() {
    return stressedPolicy;
  }

  /** S of each underlying on {@code market}, USD per coin. */
  private static Map<String, Double> indices(DailyMarket market, Set<String> underlyings) {
    Map<String, Double> out = new TreeMap<>();
    underlyings.forEach(u -> out.put(u, market.index(u)));
    return out;
  }

  /** The weakest vol source among the portfolio's underlyings that day. */
  private VolSource volSource(BacktestPortfolio p, DailyMarket day) {
    VolSource weakest = VolSource.SURFACE;
    for (String u : p.underlyings(policy.collateral()::isStablecoin)) {
      VolSource s = day.volSource(u);
      if (s != null) {
        weakest = VolSource.weakest(weakest, s);
      }
    }
    return weakest;
  }

  /**
   * The index of the latest close in [t, t + h] at or before {@code expiry}; NaN when none has the underlying, which
   * the valuer reports as a missing settlement index.
   */
  static double settlementIndex(MarketHistory history, LocalDate t, DailyMarket later, String underlying,
      Instant expiry) {
    for (LocalDate d = later.date(); !d.isBefore(t); d = d.minusDays(1)) {
      DailyMarket m = history.on(d);
      if (m != null && !m.asOf().isAfter(expiry) && !Double.isNaN(m.index(underlying))) {
        return m.index(underlying);
      }
    }
    return Double.NaN;
  }

  /** Observations of several days, flattened in day order. */
  public static List<Observation> observations(List<DayResult> days) {
    List<Observation> out = new ArrayList<>();
    days.forEach(d -> out.addAll(d.observations()));
    return out;
  }

  /** Skipped (portfolio, day) counts by category. */
  public static Map<SkippedDay.Category, Long> skipCounts(List<DayResult> days) {
    Map<SkippedDay.Category, Long> counts = new java.util.EnumMap<>(SkippedDay.Category.class);
    days.forEach(d -> d.skipped().forEach(s -> counts.merge(s.category(), 1L, Long::sum)));
    return counts;
  }
}
