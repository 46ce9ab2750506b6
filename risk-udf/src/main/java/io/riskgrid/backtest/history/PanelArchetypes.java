package io.riskgrid.backtest.history;

import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.MarginCurrency;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The generated backtest panel: archetypal portfolios in relative terms, deterministic (no seed needed).
 * The first twelve are fixed (archetype, underlying) pairs covering every kind, both settlements, coin and
 * USD accounts, short and long optionality, a leg that expires inside a 1-day horizon and a cross-underlying
 * book. Beyond twelve the same archetypes come back on the next underlying with tenors scaled by 2 or ½
 * (cycles 1, 2, ...), so a large panel spans more risk profiles rather than repeating one.
 *
 * <p>Sizes are one "unit" of each coin, about the same USD notional over 2021–2025: 1 BTC, 15 ETH, 300 SOL.
 * USD accounts hold USDC worth about half a unit's notional at 2021–2025 prices; it affects equity and
 * status, never margin or loss.
 */
public final class PanelArchetypes {
  /** The archetypes, in the order the panel cycles through them. */
  public enum Archetype {
    LONG_PERP("long linear perpetual"),
    SHORT_STRANGLE("short 30d 0.8 put + 1.2 call, linear"),
    COVERED_CALL("coin account: 1 unit of coin, short 30d 1.1 inverse call"),
    CALENDAR("short 7d ATM call, long 60d ATM call, linear"),
    HEDGED_BOOK("short 30d ATM straddle, long 60d 0.85 put and 1.15 call wings, linear"),
    BASIS_TRADE("coin collateral in a USD account, short 90d linear future"),
    SHORT_DAILY_PUT("short 1d 0.97 put, linear: expires inside a 1-day horizon"),
    PROTECTIVE_PUT("coin collateral in a USD account, long 30d 0.9 put"),
    COIN_HEDGE("coin account: 1 unit of coin, short 90d inverse future"),
    PAIRS("long BTC perpetual, short ETH perpetual of equal notional at 2021-2025 prices");

    private final String description;

