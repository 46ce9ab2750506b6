package io.riskgrid.jobs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The printed summary of {@code compare}, line by line, from figures set by hand. */
class ComparisonTextTest {

  @Test
  void printsEveryBlockWithSignedChangesAndPercentiles() {
    double[] usd = {-5_000, -1_000, -500, 0, 100, 900, 2_000, 30_000, 120_000};
    double[] relative = {-0.5, -0.2, -0.1, 0, 0.01, 0.05, 0.2, 0.9, 3};
    CompareJob.Result r = new CompareJob.Result("run-c", LocalDate.of(2026, 1, 5),
        new CompareJob.Side("seed-default", "h1", "run-a", true), new CompareJob.Side("deribit-like", "h2", "run-b", false),
        300, 4, usd, relative, List.of(new CompareJob.Flip("OK", "MARGIN_CALL", 7)),
        List.of(new CompareJob.UnderlyingTotal("BTC", 1_000_000, 1_250_000)),
        List.of(new CompareJob.CurrencyTotal("BTC", 20, 1.5, 1.2, 90_000, 72_000)),
        List.of(new CompareJob.Increase("A0000000007", "USD", 10_000, 130_000, 120_000),
            new CompareJob.Increase("A0000000008", "USD", 10_000, 9_000, -1_000)));
    StringWriter out = new StringWriter();
    ComparisonText.print(new PrintWriter(out), r);
    List<String> lines = out.toString().lines().toList();
    assertEquals("compare 2026-01-05: A = seed-default (run run-a, reused), B = deribit-like (run run-b, margined now); "
        + "300 accounts, 4 without an IM under A or B; run run-c", lines.get(0));
    assertEquals("  min                -5,000     -50.0%", lines.get(3));
    assertEquals("  p50                   100       1.0%", lines.get(7));
    assertEquals("  max               120,000     300.0%", lines.get(11));
    assertEquals("  OK           -> MARGIN_CALL           7", lines.get(13));
    assertEquals("  BTC    A            1,000,000   B            1,250,000   +25.0%", lines.get(15));
    assertEquals("  BTC           20 accounts  A               1.5000   B               1.2000   (USD A 90,000, B 72,000)   -20.0%",
        lines.get(17));
    assertEquals("  A0000000007    USD  IM A        10,000.0000  B       130,000.0000  +120,000 USD", lines.get(19));
    assertEquals("  A0000000008    USD  IM A        10,000.0000  B         9,000.0000  -1,000 USD", lines.get(20));
    assertEquals(21, lines.size());
  }
}
