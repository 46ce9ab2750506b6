package io.riskgrid.jobs.backtest;

import io.riskgrid.backtest.RejectionDirection;
import io.riskgrid.backtest.WindowCounting;
import io.riskgrid.backtest.history.BacktestPortfolio;
import io.riskgrid.backtest.history.DateShareLine;
import io.riskgrid.backtest.history.PanelStatistics;
import io.riskgrid.backtest.history.SummaryLine;
import io.riskgrid.backtest.history.ToolEffect;
import io.riskgrid.policy.AntiProcyclicality;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The readable summary printed at the end of {@code riskgrid backtest}: one table per policy with every
 * statistic of {@code backtest_summary}, and with {@code --compare} coverage against average IM side by side.
 */
final class BacktestReport {
  private BacktestReport() {}

  static void print(PrintStream out, BacktestJob.Result result) {
    BacktestJob.Request req = result.request();
    Map<String, String> descriptions = new HashMap<>();
    for (BacktestPortfolio p : req.panel()) {
      descriptions.put(p.id(), p.description());
    }
    descriptions.put(PanelStatistics.ALL, req.book() == null ? "pooled panel" : "pooled book");
    req.groups().values().forEach(g -> descriptions.put(PanelStatistics.groupRowId(g), "pooled " + g + " accounts"));
    double years = result.days() / 365.25;
    out.printf(Locale.ROOT, "%nbacktest %s to %s (%,d days, %.1f years), h = %d day%s, %d portfolios, history: %s%n",
        req.from(), req.to(), result.days(), years, req.horizonDays(), req.horizonDays() == 1 ? "" : "s",
        req.panel().size(), req.historyLabel());
    out.println(countingNote(req.horizonDays(), req.counting()));
    if (req.book() != null) {
      printBook(out, req.book());
    }
    for (BacktestJob.PolicyRun run : result.runs()) {
      double p = 1 - run.policy().backtest().confidence();
      out.printf(Locale.ROOT, "%npolicy %s: expected breach rate %.2f%% (confidence %s), run %s%n", run.policy().name(),
          100 * p, run.policy().backtest().confidence(), run.runId());
      out.printf(Locale.ROOT, "%-5s %-34s %6s %5s %5s %8s %5s %9s %-9s %9s %-9s %9s %-9s %-6s %4s %7s %7s %7s %12s%n",
          "id", "portfolio", "obs", "skip", "brch", "coverage", "IMbr", "Kupiec p", "", "indep p", "", "CC p", "", "zone",
          "red", "pk/tr", "max1d", "max30d", "avg IM USD");
      int portfolios = portfolioCount(run);
      boolean everyRow = portfolios <= MAX_PRINTED_PORTFOLIOS;
      for (SummaryLine l : run.lines()) {
        if (!everyRow && !PanelStatistics.isPooled(l.portfolioId())) {
          continue;
        }
        out.printf(Locale.ROOT,
            "%-5s %-34s %6d %5d %5d %8.5f %5d %9.3g %-9s %9.3g %-9s %9.3g %-9s %-6s %4d %7s %7s %7s %,12.0f%n",
            l.portfolioId(), truncate(descriptions.getOrDefault(l.portfolioId(), ""), 34), l.observations(),
            l.skippedDays(), l.breaches(), l.coverage(), l.imBreaches(), l.pofP(), l.pofDirection().tag(), l.indP(),
            l.indDirection().tag(), l.ccP(), l.ccDirection().tag(), l.lastZone(), l.redWindows(),
            fixed(l.peakToTrough(), "%.2f"), percent(l.max1dIncrease()), percent(l.max30dIncrease()), l.averageImUsd());
      }
      if (!everyRow) {
        out.printf(Locale.ROOT, "(the %,d per-account rows are in backtest_summary, run %s)%n", portfolios, run.runId());
      }
      printLegend(out, run.all(), portfolios);
      out.println(pooledCaveat(run.all(), portfolios, p));
      out.println(bufferLine(run.all(), run.buffer()));
      out.println(floorLine(run.all(), run.floor(), run.policy().antiProcyclicality()));
      out.println(verdict(run, p));
      if (!run.skipped().isEmpty()) {
        out.println("  not observed (portfolio-days): " + run.skipped());
      }
    }
    if (result.runs().size() > 1) {
      printComparison(out, result.runs().get(0), result.runs().get(1), descriptions);
    }
    out.printf(Locale.ROOT, "%nwrote backtest_daily (%,d rows) and backtest_summary; %d portfolios over %.1f years in %.1f s%n",
        result.runs().stream().mapToLong(BacktestJob.PolicyRun::dailyRowsWritten).sum(), req.panel().size(), years,
        result.millis() / 1000.0);
  }

