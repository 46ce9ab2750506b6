package io.riskgrid.jobs.compare;

import java.io.PrintWriter;
import java.util.Locale;

/** The printed summary of a {@link CompareJob.Result}: what changes for whom, in USD where it is summed. */
public final class ComparisonText {
  private ComparisonText() {}

  public static void print(PrintWriter out, CompareJob.Result r) {
    CompareJob.Side a = r.a();
    CompareJob.Side b = r.b();
    out.printf(Locale.ROOT, "compare %s: A = %s (run %s, %s), B = %s (run %s, %s); %,d accounts, %,d without an IM "
        + "under A or B; run %s%n", r.asOf(), a.policyName(), a.runId(), a.reused() ? "reused" : "margined now",
        b.policyName(), b.runId(), b.reused() ? "reused" : "margined now", r.accounts(), r.withoutIm(), r.runId());
    out.println("IM change B - A per account (quantiles):");
    out.printf(Locale.ROOT, "  %-6s %18s %10s%n", "q", "USD", "relative");
    for (int i = 0; i < CompareJob.QUANTILES.length; i++) {
      out.printf(Locale.ROOT, "  %-6s %,18.0f %9.1f%%%n", label(CompareJob.QUANTILES[i]), r.changeQuantilesUsd()[i],
          100 * r.relativeQuantiles()[i]);
    }
    if (r.flips().isEmpty()) {
      out.println("status flips: none");
    } else {
      out.println("status flips (A -> B: accounts):");
      for (CompareJob.Flip f : r.flips()) {
        out.printf(Locale.ROOT, "  %-12s -> %-12s %,10d%n", f.statusA(), f.statusB(), f.accounts());
      }
    }
    out.println("portfolio IM per underlying (sum of MM_u x im_multiplier, USD):");
    for (CompareJob.UnderlyingTotal u : r.byUnderlying()) {
      out.printf(Locale.ROOT, "  %-6s A %,20.0f   B %,20.0f   %s%n", u.underlying(), u.imAUsd(), u.imBUsd(),
          change(u.imAUsd(), u.imBUsd()));
    }
    out.println("IM per margin currency (the account's mode; in the currency, and USD):");
    for (CompareJob.CurrencyTotal c : r.byCurrency()) {
      out.printf(Locale.ROOT, "  %-6s %,9d accounts  A %,20.4f   B %,20.4f   (USD A %,.0f, B %,.0f)   %s%n",
          c.marginCurrency(), c.accounts(), c.imA(), c.imB(), c.imAUsd(), c.imBUsd(), change(c.imAUsd(), c.imBUsd()));
    }
    out.printf("largest IM increases (%d):%n", r.largestIncreases().size());
    for (CompareJob.Increase i : r.largestIncreases()) {
      out.printf(Locale.ROOT, "  %-14s %-4s IM A %,18.4f  B %,18.4f  %+,.0f USD%n", i.accountId(), i.marginCurrency(),
          i.imA(), i.imB(), i.changeUsd());
    }
  }

  private static String label(double q) {
    return q == 0 ? "min" : q == 1 ? "max" : String.format(Locale.ROOT, "p%s", trim(100 * q));
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String change(double a, double b) {
    return a == 0 ? "" : String.format(Locale.ROOT, "%+.1f%%", 100 * (b / a - 1));
  }
}
