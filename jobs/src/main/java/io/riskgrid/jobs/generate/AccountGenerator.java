package io.riskgrid.jobs.generate;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic accounts for a generated exchange: account {@code index} under {@code seed} is always
 * the same. Archetypes (retail directional, option sellers, spread traders, basis traders,
 * institutions, market makers with thousands of hedged legs) with heavy-tailed sizes, sub-accounts
 * under parents, USD and coin margin. Collateral is set from the account's own margin so that most
 * accounts are OK, some in MARGIN_CALL and a few in LIQUIDATION. Not thread-safe (one per task).
 */
public final class AccountGenerator {
  /**
   * Archetype shares, cumulative: retail 45%, sellers 15%, spreads 16.5%, basis 10%, institutions 12%,
   * market makers 1.5%. With the leg counts below the average is about 20 positions per account.
   */
  private static final double[] CUMULATIVE = {0.45, 0.60, 0.765, 0.865, 0.985, 1.0};

  private final long seed;
  private final UniverseIndex index;
  private final MarginCalculator calculator;

  public AccountGenerator(long seed, InstrumentBook book, MarginCalculator calculator) {
    this.seed = seed;
    this.index = new UniverseIndex(book.valued());
    this.calculator = calculator;
  }

  /** The zero-padded id of account {@code i}: ids sort like their indices. */
  public static String accountId(long i) {
    return String.format("A%010d", i);
  }

  /**
   * Customer account {@code i}: one archetype on a first underlying and, for about 40% of USD accounts, a
   * second archetype on another underlying (linear instruments; coin accounts hold only their own coin's
   * inverse instruments, DESIGN §3.4). Positions on one instrument are netted into one row (§4: one row
   * per account and instrument). The other side of every contract is taken by {@link ClosingSide}.
   */
  public Account generate(long i) {
    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    String underlying = index.pick(rnd.nextDouble());
    boolean inverseAllowed = index.hasOptions(underlying, true);
    int archetype = archetype(rnd.nextDouble());
    // Where the universe has no linear instruments (an imported Deribit chain), every account is a coin account.
    boolean coin = inverseAllowed && (!index.hasOptions(underlying, false) || archetype != 3 && rnd.nextDouble() < 0.35);
    String currency = coin ? underlying : "USD";
    List<Position> positions = new ArrayList<>();
    List<CollateralBalance> collateral = new ArrayList<>();
    subBook(rnd, archetype, underlying, coin, positions, collateral);
    if (!coin && rnd.nextDouble() < SECOND_UNDERLYING_SHARE_OF_USD) {
      String second = index.pickOther(rnd.nextDouble(), underlying);
      if (second != null) {
        // Market makers stay on one underlying; a second book is any other archetype.
        subBook(rnd, archetype(rnd.nextDouble() * CUMULATIVE[4]), second, false, positions, collateral);
      }
    }
    String parent = archetype >= 4 || rnd.nextDouble() < 0.15 ? "M" + String.format("%08d", i / 4) : null;
    String mode = archetype == 0 && rnd.nextDouble() < 0.3 ? "STANDARD" : "PORTFOLIO";
    Account draft = new Account(accountId(i), parent, mode, currency, netted(positions), nettedCollateral(collateral));
    return fund(rnd, draft);
  }

  /** Share of USD accounts given a second underlying: with ~30% coin accounts, ~30% of all accounts hold two. */
  static final double SECOND_UNDERLYING_SHARE_OF_USD = 0.43;

  private void subBook(SplittableRandom rnd, int archetype, String underlying, boolean coin, List<Position> positions,
      List<CollateralBalance> collateral) {
    double size = lotSize(rnd, underlying);
    switch (archetype) {
      case 0 -> retail(rnd, underlying, coin, size, positions);
      case 1 -> optionSeller(rnd, underlying, coin, size, positions, collateral);
      case 2 -> spreads(rnd, underlying, coin, size, positions);
      case 3 -> basis(rnd, underlying, coin, size, positions, collateral);
      case 4 -> book(rnd, underlying, coin, size, 30 + (int) pareto(rnd, 1.4, 80, 800), positions);
      default -> book(rnd, underlying, coin, size * 5, 300 + (int) pareto(rnd, 1.2, 300, 4_000), positions);
    }
  }

  /** One balance per asset (a basis book and a covered call may both post the coin). */
  private static List<CollateralBalance> nettedCollateral(List<CollateralBalance> balances) {
    Map<String, Double> byAsset = new java.util.LinkedHashMap<>();
    balances.forEach(c -> byAsset.merge(c.asset(), c.quantity(), Double::sum));
    List<CollateralBalance> out = new ArrayList<>(byAsset.size());
    byAsset.forEach((asset, q) -> out.add(new CollateralBalance(asset, q)));
    return out;
  }