  /** Rows printed per portfolio up to this many portfolios; beyond, only the pooled rows are printed. */
  static final int MAX_PRINTED_PORTFOLIOS = 60;

  /** Portfolio rows of a run (they come first, before the pooled rows). */
  static int portfolioCount(BacktestJob.PolicyRun run) {
    return (int) run.lines().stream().filter(l -> !PanelStatistics.isPooled(l.portfolioId())).count();
  }

  /**
   * What {@code --book} read and converted, and every account it could not convert with its status and reason (an
   * account is never dropped without a line here).
   */
  static void printBook(PrintStream out, BookAccounts.Book book) {
    out.printf(Locale.ROOT, "%nbook of %s: %,d rows in accounts; %s; %,d converted, %,d could not be converted%n",
        book.asOf(), book.accountRows(), book.sample() == null ? "every account read (" + book.read() + ")"
            : String.format(Locale.ROOT, "seeded sample of %,d (seed %d): %,d read", book.sample(), book.seed(),
                book.read()), book.portfolios().size(), book.unconverted().size());
    Map<String, Long> byCurrency = new java.util.TreeMap<>();
    book.portfolios().forEach(pf -> byCurrency.merge(pf.marginCurrency(), 1L, Long::sum));
    out.printf(Locale.ROOT, "converted by margin currency: %s; every account is backtested on its portfolio margin,"
        + " the %,d STANDARD ones included (standard margin is the baseline, not a risk model: long options carry"
        + " none). Accounts carry no archetype, so pooled rows are per margin currency (ALL:<currency>) and ALL.%n",
        byCurrency, book.standardAccounts());
    if (book.orphanRows() > 0) {
      out.printf(Locale.ROOT, "%,d position/collateral rows of %s belong to no account (the margin run lists them in"
          + " rejects).%n", book.orphanRows(), book.asOf());
    }
    for (var o : book.unconverted()) {
      out.printf(Locale.ROOT, "  not converted: %s (%s) %s: %s%n", o.accountId(), o.marginCurrency(), o.status(),
          o.reason());
    }
  }

  /** Which days Kupiec, the traffic light and Christoffersen count, said plainly when h-day losses can overlap. */
  static String countingNote(int h, WindowCounting counting) {
    if (h == 1) {
      return "Kupiec, the traffic light and Christoffersen count every observed day; 1-day losses do not overlap.";
    }
    String nth = h + (h % 100 / 10 == 1 ? "th" : switch (h % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    });
    if (counting == WindowCounting.NON_OVERLAPPING) {
      return String.format(Locale.ROOT, "--non-overlapping: Kupiec, the traffic light and the breach counts use every"
          + " %s observed day only, so no two counted %d-day losses overlap; Christoffersen pairs days %d apart.",
          nth, h, h);
    }
    return String.format(Locale.ROOT, "Kupiec, the traffic light and the breach counts use every observed day: their"
        + " %d-day losses overlap by %d days, so one market move is counted up to %d times and the tests assume an"
        + " independence these windows do not have; --non-overlapping counts every %s day only. Christoffersen pairs"
        + " days %d apart.", h, h - 1, h, nth, h);
  }

  /** What the direction words, ALL's red windows and ALL's procyclicality figures mean, for this run. */
  static void printLegend(PrintStream out, SummaryLine all, int portfolios) {
    out.println("beside each p-value, the direction of a rejection at 5%: too many = too many breaches, margin too low;"
        + " too few = too few breaches, margin conservative; clustered = a breach follows a breach more often than a"
        + " quiet day; - = not rejected.");
    out.printf(Locale.ROOT, "ALL red = %d distinct 250-observation windows (by last date) in which some portfolio is red;"
        + " %d portfolio-windows in all.%n", all.redWindows(), all.redPortfolioWindows());
    if (all.procyclicalityFrom() == null) {
      out.println("ALL procyclicality: no date on which every portfolio was observed with a positive IM.");
    } else {
      out.printf(Locale.ROOT, "ALL procyclicality: sum of IM in USD over the %,d dates from %s to %s on which all %d"
          + " portfolios were observed.%n", all.procyclicalityDays(), all.procyclicalityFrom(), all.procyclicalityTo(),
          portfolios);
    }
  }

