package io.riskgrid.jobs.explain;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The readable form of an {@link Explanation}, for a risk analyst at a terminal: the row's figures, then
 * per underlying how MM_u is built (binding scenario and its move, scan loss, add-ons) and who it comes
 * from (contributions, incremental margin), the collateral, and whether the engine's recomputation
 * agrees with the row. Warnings come first, so an inconsistent row is never read without them.
 */
public final class ExplanationText {
  private ExplanationText() {}

  public static String render(Explanation x) {
    StringBuilder out = new StringBuilder();
    Explanation.RowFigures r = x.row();
    String ccy = r.marginCurrency() == null ? "" : r.marginCurrency();
    Explanation.PolicyUsed p = x.policy();
    line(out, "explain %s on %s (run %s, policy %s %s%s)", x.accountId(), x.asOf(), x.runId(), p.name(),
        shortHash(p.hash()), p.runHash() == null ? "" : p.matchesRun() ? ", as the run" : ", NOT the run's " + shortHash(p.runHash()));
    for (String w : x.warnings()) {
      line(out, "WARNING: %s", w);
    }
    line(out, "status %s: %s account, %s margin%s", r.status(), ccy, r.marginMode(), r.reason() == null ? "" : " (" + r.reason() + ")");
    line(out, "  equity %20s %s", amount(r.equity(), ccy), ccy);
    line(out, "  IM     %20s %s   portfolio %s, standard %s%s", amount(r.im(), ccy), ccy, amount(r.pmIm(), ccy),
        amount(r.standardIm(), ccy), r.pmSaving() == null ? "" : String.format(Locale.ROOT, ", PM saving %.1f%%", 100 * r.pmSaving()));
    line(out, "  MM     %20s %s   portfolio %s, standard %s", amount(r.mm(), ccy), ccy, amount(r.pmMm(), ccy),
        amount(r.standardMm(), ccy));
    if (r.equity() != null) {
      line(out, "  liquidated at a joint index move of %s down, %s up (vols and time unchanged, MM of today)",
          distance(r.liqMoveDown(), -1), distance(r.liqMoveUp(), 1));
    }
    for (Explanation.UnderlyingPart u : x.underlyings()) {
      underlying(out, u, ccy);
    }
    collateral(out, x.collateral(), ccy);
    recomputed(out, x, ccy);
    files(out, x.filesRead());
    return out.toString();
  }

  /** A liquidation distance as a signed percentage, or "none within 50%" when null. */
  private static String distance(Double move, int sign) {
    return move == null ? "none within 50%" : String.format(Locale.ROOT, "%+.2f%%", sign * 100 * move);
  }

  private static void underlying(StringBuilder out, Explanation.UnderlyingPart u, String ccy) {
    out.append('\n');
    line(out, "%s (S = %s USD): MM_u %s = max(scan loss %s + C_opt %s + C_fut %s, SOM %s)", u.underlying(),
        u.indexPrice() == null ? "n/a" : amount(u.indexPrice(), "USD"), amount(u.mm(), ccy), amount(u.scanLoss(), ccy),
        amount(u.cOpt(), ccy), amount(u.cFut(), ccy), amount(u.som(), ccy));
    if (u.bindingScenario() == null) {
      line(out, "  no scenario loses money: scan loss 0");
    } else if (u.move() == null) {
      line(out, "  binding scenario %s (not in the policy's grid)", u.bindingScenario());
    } else {
      line(out, "  binding scenario %s: %s", u.bindingScenario(), move(u.move()));
    }
    line(out, "  delta %s coin, gamma %s coin/USD, vega %s, theta %s %s/day", number(u.delta()), number(u.gamma()),
        amount(u.vega(), ccy), amount(u.theta(), ccy), ccy);
    if (u.contributions().isEmpty()) {
      return;
    }
    line(out, "  %-34s %-10s %16s %20s %20s", "contributions (sum to MM_u)", "", "quantity", "contribution", "incremental MM");
    for (Explanation.ContributionPart c : u.contributions()) {
      line(out, "    %-32s %-10s %16s %20s %20s", c.source(), c.kind().name().toLowerCase(Locale.ROOT),
          c.quantity() == null ? "" : quantity(c.quantity()), amount(c.contribution(), ccy),
          c.incrementalMm() == null ? "-" : amount(c.incrementalMm(), ccy));
    }
  }