  /**
   * One row per instrument: quantities of repeated legs summed (in tenths of a contract, the generator's
   * granularity, so the sum is exact), futures' entry prices averaged by |quantity|, flat legs removed.
   */
  static List<Position> netted(List<Position> legs) {
    Map<String, long[]> tenths = new java.util.LinkedHashMap<>();
    Map<String, double[]> entry = new HashMap<>(); // instrument -> {sum |q|·price, sum |q|}
    for (Position p : legs) {
      tenths.computeIfAbsent(p.instrumentId(), k -> new long[1])[0] += Math.round(p.quantity() * 10);
      if (!Double.isNaN(p.entryPrice())) {
        double[] e = entry.computeIfAbsent(p.instrumentId(), k -> new double[2]);
        e[0] += Math.abs(p.quantity()) * p.entryPrice();
        e[1] += Math.abs(p.quantity());
      }
    }
    List<Position> out = new ArrayList<>(tenths.size());
    tenths.forEach((id, t) -> {
      if (t[0] != 0) {
        double[] e = entry.get(id);
        out.add(new Position(id, t[0] / 10.0, e == null ? Double.NaN : e[0] / e[1]));
      }
    });
    return out;
  }

  /** Adds the stablecoin (USD accounts) or own-coin (coin accounts) balance that sets equity = f·IM. */
  private Account fund(SplittableRandom rnd, Account draft) {
    double u = rnd.nextDouble();
    double factor = u < 0.86 ? 1.05 + pareto(rnd, 1.2, 0.2, 20) : u < 0.96 ? rnd.nextDouble(0.78, 0.99) : rnd.nextDouble(0.2, 0.75);
    return fund(rnd, draft, factor);
  }

  /** Adds the balance that sets equity = {@code factor}·IM (a small random balance when IM is 0). */
  Account fund(SplittableRandom rnd, Account draft, double factor) {
    AccountMargin m = calculator.margin(draft);
    if (!m.isValid()) {
      throw new IllegalStateException("generator produced an invalid account " + draft.accountId() + ": " + m.reason());
    }
    double target = factor * m.im();
    if (m.im() == 0) {
      target = rnd.nextDouble(0, 10_000) / (draft.marginCurrency().equals("USD") ? 1 : 50_000);
    }
    double topUp = target - m.equity();
    List<CollateralBalance> collateral = new ArrayList<>(draft.collateral());
    double a = rnd.nextDouble();
    String asset = draft.marginCurrency().equals("USD") ? (a < 0.5 ? "USDC" : a < 0.75 ? "USDT" : "USD") : draft.marginCurrency();
    collateral.add(new CollateralBalance(asset, topUp));
    return new Account(draft.accountId(), draft.parentId(), draft.marginMode(), draft.marginCurrency(), draft.positions(),
        nettedCollateral(collateral));
  }

  private static int archetype(double u) {
    for (int k = 0; k < CUMULATIVE.length; k++) {
      if (u < CUMULATIVE[k]) {
        return k;
      }
    }
    return CUMULATIVE.length - 1;
  }


  /** Pareto(alpha) scaled by {@code scale}, capped: the heavy tail of account sizes. */
  static double pareto(SplittableRandom rnd, double alpha, double scale, double cap) {
    return Math.min(cap, scale * (Math.pow(1 - rnd.nextDouble(), -1 / alpha) - 1));
  }

  /** Size in coin of one "unit" of exposure: about 5k USD, heavy-tailed. */
  private static double lotSize(SplittableRandom rnd, String underlying) {
    double usd = 5_000 * (1 + pareto(rnd, 1.3, 1, 2_000));
    double spot = underlying.equals("BTC") ? 94_000 : underlying.equals("ETH") ? 3_200 : 140;
    return usd / spot;
  }

  private void retail(SplittableRandom rnd, String u, boolean coin, double size, List<Position> out) {
    int legs = 1 + rnd.nextInt(3);
    for (int k = 0; k < legs; k++) {
      double sign = rnd.nextBoolean() ? 1 : -1;
      if (rnd.nextDouble() < 0.6) {
        addFuture(rnd, u, coin, sign * size, rnd.nextDouble() < 0.7, out);
      } else {
        addOption(out, index.option(rnd, u, coin, rnd.nextDouble(-0.15, 0.25), rnd.nextBoolean()), size * 0.5);
      }
    }
  }