    Archetype(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  private record Slot(Archetype archetype, String underlying) {}

  private static final List<Slot> FIRST = List.of(
      new Slot(Archetype.LONG_PERP, "BTC"),
      new Slot(Archetype.SHORT_STRANGLE, "ETH"),
      new Slot(Archetype.COVERED_CALL, "BTC"),
      new Slot(Archetype.CALENDAR, "BTC"),
      new Slot(Archetype.HEDGED_BOOK, "ETH"),
      new Slot(Archetype.BASIS_TRADE, "BTC"),
      new Slot(Archetype.SHORT_DAILY_PUT, "SOL"),
      new Slot(Archetype.PROTECTIVE_PUT, "ETH"),
      new Slot(Archetype.COIN_HEDGE, "ETH"),
      new Slot(Archetype.PAIRS, "BTC"),
      new Slot(Archetype.LONG_PERP, "SOL"),
      new Slot(Archetype.SHORT_STRANGLE, "BTC"));
  private static final List<String> UNDERLYINGS = List.of("BTC", "ETH", "SOL");
  private static final double[] TENOR_SCALE = {1.0, 2.0, 0.5};

  private PanelArchetypes() {}

  /** The first {@code n} portfolios of the panel, ids P01, P02, ... (P001 ... from 100 on). */
  public static List<BacktestPortfolio> panel(int n) {
    if (n < 1) {
      throw new io.riskgrid.InvalidInputException("panel size", "needs at least 1 portfolio, got " + n);
    }
    List<BacktestPortfolio> out = new ArrayList<>(n);
    String format = n < 100 ? "P%02d" : n < 1000 ? "P%03d" : "P%d";
    for (int k = 0; k < n; k++) {
      int cycle = k / FIRST.size();
      Slot slot = FIRST.get(k % FIRST.size());
      String underlying = UNDERLYINGS.get((UNDERLYINGS.indexOf(slot.underlying()) + cycle) % UNDERLYINGS.size());
      double tenorScale = TENOR_SCALE[cycle % TENOR_SCALE.length];
      out.add(portfolio(String.format(Locale.ROOT, format, k + 1), slot.archetype(), underlying, tenorScale));
    }
    return out;
  }

  /** One archetype on one underlying, tenors scaled by {@code tenorScale} (at least 1 day). */
  public static BacktestPortfolio portfolio(String id, Archetype archetype, String underlying, double tenorScale) {
    double q = unit(underlying);
    List<PanelLeg> legs = new ArrayList<>();
    List<CollateralBalance> collateral = new ArrayList<>();
    String currency = "USD";
    Settlement lin = Settlement.LINEAR;
    switch (archetype) {
      case LONG_PERP -> legs.add(PanelLeg.perpetual(underlying, lin, q));
      case SHORT_STRANGLE -> {
        legs.add(PanelLeg.option(underlying, lin, OptionType.PUT, tenor(30, tenorScale), 0.8, -q));
        legs.add(PanelLeg.option(underlying, lin, OptionType.CALL, tenor(30, tenorScale), 1.2, -q));
      }
      case COVERED_CALL -> {
        currency = underlying;
        legs.add(PanelLeg.option(underlying, Settlement.INVERSE, OptionType.CALL, tenor(30, tenorScale), 1.1, -q));
        collateral.add(new CollateralBalance(underlying, q));
      }
      case CALENDAR -> {
        legs.add(PanelLeg.option(underlying, lin, OptionType.CALL, tenor(7, tenorScale), 1.0, -q));
        legs.add(PanelLeg.option(underlying, lin, OptionType.CALL, tenor(60, tenorScale), 1.0, q));
      }
      case HEDGED_BOOK -> {
        legs.add(PanelLeg.option(underlying, lin, OptionType.CALL, tenor(30, tenorScale), 1.0, -q));
        legs.add(PanelLeg.option(underlying, lin, OptionType.PUT, tenor(30, tenorScale), 1.0, -q));
        legs.add(PanelLeg.option(underlying, lin, OptionType.PUT, tenor(60, tenorScale), 0.85, q));
        legs.add(PanelLeg.option(underlying, lin, OptionType.CALL, tenor(60, tenorScale), 1.15, q));
      }
      case BASIS_TRADE -> {
        legs.add(PanelLeg.future(underlying, lin, tenor(90, tenorScale), -q));
        collateral.add(new CollateralBalance(underlying, q));
      }
      case SHORT_DAILY_PUT -> legs.add(PanelLeg.option(underlying, lin, OptionType.PUT, tenor(1, tenorScale), 0.97, -q));
      case PROTECTIVE_PUT -> {
        legs.add(PanelLeg.option(underlying, lin, OptionType.PUT, tenor(30, tenorScale), 0.9, q));
        collateral.add(new CollateralBalance(underlying, q));
      }
      case COIN_HEDGE -> {
        currency = underlying;
        legs.add(PanelLeg.future(underlying, Settlement.INVERSE, tenor(90, tenorScale), -q));
        collateral.add(new CollateralBalance(underlying, q));
      }
      case PAIRS -> {
        String other = underlying.equals("BTC") ? "ETH" : "BTC";
        legs.add(PanelLeg.perpetual(underlying, lin, q));
        legs.add(PanelLeg.perpetual(other, lin, -unit(other)));
      }
      default -> throw new IllegalStateException("unhandled archetype " + archetype);
    }
    if (!MarginCurrency.parse(currency).isCoin()) {
      collateral.add(new CollateralBalance("USDC", 20_000));
    }
    String description = archetype.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + underlying
        + (tenorScale == 1.0 ? "" : " (tenors x" + tenorScale + ")");
    return new BacktestPortfolio(id, description, currency, legs, collateral);
  }

  /** One unit of a coin: 1 BTC, 15 ETH, 300 SOL, else 1. */
  public static double unit(String underlying) {
    return switch (underlying) {
      case "ETH" -> 15;
      case "SOL" -> 300;
      default -> 1;
    };
  }

  private static int tenor(int days, double scale) {
    return Math.max(1, (int) Math.round(days * scale));
  }
}
