package io.riskgrid.jobs.report.chart;

import java.util.Locale;

/** Figures as a risk report prints them: compact with k/M/bn for axes, grouped digits for tables. */
public final class Numbers {
  private Numbers() {}

  /** 1234567 → "1.23M", 6520 → "6.52k", 999.6 → "1k", -0.5 → "-0.5", 0 → "0". */
  public static String compact(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1e9) {
      return trim(v / 1e9) + "bn";
    } else if (a >= 1e6) {
      return trim(v / 1e6) + "M";
    } else if (a >= 999.5) {
      return trim(v / 1e3) + "k";
    } else if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return trim(v);
  }

  /** Grouped digits, no decimals at or above 100, else up to 4 significant digits: 12,168 or 0.0123. */
  public static String grouped(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Math.abs(v) >= 100 || v == 0) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return trim(v);
  }

  /** A share as a percentage with one decimal: 0.1234 → "12.3%". */
  public static String percent(double share) {
    return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.3g", v);
    if (s.contains("e")) {
      return String.format(Locale.ROOT, "%.2e", v);
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s.equals("-0") ? "0" : s;
  }
}