  private void optionSeller(SplittableRandom rnd, String u, boolean coin, double size, List<Position> out,
      List<CollateralBalance> collateral) {
    if (rnd.nextBoolean()) { // short strangle
      addOption(out, index.option(rnd, u, coin, rnd.nextDouble(0.05, 0.2), true), -size);
      addOption(out, index.option(rnd, u, coin, -rnd.nextDouble(0.05, 0.2), false), -size);
    } else { // covered call: the coin itself is the cover
      addOption(out, index.option(rnd, u, coin, rnd.nextDouble(0.03, 0.2), true), -size);
      if (!coin) {
        collateral.add(new CollateralBalance(u, size));
      }
    }
  }

  private void spreads(SplittableRandom rnd, String u, boolean coin, double size, List<Position> out) {
    int spreads = 1 + rnd.nextInt(3);
    for (int k = 0; k < spreads; k++) {
      boolean call = rnd.nextBoolean();
      double m = rnd.nextDouble(-0.1, 0.1);
      Instrument a = index.option(rnd, u, coin, m, call);
      if (rnd.nextBoolean()) { // vertical on one expiry
        addOption(out, a, size);
        addOption(out, index.sameExpiry(a, m + (call ? 0.08 : -0.08)), -size);
      } else { // calendar on one strike
        addOption(out, a, -size);
        addOption(out, index.laterExpiry(rnd, a), size);
      }
    }
  }

  /** Long coin, short its future: in a USD account with linear futures, else in a coin account with inverse ones. */
  private void basis(SplittableRandom rnd, String u, boolean coin, double size, List<Position> out,
      List<CollateralBalance> collateral) {
    collateral.add(new CollateralBalance(u, size * 4));
    addFuture(rnd, u, coin, -size * 4, rnd.nextBoolean(), out);
  }

  /** A hedged book: many option legs across expiries and strikes, delta-hedged with the perpetual. */
  private void book(SplittableRandom rnd, String u, boolean coin, double size, int legs, List<Position> out) {
    double delta = 0;
    for (int k = 0; k < legs; k++) {
      Instrument o = index.option(rnd, u, coin, rnd.nextGaussian() * 0.12, rnd.nextBoolean());
      double q = (rnd.nextBoolean() ? 1 : -1) * size * rnd.nextDouble(0.1, 1.0);
      addOption(out, o, q);
      delta += q * o.multiplier() * (o.isCall() ? 0.5 : -0.5) * (o.strike() < index.spot(u) == o.isCall() ? 1.4 : 0.6);
    }
    addFuture(rnd, u, coin, -delta, true, out);
  }

  /** A future/perp leg of {@code coinQty} coin exposure, entered at a price near the market. */
  private void addFuture(SplittableRandom rnd, String u, boolean coin, double coinQty, boolean perp, List<Position> out) {
    Instrument f = perp ? index.perpetual(u, coin) : index.future(rnd, u, coin);
    if (f == null) {
      return;
    }
    double spot = index.spot(u);
    double contracts = coin ? Math.round(coinQty * spot / f.multiplier()) : round(coinQty / f.multiplier());
    if (contracts != 0) {
      out.add(new Position(f.id(), contracts, spot * (1 + 0.03 * rnd.nextGaussian())));
    }
  }

  private static void addOption(List<Position> out, Instrument o, double coinQty) {
    double contracts = round(coinQty / o.multiplier());
    if (contracts != 0) {
      out.add(new Position(o.id(), contracts, Double.NaN));
    }
  }

  /** Contracts to one decimal, as venues quote option sizes. */
  private static double round(double x) {
    return Math.round(x * 10) / 10.0;
  }

  /** Instruments grouped for picking: by underlying, settlement and expiry, strikes ascending. */
  static final class UniverseIndex {
    private final Map<String, List<List<Instrument>>> optionsByExpiry = new HashMap<>();
    private final Map<String, Instrument> perps = new HashMap<>();
    private final Map<String, List<Instrument>> futures = new HashMap<>();
    private final Map<String, Double> spot = new HashMap<>();

    /** Shares of accounts by underlying, in the order they are drawn. */
    private static final Map<String, Double> UNDERLYING_SHARES = new java.util.LinkedHashMap<>();

    static {
      UNDERLYING_SHARES.put("BTC", 0.55);
      UNDERLYING_SHARES.put("ETH", 0.33);
      UNDERLYING_SHARES.put("SOL", 0.12);
    }

    UniverseIndex(io.riskgrid.valuation.ValuedBook valued) {
      List<Instrument> instruments = valued.instruments();
      Map<String, Map<java.time.Instant, List<Instrument>>> grouped = new HashMap<>();
      for (Instrument i : instruments) {
        String key = i.underlying() + "|" + i.settlement();
        if (i.kind() == InstrumentKind.PERPETUAL) {
          perps.put(key, i);
        } else if (i.kind() == InstrumentKind.FUTURE) {
          futures.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        } else {
          grouped.computeIfAbsent(key, k -> new java.util.TreeMap<>()).computeIfAbsent(i.expiry(), k -> new ArrayList<>()).add(i);
        }
      }
      grouped.forEach((k, byExpiry) -> {
        List<List<Instrument>> lists = new ArrayList<>();
        byExpiry.values().forEach(l -> {
          l.sort((a, b) -> Double.compare(a.strike(), b.strike()));
          lists.add(l);
        });
        optionsByExpiry.put(k, lists);
      });
      for (String u : valued.underlyings()) {
        spot.put(u, valued.spot(valued.underlyingIndexOf(u)));
      }
    }

