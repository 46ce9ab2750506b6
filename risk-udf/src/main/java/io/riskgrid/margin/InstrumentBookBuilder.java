package io.riskgrid.margin;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.StandardMarginRates;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.VolDynamics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the {@link InstrumentBook}: resolves every instrument against the market (forward, T, base
 * vol), prices the options and their Greeks in one kernel batch ({@link RiskKernel#black76Greeks}),
 * and fills the P&L matrix R through the kernel (DESIGN §3.1–§3.3).
 */
public final class InstrumentBookBuilder {
  private static final double DAYS_PER_YEAR = 365.0;

  private InstrumentBookBuilder() {}

  public static InstrumentBook build(MarketSnapshot market, Collection<Instrument> instrumentList, MarginPolicy policy,
      RiskKernel kernel) {
    return build(market, instrumentList, Map.of(), policy, kernel);
  }

  /** As above, remembering instrument rows that failed to parse so that positions in them name the reason. */
  public static InstrumentBook build(MarketSnapshot market, Collection<Instrument> instrumentList,
      Map<String, String> malformed, MarginPolicy policy, RiskKernel kernel) {
    InstrumentBook.Builder b = new InstrumentBook.Builder();
    b.malformed = malformed;
    b.policy = policy;
    b.instruments = new ArrayList<>(instrumentList);
    int n = b.instruments.size();
    b.indexById = new HashMap<>();
    TreeSet<String> names = new TreeSet<>(market.underlyings().keySet());
    for (int i = 0; i < n; i++) {
      Instrument ins = b.instruments.get(i);
      if (b.indexById.put(ins.id(), i) != null) {
        throw new InvalidInputException("instruments", "instrument id " + ins.id() + " is listed twice");
      }
      names.add(ins.underlying());
    }
    resolveUnderlyings(b, market, policy, names);
    allocate(b, n);
    Resolved resolved = new Resolved(n);
    for (int i = 0; i < n; i++) {
      resolve(b, market, i, resolved);
    }
    priceOptions(b, kernel, resolved);
    fillBuckets(b);
    fillPnl(b, market, kernel, resolved);
    return new InstrumentBook(b);
  }

  private static void resolveUnderlyings(InstrumentBook.Builder b, MarketSnapshot market, MarginPolicy policy,
      TreeSet<String> names) {
    b.underlyings = new ArrayList<>(names);
    b.underlyingIndex = new HashMap<>();
    int nu = names.size();
    b.grids = new ScenarioGrid[nu];
    b.spot = new double[nu];
    b.underlyingError = new String[nu];
    int[] scenarioCount = new int[nu];
    for (int u = 0; u < nu; u++) {
      String name = b.underlyings.get(u);
      b.underlyingIndex.put(name, u);
      b.grids[u] = policy.gridFor(name);
      scenarioCount[u] = b.grids[u].size();
      UnderlyingMarket m = market.underlying(name);
      b.spot[u] = m == null ? Double.NaN : m.index();
      b.underlyingError[u] = m == null ? "no market data for underlying " + name : m.dataError();
    }
    b.pnlScenarioCount = scenarioCount;
  }

  private static void allocate(InstrumentBook.Builder b, int n) {
    b.rejectReason = new String[n];
    b.dataError = new String[n];
    b.coinPrice = nan(n);
    b.markValue = nan(n);
    b.delta = nan(n);
    b.gamma = nan(n);
    b.vega = nan(n);
    b.theta = nan(n);
    b.coinPerContract = nan(n);
    b.usdBasisDelta = nan(n);
    b.usdBasisGamma = nan(n);
    b.notionalUsd = nan(n);
    b.standardImLong = nan(n);
    b.standardMmLong = nan(n);
    b.standardImShort = nan(n);
    b.standardMmShort = nan(n);
  }

  /** Per-instrument market facts reused by the P&L fill. */
  private static final class Resolved {
    final double[] forward;
    final double[] tau;
    final double[] vol;
    final double[] value;
    final double[] rate;

    Resolved(int n) {
      forward = nan(n);
      tau = nan(n);
      vol = nan(n);
      value = nan(n);
      rate = nan(n);
    }
  }

  private static void resolve(InstrumentBook.Builder b, MarketSnapshot market, int i, Resolved r) {
    Instrument ins = b.instruments.get(i);
    int u = b.underlyingIndex.get(ins.underlying());
    if (ins.expiry() != null && !ins.expiry().isAfter(market.asOf())) {
      b.rejectReason[i] = "instrument " + ins.id() + " expired at " + ins.expiry() + " (as of " + market.asOf()
          + "): awaiting settlement";
      return;
    }
    if (b.underlyingError[u] != null) {
      b.dataError[i] = b.underlyingError[u];
      return;
    }
    UnderlyingMarket m = market.underlying(ins.underlying());
    double spot = m.index();
    try {
      double fwd = ins.kind() == InstrumentKind.PERPETUAL ? spot : m.forward(ins.expiry());
      double tau = ins.expiry() == null ? 0.0 : TimeConventions.yearFraction(market.asOf(), ins.expiry());
      r.forward[i] = fwd;
      r.tau[i] = tau;
      r.rate[i] = m.rate();
      b.coinPrice[i] = fwd;
      if (ins.isOption()) {
        double markIv = market.markIv(ins.id());
        double sigma = Double.isNaN(markIv)
            ? m.surfaceVol(ins.id(), ins.expiry(), tau, Math.log(ins.strike() / fwd)) : markIv;
        r.vol[i] = sigma; // valued with its Greeks in priceOptions, one kernel batch for every option
      } else {
        resolveLinearOrInverseFuture(b, i, ins, fwd, spot, ins.multiplier(), b.policy.standardMargin());
      }
    } catch (InvalidInputException e) {
      b.dataError[i] = e.getMessage();
    }
  }

  /**
   * Value and Greeks of every option that resolved, through the kernel in one batch of one cell per
   * option (forward, strike, T, base σ, discount e^{−rT}); the kernel's Greeks are
   * {@link io.riskgrid.pricing.Black76#greeks}', scaled by the discount.
   */
  private static void priceOptions(InstrumentBook.Builder b, RiskKernel kernel, Resolved r) {
    int n = b.instruments.size();
    int[] option = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (b.instruments.get(i).isOption() && usable(b, i)) {
        option[count++] = i;
      }
    }
    OptionCells cells = OptionCells.allocate(count);
    for (int c = 0; c < count; c++) {
      int i = option[c];
      cells.forward()[c] = r.forward[i];
      cells.strike()[c] = b.instruments.get(i).strike();
      cells.tau()[c] = r.tau[i];
      cells.vol()[c] = r.vol[i];
      cells.discount()[c] = Math.exp(-r.rate[i] * r.tau[i]);
      cells.isCall()[c] = b.instruments.get(i).isCall();
    }
    double[][] greeks = new double[5][count];
    kernel.black76Greeks(cells, greeks[0], greeks[1], greeks[2], greeks[3], greeks[4]);
    StandardMarginRates rates = b.policy.standardMargin();
    for (int c = 0; c < count; c++) {
      int i = option[c];
      double[] g = {greeks[0][c], greeks[1][c], greeks[2][c], greeks[3][c], greeks[4][c]};
      double spot = b.spot[b.underlyingIndex.get(b.instruments.get(i).underlying())];
      resolveOption(b, i, b.instruments.get(i), r.forward[i], spot, rates, r, g);
    }
  }

  /** An option's mark, Greeks and standard margin from its value and Greeks g (price, delta, gamma, vega, theta). */
  private static void resolveOption(InstrumentBook.Builder b, int i, Instrument ins, double fwd, double spot,
      StandardMarginRates rates, Resolved r, double[] g) {
    double v = g[0];
    r.value[i] = v;
    double m = ins.multiplier();
    double otm = ins.isCall() ? Math.max(0, ins.strike() - fwd) : Math.max(0, fwd - ins.strike());
    double shortMm = (rates.shortOptionMm() * fwd + v) * m;
    double shortIm = Math.max((Math.max(rates.shortOptionImBase() - otm / fwd, rates.shortOptionImFloor()) * fwd + v) * m,
        shortMm);
    // Inverse options are valued in coin at V/F (Deribit's mark_price); add-ons divide by F.
    double toSettlement = ins.isInverse() ? 1.0 / fwd : 1.0;
    b.markValue[i] = m * v * toSettlement;
    if (ins.isInverse()) {
      b.delta[i] = m * (g[1] - v / fwd);
      b.gamma[i] = m * (g[2] - g[1] / fwd + v / (fwd * fwd));
    } else {
      b.delta[i] = m * g[1];
      b.gamma[i] = m * g[2];
    }
    b.usdBasisDelta[i] = m * g[1];
    b.usdBasisGamma[i] = m * g[2];
    b.vega[i] = m * g[3] * 0.01 * toSettlement;
    b.theta[i] = m * g[4] / DAYS_PER_YEAR * toSettlement;
    b.coinPerContract[i] = m;
    b.notionalUsd[i] = m * spot;
    b.standardImLong[i] = 0.0;
    b.standardMmLong[i] = 0.0;
    b.standardImShort[i] = shortIm * toSettlement;
    b.standardMmShort[i] = shortMm * toSettlement;
  }

  private static void resolveLinearOrInverseFuture(InstrumentBook.Builder b, int i, Instrument ins, double fwd,
      double spot, double mult, StandardMarginRates rates) {
    b.markValue[i] = 0.0;
    b.vega[i] = 0.0;
    b.theta[i] = 0.0;
    double im;
    double mm;
    if (ins.isInverse()) {
      // N is USD notional per contract: coin exposure N/F, delta of the USD-value basis.
      b.delta[i] = mult / fwd;
      b.gamma[i] = -mult / (fwd * fwd);
      b.coinPerContract[i] = mult / fwd;
      b.usdBasisDelta[i] = mult / fwd;
      b.usdBasisGamma[i] = -mult / (fwd * fwd);
      b.notionalUsd[i] = mult;
      im = rates.futureIm() * mult / fwd;
      mm = rates.futureMm() * mult / fwd;
    } else {
      b.delta[i] = mult;
      b.gamma[i] = 0.0;
      b.coinPerContract[i] = mult;
      b.usdBasisDelta[i] = mult;
      b.usdBasisGamma[i] = 0.0;
      b.notionalUsd[i] = mult * spot;
      im = rates.futureIm() * mult * fwd;
      mm = rates.futureMm() * mult * fwd;
    }
    b.standardImLong[i] = Math.max(im, mm);
    b.standardMmLong[i] = mm;
    b.standardImShort[i] = Math.max(im, mm);
    b.standardMmShort[i] = mm;
  }

  private static void fillBuckets(InstrumentBook.Builder b) {
    int n = b.instruments.size();
    b.futuresBucket = new int[n];
    b.optionBucket = new int[n];
    Arrays.fill(b.futuresBucket, -1);
    Arrays.fill(b.optionBucket, -1);
    Map<String, Integer> ids = new HashMap<>();
    List<Integer> bucketUnderlying = new ArrayList<>();
    List<Boolean> bucketIsOption = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instrument ins = b.instruments.get(i);
      String expiry = ins.expiry() == null ? "PERP" : ins.expiry().toString();
      if (ins.isOption()) {
        String key = "O|" + ins.underlying() + "|" + expiry + "|" + Double.toString(ins.strike());
        b.optionBucket[i] = bucketId(ids, key, b.underlyingIndex.get(ins.underlying()), true, bucketUnderlying, bucketIsOption);
      } else {
        String key = "F|" + ins.underlying() + "|" + expiry;
        b.futuresBucket[i] = bucketId(ids, key, b.underlyingIndex.get(ins.underlying()), false, bucketUnderlying, bucketIsOption);
      }
    }
    b.bucketCount = ids.size();
    b.bucketUnderlying = bucketUnderlying.stream().mapToInt(Integer::intValue).toArray();
    b.bucketIsOption = new boolean[ids.size()];
    for (int k = 0; k < ids.size(); k++) {
      b.bucketIsOption[k] = bucketIsOption.get(k);
    }
  }

  private static int bucketId(Map<String, Integer> ids, String key, int underlying, boolean isOption,
      List<Integer> bucketUnderlying, List<Boolean> bucketIsOption) {
    Integer id = ids.get(key);
    if (id == null) {
      id = ids.size();
      ids.put(key, id);
      bucketUnderlying.add(underlying);
      bucketIsOption.add(isOption);
    }
    return id;
  }

  private static void fillPnl(InstrumentBook.Builder b, MarketSnapshot market, RiskKernel kernel, Resolved r) {
    int n = b.instruments.size();
    int[] instrumentUnderlying = new int[n];
    for (int i = 0; i < n; i++) {
      instrumentUnderlying[i] = b.underlyingIndex.get(b.instruments.get(i).underlying());
    }
    PnlMatrix pnl = new PnlMatrix(instrumentUnderlying, b.pnlScenarioCount);
    double[] values = pnl.values();
    int optionCells = 0;
    for (int i = 0; i < n; i++) {
      if (b.instruments.get(i).isOption() && usable(b, i)) {
        optionCells += pnl.rowLength(i);
      }
    }
    OptionCells cells = OptionCells.allocateHoisted(optionCells);
    double[][] logPriceFactors = new double[b.grids.length][];
    for (int u = 0; u < b.grids.length; u++) {
      logPriceFactors[u] = logPriceFactors(b.grids[u]);
    }
    int c = 0;
    for (int i = 0; i < n; i++) {
      Instrument ins = b.instruments.get(i);
      int start = pnl.rowStart(i);
      int len = pnl.rowLength(i);
      if (!usable(b, i)) {
        Arrays.fill(values, start, start + len, Double.NaN);
        continue;
      }
      ScenarioGrid grid = b.grids[instrumentUnderlying[i]];
      if (!ins.isOption()) {
        fillFutureRow(ins, b.coinPrice[i], grid, values, start);
        continue;
      }
      try {
        c = fillOptionCells(b, market, ins, i, r, grid, logPriceFactors[instrumentUnderlying[i]], cells, c);
      } catch (InvalidInputException e) {
        // Sticky moneyness may read the smile where w(k) <= 0: the option cannot be valued.
        b.dataError[i] = e.getMessage();
        Arrays.fill(values, start, start + len, Double.NaN);
        // Cells already written for this row are ignored: rewind them.
        c = cellsBefore(b, pnl, i);
      }
    }
    double[] shocked = new double[optionCells];
    kernel.black76(cells.withCount(c), shocked);
    c = 0;
    for (int i = 0; i < n; i++) {
      Instrument ins = b.instruments.get(i);
      if (!ins.isOption() || !usable(b, i)) {
        continue;
      }
      int start = pnl.rowStart(i);
      double m = ins.multiplier();
      for (int s = 0; s < pnl.rowLength(i); s++, c++) {
        values[start + s] = ins.isInverse()
            ? m * (shocked[c] / cells.forward()[c] - r.value[i] / r.forward[i])
            : m * (shocked[c] - r.value[i]);
      }
    }
    b.pnl = pnl;
  }

  private static int cellsBefore(InstrumentBook.Builder b, PnlMatrix pnl, int instrument) {
    int c = 0;
    for (int i = 0; i < instrument; i++) {
      if (b.instruments.get(i).isOption() && usable(b, i)) {
        c += pnl.rowLength(i);
      }
    }
    return c;
  }

  private static boolean usable(InstrumentBook.Builder b, int i) {
    return b.rejectReason[i] == null && b.dataError[i] == null;
  }

  private static void fillFutureRow(Instrument ins, double price, ScenarioGrid grid, double[] values, int start) {
    double mult = ins.multiplier();
    for (int s = 0; s < grid.size(); s++) {
      double shockedPrice = price * (1 + grid.get(s).priceShock());
      values[start + s] = ins.isInverse() ? mult * (1 / price - 1 / shockedPrice) : mult * (shockedPrice - price);
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
  private static int fillOptionCells(InstrumentBook.Builder b, MarketSnapshot market, Instrument ins, int i, Resolved r,
      ScenarioGrid grid, double[] logPriceFactor, OptionCells cells, int c) {
    double fwd = r.forward[i];
    double tau = r.tau[i];
    double moneyness = fwd / ins.strike();
    double logMoneyness = Math.log(moneyness);
    boolean stickyMoneyness = b.policy.scenarios().volDynamics() == VolDynamics.STICKY_MONEYNESS
        && Double.isNaN(market.markIv(ins.id()));
    UnderlyingMarket m = market.underlying(ins.underlying());
    double lastTau = Double.NaN;
    double sqrtTau = Double.NaN;
    double discount = Double.NaN;
    for (int s = 0; s < grid.size(); s++, c++) {
      Scenario sc = grid.get(s);
      double shockedFwd = fwd * (1 + sc.priceShock());
      double shockedTau = Math.max(tau - sc.horizonDays() / DAYS_PER_YEAR, 0.0);
      if (shockedTau != lastTau) {
        lastTau = shockedTau;
        sqrtTau = Math.sqrt(shockedTau);
        discount = Math.exp(-r.rate[i] * shockedTau);
      }
      double base = stickyMoneyness
          ? m.surfaceVol(ins.id(), ins.expiry(), tau, Math.log(ins.strike() / shockedFwd)) : r.vol[i];
      cells.forward()[c] = shockedFwd;
      cells.strike()[c] = ins.strike();
      cells.tau()[c] = shockedTau;
      cells.vol()[c] = b.policy.scenarios().volScaling().shock(grid.volMode(), base, sc.volShock(), tau);
      cells.discount()[c] = discount;
      cells.isCall()[c] = ins.isCall();
      cells.logMoneyness()[c] = logMoneyness + logPriceFactor[s];
      cells.moneyness()[c] = moneyness * (1 + sc.priceShock());
      cells.sqrtTau()[c] = sqrtTau;
    }
    return c;
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }
}
