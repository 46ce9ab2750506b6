package io.riskgrid.jobs.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.changes.ChangeAttribution.Margin;
import io.riskgrid.jobs.changes.ChangeAttribution.Split;
import org.junit.jupiter.api.Test;

/** The split's cases by hand: ordinary, new, closed, invalid, unvaluable on the earlier market, currency change. */
class ChangeAttributionTest {
  private static Margin usd(double mm) {
    return Margin.of("USD", mm, "OK", null);
  }

  @Test
  void theThreeEffectsTelescopeToTheChange() {
    Split s = ChangeAttribution.of(usd(100), usd(180), usd(130), usd(170), false);
    assertEquals(30, s.positionsEffect(), 0.0);
    assertEquals(40, s.marketEffect(), 0.0);
    assertEquals(10, s.policyEffect(), 0.0);
    assertEquals(s.mm() - s.mmPrev(), s.positionsEffect() + s.marketEffect() + s.policyEffect(), 0.0);
    assertNull(s.note());
    Split same = ChangeAttribution.of(usd(100), usd(180), usd(130), Margin.ABSENT, true);
    assertEquals(50, same.marketEffect(), 0.0);
    assertEquals(0, same.policyEffect(), 0.0);
  }

  @Test
  void newAndClosedAccountsCountFromAndToZero() {
    Split opened = ChangeAttribution.of(Margin.ABSENT, usd(50), usd(45), usd(50), false);
    assertEquals(0.0, opened.mmPrev(), 0.0);
    assertEquals(45, opened.positionsEffect(), 0.0);
    assertEquals(5, opened.marketEffect(), 0.0);
    assertTrue(opened.note().startsWith("new on D"));
    Split closed = ChangeAttribution.of(usd(70), Margin.ABSENT, Margin.ABSENT, Margin.ABSENT, false);
    assertEquals(0.0, closed.mm(), 0.0);
    assertEquals(-70, closed.positionsEffect(), 0.0);
    assertEquals(0, closed.marketEffect(), 0.0);
    assertEquals(0, closed.policyEffect(), 0.0);
  }

  @Test
  void whatCannotBeComputedIsNullWithWhy() {
    Split invalidToday = ChangeAttribution.of(usd(10), Margin.of("USD", null, "REJECTED", "unknown instrument X"),
        Margin.ABSENT, Margin.ABSENT, false);
    assertNull(invalidToday.mm());
    assertNull(invalidToday.positionsEffect());
    assertTrue(invalidToday.note().contains("REJECTED: unknown instrument X"), invalidToday.note());
    Split unvalued = ChangeAttribution.of(usd(10), usd(20), Margin.of("USD", null, "DATA_ERROR", "no forward"), usd(18),
        false);
    assertNull(unvalued.positionsEffect());
    assertNull(unvalued.marketEffect());
    assertEquals(2, unvalued.policyEffect(), 0.0);
    assertTrue(unvalued.note().contains("not separated"), unvalued.note());
    Split currency = ChangeAttribution.of(Margin.of("BTC", 0.1, "OK", null), usd(20), usd(20), usd(20), false);
    assertNull(currency.positionsEffect());
    assertTrue(currency.note().contains("from BTC to USD"), currency.note());
  }
}