  /**
   * Why ALL's Kupiec and Christoffersen p-values overstate the evidence, and the pooled test that does not assume
   * independent portfolios beside it.
   */
  static String pooledCaveat(SummaryLine all, int portfolios, double p) {
    DateShareLine byDate = all.dateShare();
    return String.format(Locale.ROOT, "ALL's Kupiec and Christoffersen p-values treat the %d portfolios' %,d observations"
        + " as independent; portfolios share one market, so they overstate the evidence. Kupiec on the per-date"
        + " breach share, which assumes nothing about that dependence (each of %,d dates one trial): %.2f breach"
        + " shares, %.3f%% against %.2f%%, LR %.3g, p %.3g %s.", portfolios, all.observations(), byDate.dates(),
        byDate.breachShares(), 100 * byDate.breachShares() / byDate.dates(), 100 * p, byDate.lr(), byDate.p(),
        byDate.direction() == RejectionDirection.NOT_REJECTED ? "(not rejected)" : byDate.direction().meaning());
  }

  /** ALL's procyclicality with and without the policy's buffer, on the same dates, and what the buffer costs. */
  static String bufferLine(SummaryLine all, ToolEffect buffer) {
    return toolLine("anti-procyclicality buffer b = " + (buffer == null ? "" : buffer.parameter()) + " (policy)",
        all, buffer);
  }

  /** ALL's procyclicality with and without the policy's stressed floor, on the same dates, and what it costs. */
  static String floorLine(SummaryLine all, ToolEffect floor, AntiProcyclicality tools) {
    return toolLine("stressed floor f = " + tools.stressedFloor() + " x IM under " + tools.stressedWindowFrom()
        + " to " + tools.stressedWindowTo() + " (policy)", all, floor);
  }

  private static String toolLine(String tool, SummaryLine all, ToolEffect effect) {
    if (effect == null) {
      return tool + ": not measured (no date with every portfolio observed, or no stressed IM).";
    }
    return String.format(Locale.ROOT, "%s, on the same %,d dates: peak-to-trough %s -> %s, largest 1-day increase"
        + " %s -> %s, largest 30-day increase %s -> %s, at %.1f%% more margin on average.", tool,
        all.procyclicalityDays(), fixed(all.peakToTrough(), "%.2f"), fixed(effect.peakToTrough(), "%.2f"),
        percent(all.max1dIncrease()), percent(effect.max1dIncrease()), percent(all.max30dIncrease()),
        percent(effect.max30dIncrease()), 100 * effect.marginCost());
  }

  /** How many portfolios Kupiec rejects, and in which direction: too many breaches (margin too low) or too few. */
  static String verdict(BacktestJob.PolicyRun run, double p) {
    int tooLow = 0;
    int tooHigh = 0;
    int portfolios = portfolioCount(run);
    for (SummaryLine l : run.lines().subList(0, portfolios)) {
      if (l.pofP() < 0.05) {
        if ((double) l.breaches() / l.observations() > p) {
          tooLow++;
        } else {
          tooHigh++;
        }
      }
    }
    SummaryLine all = run.all();
    return String.format(Locale.ROOT, "Kupiec rejects %d of %d portfolios at 5%%: %d with too many breaches (margin too low),"
        + " %d with too few (margin conservative). Pooled breach rate %.3f%% against %.2f%%.", tooLow + tooHigh, portfolios,
        tooLow, tooHigh, 100.0 * all.breaches() / all.observations(), 100 * p);
  }

  private static void printComparison(PrintStream out, BacktestJob.PolicyRun a, BacktestJob.PolicyRun b,
      Map<String, String> descriptions) {
    out.printf(Locale.ROOT, "%ncoverage against margin: %s vs %s%n", a.policy().name(), b.policy().name());
    out.printf(Locale.ROOT, "%-5s %-34s | %8s %5s %12s | %8s %5s %12s | %9s%n", "id", "portfolio", "coverage", "brch",
        "avg IM USD", "coverage", "brch", "avg IM USD", "IM B/A");
    Map<String, SummaryLine> byId = new HashMap<>();
    b.lines().forEach(l -> byId.put(l.portfolioId(), l));
    for (SummaryLine l : a.lines()) {
      SummaryLine m = byId.get(l.portfolioId());
      if (m == null) {
        continue;
      }
      out.printf(Locale.ROOT, "%-5s %-34s | %8.5f %5d %,12.0f | %8.5f %5d %,12.0f | %9.3f%n", l.portfolioId(),
          truncate(descriptions.getOrDefault(l.portfolioId(), ""), 34), l.coverage(), l.breaches(), l.averageImUsd(),
          m.coverage(), m.breaches(), m.averageImUsd(), m.averageImUsd() / l.averageImUsd());
    }
  }

  private static String truncate(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }

  private static String fixed(Double d, String format) {
    return d == null ? "-" : String.format(Locale.ROOT, format, d);
  }

  private static String percent(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * d);
  }
}
