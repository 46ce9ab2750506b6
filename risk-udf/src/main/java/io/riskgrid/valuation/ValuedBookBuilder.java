package io.riskgrid.valuation;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.ScenarioPolicy;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.VolDynamics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the {@link ValuedBook}: resolves every instrument against the market ({@link ResolvedInstrument}),
 * prices the options and their Greeks in one kernel batch ({@link RiskKernel#black76Greeks}), and fills
 * the P&amp;L matrix R through the kernel (DESIGN §3.1–§3.3). It reads only the scenario part of a policy
 * ({@link ScenarioPolicy}: grids, vol scaling, vol dynamics); margin rules are applied elsewhere.
 */
public final class ValuedBookBuilder {
  private static final double DAYS_PER_YEAR = 365.0;

  private final ValuedBook book;
  private final MarketSnapshot market;
  private final ScenarioPolicy scenarios;
  /** Base vol σ per option (NaN for other instruments), from {@link ResolvedInstrument#vol()}. */
  private final double[] vol;
  private final double[] tau;
  private final double[] rate;

  private ValuedBookBuilder(ValuedBook book, MarketSnapshot market, ScenarioPolicy scenarios) {
    this.book = book;
    this.market = market;
    this.scenarios = scenarios;
    int n = book.instrumentCount();
    this.vol = new double[n];
    this.tau = new double[n];
    this.rate = new double[n];
  }

  /**
   * Values {@code instruments} against {@code market} on the scenario grids of {@code scenarios}.
   *
   * @param malformed instrument rows that failed to parse, by id, so that positions in them name the reason
   * @throws InvalidInputException when an instrument id is listed twice
   */
  public static ValuedBook build(MarketSnapshot market, Collection<Instrument> instruments, Map<String, String> malformed,
      ScenarioPolicy scenarios, RiskKernel kernel) {
    List<Instrument> list = new ArrayList<>(instruments);
    Set<String> ids = new HashSet<>();
    for (Instrument ins : list) {
      if (!ids.add(ins.id())) {
        throw new InvalidInputException("instruments", "instrument id " + ins.id() + " is listed twice");
      }
    }
    List<String> underlyings = underlyings(market, list);
    int nu = underlyings.size();
    ScenarioGrid[] grids = new ScenarioGrid[nu];
    double[] spot = new double[nu];
    String[] underlyingError = new String[nu];
    Map<String, ScenarioGrid> joint = scenarios.jointHistory() == null ? null
        : HistoricalGrids.of(underlyings, scenarios.jointHistory());
    for (int u = 0; u < nu; u++) {
      String name = underlyings.get(u);
      grids[u] = joint != null ? joint.get(name) : scenarios.gridFor(name);
      UnderlyingMarket m = market.underlying(name);
      spot[u] = m == null ? Double.NaN : m.index();
      underlyingError[u] = m == null ? "no market data for underlying " + name : m.dataError();
    }
    ValuedBook book = new ValuedBook(list, malformed, underlyings, grids, spot, underlyingError);
    int[] scenarioCount = new int[nu];
    int[] instrumentUnderlying = new int[list.size()];
    for (int u = 0; u < nu; u++) {
      scenarioCount[u] = grids[u].size();
    }
    for (int i = 0; i < list.size(); i++) {
      instrumentUnderlying[i] = book.underlyingIndexOf(list.get(i).underlying());
    }
    book.pnl = new PnlMatrix(instrumentUnderlying, scenarioCount);
    ValuedBookBuilder builder = new ValuedBookBuilder(book, market, scenarios);
    builder.resolveAll();
    builder.priceOptions(kernel);
    builder.fillPnl(kernel);
    book.movePnl = IndexMoveMatrix.build(book, builder.vol, builder.tau, builder.rate, kernel);
    NonFiniteInstruments.refuse(book, builder.rate);
    return book;
  }

  /** The book's underlyings, in name order: those of the market and those of the instruments. */
  public static List<String> underlyings(MarketSnapshot market, Collection<Instrument> instruments) {
    TreeSet<String> names = new TreeSet<>(market.underlyings().keySet());
    for (Instrument ins : instruments) {
      names.add(ins.underlying());
    }
    return new ArrayList<>(names);
  }

  /** Forward, T, base vol and rate of each instrument; futures' figures, which need no pricing. */
  private void resolveAll() {
    Arrays.fill(vol, Double.NaN);
    Arrays.fill(tau, Double.NaN);
    Arrays.fill(rate, Double.NaN);
    for (int i = 0; i < book.instrumentCount(); i++) {
      Instrument ins = book.instrument(i);
      int u = book.underlyingOf(i);
      if (ins.expiry() != null && !ins.expiry().isAfter(market.asOf())) {
        book.rejectReason[i] = "instrument " + ins.id() + " expired at " + ins.expiry() + " (as of " + market.asOf()
            + "): awaiting settlement";
        continue;
      }
      if (book.underlyingError(u) != null) {
        book.dataError[i] = book.underlyingError(u);
        continue;
      }
      try {
        ResolvedInstrument r = ResolvedInstrument.resolve(market, market.underlying(ins.underlying()), ins);
        book.forward[i] = r.forward();
        tau[i] = r.tau();
        rate[i] = r.rate();
        vol[i] = r.vol(); // options are valued with their Greeks in priceOptions, one kernel batch for all
        if (!ins.isOption()) {
          valueFuture(i, ins, r.forward(), r.spot());
        }
      } catch (InvalidInputException e) {
        book.dataError[i] = e.getMessage();
      }
    }
  }

  /** A future's or perpetual's per-contract figures: no mark value, delta-one Greeks. */
  private void valueFuture(int i, Instrument ins, double fwd, double spot) {
    double mult = ins.multiplier();
    book.markValue[i] = 0.0;
    book.vega[i] = 0.0;
    book.theta[i] = 0.0;
    if (ins.isInverse()) {
      // N is USD notional per contract: coin exposure N/F, delta of the USD-value basis.
      book.delta[i] = mult / fwd;
      book.gamma[i] = -mult / (fwd * fwd);
      book.coinPerContract[i] = mult / fwd;
      book.usdBasisDelta[i] = mult / fwd;
      book.usdBasisGamma[i] = -mult / (fwd * fwd);
      book.notionalUsd[i] = mult;
    } else {
      book.delta[i] = mult;
      book.gamma[i] = 0.0;
      book.coinPerContract[i] = mult;
      book.usdBasisDelta[i] = mult;
      book.usdBasisGamma[i] = 0.0;
      book.notionalUsd[i] = mult * spot;
    }
  }

  /**
   * Value and Greeks of every option that resolved, through the kernel in one batch of one cell per
   * option (forward, strike, T, base σ, discount e^{−rT}); the kernel's Greeks are
   * {@link io.riskgrid.pricing.Black76#greeks}', scaled by the discount.
   */
  private void priceOptions(RiskKernel kernel) {
    int n = book.instrumentCount();
    int[] option = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (book.instrument(i).isOption() && book.isValued(i)) {
        option[count++] = i;
      }
    }
    OptionCells cells = OptionCells.allocate(count);
    for (int c = 0; c < count; c++) {
      int i = option[c];
      cells.forward()[c] = book.forward[i];
      cells.strike()[c] = book.instrument(i).strike();
      cells.tau()[c] = tau[i];
      cells.vol()[c] = vol[i];
      cells.discount()[c] = Math.exp(-rate[i] * tau[i]);
      cells.isCall()[c] = book.instrument(i).isCall();
    }
    double[] price = new double[count];
    double[] delta = new double[count];
    double[] gamma = new double[count];
    double[] vega = new double[count];
    double[] theta = new double[count];
    kernel.black76Greeks(cells, price, delta, gamma, vega, theta);
    for (int c = 0; c < count; c++) {
      int i = option[c];
      valueOption(i, book.instrument(i), book.spot(book.underlyingOf(i)), price[c], delta[c], gamma[c], vega[c], theta[c]);
    }
  }

  /**
   * An option's per-contract figures from its Black-76 value and Greeks per coin (USD, per unit of F,
   * per 1.00 vol, per year): the settlement-currency Greeks of an inverse option are those of V/F.
   */
  private void valueOption(int i, Instrument ins, double spot, double v, double dvdf, double d2vdf2, double dvdsigma,
      double dvdt) {
    double fwd = book.forward[i];
    double m = ins.multiplier();
    double toSettlement = ContractValue.toSettlement(ins, fwd);
    book.optionPrice[i] = v;
    book.markValue[i] = ContractValue.optionMark(ins, v, fwd);
    if (ins.isInverse()) {
      book.delta[i] = m * (dvdf - v / fwd);
      book.gamma[i] = m * (d2vdf2 - dvdf / fwd + v / (fwd * fwd));
    } else {
      book.delta[i] = m * dvdf;
      book.gamma[i] = m * d2vdf2;
    }
    book.usdBasisDelta[i] = m * dvdf;
    book.usdBasisGamma[i] = m * d2vdf2;
    book.vega[i] = m * dvdsigma * 0.01 * toSettlement;
    book.theta[i] = m * dvdt / DAYS_PER_YEAR * toSettlement;
    book.coinPerContract[i] = m;
    book.notionalUsd[i] = m * spot;
  }

  /** The P&amp;L matrix: futures rows directly, option rows through one kernel batch of shocked cells. */
  private void fillPnl(RiskKernel kernel) {
    PnlMatrix pnl = book.pnl;
    int n = book.instrumentCount();
    double[] values = pnl.values();
    int optionCells = 0;
    for (int i = 0; i < n; i++) {
      if (book.instrument(i).isOption() && book.isValued(i)) {
        optionCells += pnl.rowLength(i);
      }
    }
    OptionCells cells = OptionCells.allocateHoisted(optionCells);
    int nu = book.underlyings().size();
    double[][] logPriceFactors = new double[nu][];
    for (int u = 0; u < nu; u++) {
      logPriceFactors[u] = logPriceFactors(book.grid(u));
    }
    int c = 0;
    for (int i = 0; i < n; i++) {
      Instrument ins = book.instrument(i);
      int start = pnl.rowStart(i);
      int len = pnl.rowLength(i);
      if (!book.isValued(i)) {
        Arrays.fill(values, start, start + len, Double.NaN);
        continue;
      }
      ScenarioGrid grid = book.grid(book.underlyingOf(i));
      if (!ins.isOption()) {
        fillFutureRow(ins, book.forward[i], grid, values, start);
        continue;
      }
      try {
        c = fillOptionCells(ins, i, grid, logPriceFactors[book.underlyingOf(i)], cells, c);
      } catch (InvalidInputException e) {
        // Sticky moneyness may read the smile where w(k) <= 0: the option cannot be valued.
        book.dataError[i] = e.getMessage();
        Arrays.fill(values, start, start + len, Double.NaN);
        // Cells already written for this row are ignored: rewind them.
        c = cellsBefore(i);
      }
    }
    writeOptionPnl(book, kernel, cells, c, pnl);
  }

  /**
   * Prices the first {@code count} {@code cells} in one kernel batch and writes each valued option's P&amp;L
   * per contract into its row of {@code target}: the cells hold the valued options' rows one after the
   * other, in instrument order, as both matrices fill them ({@link IndexMoveMatrix} too).
   */
  static void writeOptionPnl(ValuedBook book, RiskKernel kernel, OptionCells cells, int count, PnlMatrix target) {
    double[] priced = new double[count];
    kernel.black76(cells.withCount(count), priced);
    double[] values = target.values();
    int c = 0;
    for (int i = 0; i < book.instrumentCount(); i++) {
      Instrument ins = book.instrument(i);
      if (!ins.isOption() || !book.isValued(i)) {
        continue;
      }
      int start = target.rowStart(i);
      for (int s = 0; s < target.rowLength(i); s++, c++) {
        values[start + s] = ContractValue.optionPnl(ins, book.optionPrice[i], book.forward[i], priced[c],
            cells.forward()[c]);
      }
    }
  }

  private int cellsBefore(int instrument) {
    int c = 0;
    for (int i = 0; i < instrument; i++) {
      if (book.instrument(i).isOption() && book.isValued(i)) {
        c += book.pnl.rowLength(i);
      }
    }
    return c;
  }

  private static void fillFutureRow(Instrument ins, double price, ScenarioGrid grid, double[] values, int start) {
    for (int s = 0; s < grid.size(); s++) {
      double shockedPrice = price * (1 + grid.get(s).priceShock());
      values[start + s] = ContractValue.deltaOneValue(ins, 1, price, shockedPrice);
    }
  }

  /** ln(1 + p) per scenario of the grid: ln(F'/K) = ln(F/K) + ln(1 + p), one log per shock. */
  private static double[] logPriceFactors(ScenarioGrid grid) {
    double[] logFactor = new double[grid.size()];
    for (int s = 0; s < grid.size(); s++) {
      logFactor[s] = Math.log1p(grid.get(s).priceShock());
    }
    return logFactor;
  }

  /**
   * One option's cells, one per scenario of its grid. Per instrument, not per cell: F/K, ln(F/K), and
   * sqrt(T') and e^{−r·T'} for each distinct shocked T' (one per horizon; presets have one).
   */
  private int fillOptionCells(Instrument ins, int i, ScenarioGrid grid, double[] logPriceFactor, OptionCells cells,
      int c) {
    double fwd = book.forward[i];
    double t = tau[i];
    double moneyness = fwd / ins.strike();
    double logMoneyness = Math.log(moneyness);
    boolean stickyMoneyness = scenarios.volDynamics() == VolDynamics.STICKY_MONEYNESS
        && Double.isNaN(market.markIv(ins.id()));
    UnderlyingMarket m = market.underlying(ins.underlying());
    double lastTau = Double.NaN;
    double sqrtTau = Double.NaN;
    double discount = Double.NaN;
    for (int s = 0; s < grid.size(); s++, c++) {
      Scenario sc = grid.get(s);
      double shockedFwd = fwd * (1 + sc.priceShock());
      double shockedTau = Math.max(t - sc.horizonDays() / DAYS_PER_YEAR, 0.0);
      if (shockedTau != lastTau) {
        lastTau = shockedTau;
        sqrtTau = Math.sqrt(shockedTau);
        discount = Math.exp(-rate[i] * shockedTau);
      }
      double base = stickyMoneyness
          ? m.surfaceVol(ins.id(), ins.expiry(), t, Math.log(ins.strike() / shockedFwd)) : vol[i];
      cells.forward()[c] = shockedFwd;
      cells.strike()[c] = ins.strike();
      cells.tau()[c] = shockedTau;
      cells.vol()[c] = scenarios.volScaling().shock(grid.volMode(), base, sc.volShock(), t);
      cells.discount()[c] = discount;
      cells.isCall()[c] = ins.isCall();
      cells.logMoneyness()[c] = logMoneyness + logPriceFactor[s];
      cells.moneyness()[c] = moneyness * (1 + sc.priceShock());
      cells.sqrtTau()[c] = sqrtTau;
    }
    return c;
  }
}
