package io.riskgrid.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnderlyingMarketTest {
  private static final Instant AS_OF = Instant.parse("2026-01-05T08:00:00Z");
  private static final Instant E1 = Instant.parse("2026-01-30T08:00:00Z");
  private static final Instant E2 = Instant.parse("2026-03-27T08:00:00Z");
  private static final SviSlice S1 = new SviSlice(E1, 0.003, 0.04, -0.25, 0.02, 0.12);
  private static final SviSlice S2 = new SviSlice(E2, 0.009, 0.08, -0.30, 0.03, 0.18);

  private static UnderlyingMarket market() {
    return new UnderlyingMarket("BTC", AS_OF, 94_000, 0, 0.05, Map.of(E2, 95_000.0), List.of(S2, S1));
  }

  @Test
  void yearFractionIsSecondsOver365Days() {
    assertEquals(1.0, TimeConventions.yearFraction(AS_OF, AS_OF.plusSeconds(365L * 86400)), 0.0);
    assertEquals(0.5 / 365, TimeConventions.yearFraction(AS_OF, AS_OF.plusSeconds(43_200)), 1e-18);
  }

  @Test
  void instantsNeedAZoneAndBareDatesMean0800Utc() {
    assertEquals(Instant.parse("2026-03-27T08:00:00Z"), TimeConventions.parseInstant("expiry", "2026-03-27"));
    assertEquals(Instant.parse("2026-03-27T06:00:00Z"), TimeConventions.parseInstant("expiry", "2026-03-27T08:00:00+02:00"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> TimeConventions.parseInstant("expiry", "2026-03-27T08:00:00"));
    assertTrue(e.getMessage().contains("without a zone"));
  }

  @Test
  void forwardsAreListedOrSpotTimesBasisNeverInterpolated() {
    UnderlyingMarket m = market();
    assertEquals(95_000.0, m.forward(E2), 0.0);
    assertEquals(94_000 * Math.exp(0.05 * TimeConventions.yearFraction(AS_OF, E1)), m.forward(E1), 1e-9);
  }

  @Test
  void surfaceVolOwnSliceInterpolationAndFlatEdges() {
    UnderlyingMarket m = market();
    double k = 0.07;
    double t1 = TimeConventions.yearFraction(AS_OF, E1);
    double t2 = TimeConventions.yearFraction(AS_OF, E2);
    assertEquals(Math.sqrt(S1.totalVariance(k) / t1), m.surfaceVol("x", E1, t1, k), 1e-15);
    Instant mid = Instant.parse("2026-02-20T08:00:00Z");
    double t = TimeConventions.yearFraction(AS_OF, mid);
    double w = S1.totalVariance(k) + (S2.totalVariance(k) - S1.totalVariance(k)) * (t - t1) / (t2 - t1);
    assertEquals(Math.sqrt(w / t), m.surfaceVol("x", mid, t, k), 1e-15);
    Instant early = Instant.parse("2026-01-06T08:00:00Z");
    assertEquals(Math.sqrt(S1.totalVariance(k) / t1), m.surfaceVol("x", early, 1.0 / 365, k), 1e-15, "flat vol before the first slice");
    Instant late = Instant.parse("2026-12-25T08:00:00Z");
    assertEquals(Math.sqrt(S2.totalVariance(k) / t2), m.surfaceVol("x", late, 354.0 / 365, k), 1e-15, "flat vol after the last");
  }

  @Test
  void expiredSlicesAndForwardsAreIgnoredAndBadDataIsReported() {
    SviSlice expiredBad = new SviSlice(AS_OF, -1, -1, 5, 0, -1);
    UnderlyingMarket ok = new UnderlyingMarket("BTC", AS_OF, 94_000, 0, 0, Map.of(AS_OF, -5.0), List.of(expiredBad, S1));
    assertNull(ok.dataError());
    assertEquals(1, ok.slices().size());
    assertTrue(new UnderlyingMarket("BTC", AS_OF, Double.NaN, 0, 0, Map.of(), List.of()).dataError().contains("index price"));
    assertTrue(new UnderlyingMarket("BTC", AS_OF, 1, Double.POSITIVE_INFINITY, 0, Map.of(), List.of()).dataError().contains("rate"));
    assertTrue(new UnderlyingMarket("BTC", AS_OF, 1, 0, Double.NaN, Map.of(), List.of()).dataError().contains("basis"));
    assertTrue(new UnderlyingMarket("BTC", AS_OF, 1, 0, 0, Map.of(E1, 0.0), List.of()).dataError().contains("forward"));
    assertTrue(new UnderlyingMarket("BTC", AS_OF, 1, 0, 0, Map.of(), List.of(S1, S1)).dataError().contains("two SVI slices"));
    assertTrue(new SviSlice(E1, 0.001, -0.1, 0, 0, 0.1).invalidReason().contains("b ="));
    assertTrue(new SviSlice(E1, -0.1, 0.1, 0, 0, 0.1).invalidReason().contains("negative minimum"));
    assertTrue(new SviSlice(E1, 0.1, 0.1, 0, 0, 0).invalidReason().contains("sigma_svi"));
  }
}