    double spot(String u) {
      return spot.get(u);
    }

    /** Whether the universe lists options of {@code u} in that settlement (inverse or linear). */
    boolean hasOptions(String u, boolean inverse) {
      return optionsByExpiry.containsKey(key(u, inverse));
    }

    /**
     * The underlying of a new account from a uniform draw: BTC 55%, ETH 33%, SOL 12%, renormalised over
     * those the universe lists options of.
     */
    String pick(double draw) {
      if (UNDERLYING_SHARES.keySet().stream().allMatch(u -> hasOptions(u, false) || hasOptions(u, true))) {
        return draw < 0.55 ? "BTC" : draw < 0.88 ? "ETH" : "SOL";
      }
      List<String> listed = UNDERLYING_SHARES.keySet().stream().filter(u -> hasOptions(u, false) || hasOptions(u, true)).toList();
      if (listed.isEmpty()) {
        throw new IllegalStateException("the universe lists no options of " + UNDERLYING_SHARES.keySet());
      }
      return drawAmong(draw, listed);
    }

    /**
     * A linear underlying other than {@code first}, drawn with the same shares renormalised; null when the
     * universe lists no linear options of another underlying.
     */
    String pickOther(double draw, String first) {
      List<String> others = UNDERLYING_SHARES.keySet().stream().filter(u -> !u.equals(first) && hasOptions(u, false)).toList();
      if (others.isEmpty()) {
        return null;
      }
      return drawAmong(draw, others);
    }

    /** One of {@code candidates} (not empty) from a uniform draw, by their shares renormalised. */
    private static String drawAmong(double draw, List<String> candidates) {
      double total = candidates.stream().mapToDouble(UNDERLYING_SHARES::get).sum();
      double cumulative = 0;
      for (String u : candidates) {
        cumulative += UNDERLYING_SHARES.get(u) / total;
        if (draw < cumulative) {
          return u;
        }
      }
      return candidates.get(candidates.size() - 1);
    }

    private static String key(String u, boolean coin) {
      return u + "|" + (coin ? "INVERSE" : "LINEAR");
    }

    Instrument perpetual(String u, boolean coin) {
      return perps.get(key(u, coin));
    }

    Instrument future(SplittableRandom rnd, String u, boolean coin) {
      List<Instrument> l = futures.get(key(u, coin));
      return l == null ? perpetual(u, coin) : l.get(rnd.nextInt(l.size()));
    }

    /** An option near log-moneyness {@code m} on a random expiry, short expiries more likely. */
    Instrument option(SplittableRandom rnd, String u, boolean coin, double m, boolean call) {
      List<List<Instrument>> expiries = optionsByExpiry.get(key(u, coin));
      int e = Math.min(expiries.size() - 1, (int) Math.floor(-Math.log(1 - rnd.nextDouble()) * expiries.size() / 3.0));
      return nearest(expiries.get(e), spot(u) * Math.exp(m), call);
    }

    Instrument sameExpiry(Instrument o, double m) {
      for (List<Instrument> l : optionsByExpiry.get(o.underlying() + "|" + o.settlement())) {
        if (l.get(0).expiry().equals(o.expiry())) {
          return nearest(l, spot(o.underlying()) * Math.exp(m), o.isCall());
        }
      }
      throw new IllegalStateException("no expiry " + o.expiry());
    }

    Instrument laterExpiry(SplittableRandom rnd, Instrument o) {
      List<List<Instrument>> all = optionsByExpiry.get(o.underlying() + "|" + o.settlement());
      List<List<Instrument>> later = all.stream().filter(l -> l.get(0).expiry().isAfter(o.expiry())).toList();
      List<Instrument> l = later.isEmpty() ? all.get(all.size() - 1) : later.get(rnd.nextInt(later.size()));
      return nearest(l, o.strike(), o.isCall());
    }

    private static Instrument nearest(List<Instrument> sorted, double strike, boolean call) {
      Instrument best = null;
      for (Instrument i : sorted) {
        if (i.isCall() == call && (best == null || Math.abs(i.strike() - strike) < Math.abs(best.strike() - strike))) {
          best = i;
        }
      }
      return best;
    }
  }
}