  /** "spot −15%, vol +10 vol pts (additive), 1-day horizon", extremes with their cover. */
  static String move(Explanation.ScenarioMove m) {
    String vol = "ADDITIVE".equals(m.volMode()) ? signed(m.volShock() * 100) + " vol pts (additive)"
        : signed(m.volShock() * 100) + "% of the vol (relative)";
    String kind = "EXTREME".equals(m.kind()) ? ", extreme: loss counted at cover " + plain(m.cover()) : "";
    return "spot " + signed(m.priceShock() * 100) + "%, vol " + vol + ", " + plain(m.horizonDays()) + "-day horizon" + kind;
  }

  private static void collateral(StringBuilder out, List<Explanation.CollateralPart> collateral, String ccy) {
    out.append('\n');
    if (collateral.isEmpty()) {
      line(out, "collateral: none");
      return;
    }
    line(out, "collateral %-8s %20s %8s %20s %20s", "", "quantity", "haircut", "equity " + ccy, "MM part");
    for (Explanation.CollateralPart c : collateral) {
      line(out, "  %-16s %20s %8s %20s %20s", c.asset(), quantity(c.quantity()),
          c.haircut() == null ? "-" : plain(c.haircut() * 100) + "%", c.equityValue() == null ? "-" : amount(c.equityValue(), ccy),
          c.mmContribution() == null ? "-" : amount(c.mmContribution(), ccy));
    }
  }

  private static void recomputed(StringBuilder out, Explanation x, String ccy) {
    out.append('\n');
    Explanation.Recomputed c = x.recomputed();
    if (c == null) {
      line(out, "not recomputed: the account is not in the inputs of %s", x.asOf());
      return;
    }
    String verdict = c.agrees() ? "agrees with the row" : "DOES NOT agree with the row";
    line(out, "recomputed (kernel %s) from the positions, collateral and market of %s: status %s, MM %s %s, %s%s", x.kernel(),
        x.asOf(), c.status(), amount(c.mm(), ccy), ccy, verdict, c.mmTolerance() == null || x.row().mm() == null || c.mm() == null
            ? "" : String.format(Locale.ROOT, " (|difference| %.3g, tolerance %.3g)", Math.abs(c.mm() - x.row().mm()),
                c.mmTolerance()));
  }

  private static void files(StringBuilder out, Map<String, Explanation.Files> files) {
    List<String> parts = new ArrayList<>();
    files.forEach((table, f) -> parts.add(table + " " + f.read() + (f.ofDate() == null ? "" : " of " + f.ofDate())));
    line(out, "data files read: %s", String.join(", ", parts));
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  /** Two decimals in USD, eight (a satoshi) in a coin. */
  static String amount(Double v, String ccy) {
    if (v == null) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "USD".equals(ccy) ? "%,.2f" : "%,.8f", v);
  }

  /** Contracts or units as given, grouped, up to 8 decimals: 211.9, -96,187.5, 390,202,387.41. */
  static String quantity(double v) {
    return new DecimalFormat("#,##0.########", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static String signed(double v) {
    String s = plain(v);
    return v >= 0 ? "+" + s : s;
  }

  /** The shortest decimal of a value that is a round number in practice (15, 2.5, 0.33). */
  private static String plain(double v) {
    BigDecimal d = new BigDecimal(Double.toString(v)).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
    return d.signum() == 0 ? "0" : d.toPlainString();
  }

  private static String shortHash(String hash) {
    return hash == null ? "?" : hash.substring(0, Math.min(12, hash.length()));
  }
}
