package io.riskgrid.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.pricing.Black76;
import io.riskgrid.pricing.NormalDistribution;
import io.riskgrid.pricing.ReferenceNormal;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

class VectorBlack76Test {

  /** DESIGN §2: kernels agree to 1e-10 relative, with an absolute floor of 1e-10 x notional. */
  private static final double AGREEMENT = 1e-10;

  /** A batch of options in struct-of-arrays form, as the kernel takes them. */
  static final class Batch {
    final double[] forward;
    final double[] strike;
    final double[] tau;
    final double[] vol;
    final double[] rate;
    final double[] discount;
    final boolean[] isCall;

    Batch(int n) {
      forward = new double[n];
      strike = new double[n];
      tau = new double[n];
      vol = new double[n];
      rate = new double[n];
      discount = new double[n];
      isCall = new boolean[n];
    }

    void set(int i, boolean call, double f, double k, double t, double sigma, double r) {
      isCall[i] = call;
      forward[i] = f;
      strike[i] = k;
      tau[i] = t;
      vol[i] = sigma;
      rate[i] = r;
      discount[i] = Math.exp(-r * t);
    }

    double[] price(int from, int to) {
      double[] out = new double[forward.length];
      VectorBlack76.price(forward, strike, tau, vol, discount, isCall, out, from, to);
      return out;
    }

    /**
     * The hoisted path on this batch, its ln(F/K) and F/K built as the engine builds them,
     * ln(F0/K) + ln(1+p) and (F0/K)(1+p) for a random price shock p with F = F0 (1+p), so they are
     * a few ulps off ln(F/K) and F/K.
     */
    double[] priceHoisted(int from, int to, SplittableRandom random) {
      int n = forward.length;
      double[] logMoneyness = new double[n];
      double[] moneyness = new double[n];
      double[] sqrtTau = new double[n];
      for (int i = 0; i < n; i++) {
        double shock = -0.3 + 0.6 * random.nextDouble();
        double baseMoneyness = forward[i] / (1 + shock) / strike[i];
        logMoneyness[i] = Math.log(baseMoneyness) + Math.log1p(shock);
        moneyness[i] = baseMoneyness * (1 + shock);
        sqrtTau[i] = Math.sqrt(tau[i]); // NaN where tau < 0: the kernel must not read it there
      }
      double[] out = new double[n];
      VectorBlack76.priceHoisted(forward, strike, tau, vol, discount, isCall, logMoneyness,
          moneyness, sqrtTau, out, from, to);
      return out;
    }

    double scalar(int i) {
      return Black76.price(isCall[i], forward[i], strike[i], tau[i], vol[i], rate[i]);
    }
  }

  @Test
  void agreesWithScalarBlack76OnRandomInputsIncludingEdgeRegions() {
    int n = 200_003; // not a multiple of the lane count: the scalar remainder runs too
    Batch batch = randomBatch(n, new SplittableRandom(76L));
    double[] first = batch.price(0, n);
    batch.price(0, n);
    double[] out = batch.price(0, n); // by now the loop runs C2-compiled, with the SIMD intrinsics
    double worstRelative = 0;
    for (int i = 0; i < n; i++) {
      assertEquals(first[i], out[i], 1e-14 * Math.max(termMagnitude(batch, i), batch.forward[i]));
      double expected = batch.scalar(i);
      double error = Math.abs(out[i] - expected);
      int option = i;
      assertTrue(error <= AGREEMENT * Math.max(Math.abs(expected), batch.forward[i]),
          () -> describe(batch, out, option) + " vs " + expected);
      // Tighter: both evaluate V = w df [F N(w d1) - K N(w d2)], and near expiry out of the money
      // the two terms cancel by up to 1e6, so a few ulps in each N is the natural yardstick
      // (plus a floor for N(d) in the subnormal range, where ulps are absolute).
      double terms = termMagnitude(batch, i);
      assertTrue(error <= 1e-14 * terms + 1e-300 * batch.forward[i],
          () -> describe(batch, out, option) + " vs " + expected);
      if (expected > 1e-290 && terms < 1e3 * expected) {
        worstRelative = Math.max(worstRelative, error / expected);
      }
    }
    System.out.printf("VectorBlack76 (%d lanes): worst relative difference %.3g over %d options"
        + " (where the formula cancels less than 1e3)%n",
        VectorBlack76.SPECIES.length(), worstRelative, n);
  }

  /** df (F N(w d1) + K N(w d2)): the size of the two terms whose difference is the price. */
  private static double termMagnitude(Batch b, int i) {
    double s = b.vol[i] * Math.sqrt(b.tau[i]);
    if (!(b.tau[i] > 0 && s > 0)) {
      return Math.max(b.forward[i], b.strike[i]);
    }
    double w = b.isCall[i] ? 1 : -1;
    double d1 = Math.log(b.forward[i] / b.strike[i]) / s + s / 2;
    return b.discount[i] * (b.forward[i] * NormalDistribution.cdf(w * d1)
        + b.strike[i] * NormalDistribution.cdf(w * (d1 - s)));
  }

  @Test
  void deepOutOfTheMoneyPricesKeepTheirRelativeAccuracy() {
    // |ln F/K| up to 5 at small vol: values down to ~1e-200 of F, priced through the CDF tail.
    SplittableRandom random = new SplittableRandom(5L);
    int n = 4_099;
    Batch batch = new Batch(n);
    for (int i = 0; i < n; i++) {
      double logMoneyness = (random.nextBoolean() ? 1 : -1) * (2 + 3 * random.nextDouble());
      boolean outOfTheMoneyCall = logMoneyness < 0;
      double sigma = 0.05 + 0.3 * random.nextDouble();
      double tau = 0.05 + random.nextDouble();
      batch.set(i, outOfTheMoneyCall, 100, 100 * Math.exp(-logMoneyness), tau, sigma, 0.03);
    }
    // And every 7th one so far out that |d1| > 37 > |d2|-ish: the second Gaussian factor from
    // its own exp (Black76.GAUSS_DERIVED_MAX_D).
    for (int i = 0; i < n; i += 7) {
      double sigma = 0.0775 + 0.004 * random.nextDouble(); // d1 = 36.6 .. 38.5
      batch.set(i, false, 100, 100 * Math.exp(-2.9), 1, sigma, 0.0);
    }
    double[] out = batch.price(0, n);
    for (int i = 0; i < n; i++) {
      double expected = batch.scalar(i);
      if (expected >= Double.MIN_NORMAL) {
        assertTrue(out[i] > 0);
        assertEquals(expected, out[i], AGREEMENT * expected, describe(batch, out, i));
      }
    }
  }

  @Test
  void hoistedPathAgreesWithScalarBlack76() {
    int n = 200_003;
    Batch batch = randomBatch(n, new SplittableRandom(77L));
    batch.priceHoisted(0, n, new SplittableRandom(1L));
    double[] out = batch.priceHoisted(0, n, new SplittableRandom(1L));
    double worstRelative = 0;
    for (int i = 0; i < n; i++) {
      double expected = batch.scalar(i);
      int option = i;
      double tolerance = AGREEMENT * Math.max(Math.abs(expected), batch.forward[i]);
      assertTrue(Math.abs(out[i] - expected) <= tolerance,
          () -> describe(batch, out, option) + " vs " + expected);
      if (expected > 1e-290 && termMagnitude(batch, i) < 1e3 * expected) {
        worstRelative = Math.max(worstRelative, Math.abs(out[i] - expected) / expected);
      }
    }
    System.out.printf("VectorBlack76.priceHoisted: worst relative difference %.3g over %d options"
        + " (where the formula cancels less than 1e3)%n", worstRelative, n);
  }

  @Test
  void hoistedPathKeepsDeepOutOfTheMoneyRelativeAccuracy() {
    // As deepOutOfTheMoneyPricesKeepTheirRelativeAccuracy, plus 1-hour expiries: a log a few ulps
    // off moves the value by |d1| ulps / (sigma sqrt T), largest where sigma sqrt T is small.
    SplittableRandom random = new SplittableRandom(6L);
    int n = 4_099;
    Batch batch = new Batch(n);
    for (int i = 0; i < n; i++) {
      boolean hourly = i % 3 == 0;
      double logMoneyness = (random.nextBoolean() ? 1 : -1)
          * (hourly ? 0.05 + 0.25 * random.nextDouble() : 2 + 3 * random.nextDouble());
      double sigma = 0.05 + 0.3 * random.nextDouble();
      double tau = hourly ? 1 / 8760.0 : 0.05 + random.nextDouble();
      batch.set(i, logMoneyness < 0, 100, 100 * Math.exp(-logMoneyness), tau, sigma, 0.03);
    }
    for (int i = 1; i < n; i += 7) { // |d1| > 37 > |d2|: the first factor derived from the second
      batch.set(i, false, 100, 100 * Math.exp(-2.9), 1, 0.0775 + 0.004 * random.nextDouble(), 0.0);
    }
    double[] out = batch.priceHoisted(0, n, new SplittableRandom(2L));
    for (int i = 0; i < n; i++) {
      double expected = batch.scalar(i);
      if (expected >= Double.MIN_NORMAL) {
        assertTrue(out[i] > 0);
        assertEquals(expected, out[i], AGREEMENT * expected, describe(batch, out, i));
      }
    }
  }

  @Test
  void expiredAndZeroVolOptionsAreIntrinsic() {
    Batch batch = new Batch(16);
    for (int i = 0; i < 16; i++) {
      boolean call = i % 2 == 0;
      double tau = i < 8 ? (i < 4 ? 0.0 : -0.01) : 0.5;
      double sigma = i < 8 ? 0.6 : 0.0;
      batch.set(i, call, 100, i % 4 < 2 ? 80 : 125, tau, sigma, 0.05);
    }
    double[] out = batch.price(0, 16);
    for (int i = 0; i < 16; i++) {
      assertEquals(batch.scalar(i), out[i], 1e-13 * batch.forward[i], describe(batch, out, i));
    }
    assertEquals(20.0, out[0], 0.0); // expired call, undiscounted
    assertEquals(25.0 * Math.exp(-0.05 * 0.5), out[11], 1e-13); // zero-vol put, discounted
  }

  @Test
  void honoursFromAndToAndLeavesTheRestUntouched() {
    int n = 53;
    Batch batch = randomBatch(n, new SplittableRandom(1L));
    double[] out = new double[n];
    java.util.Arrays.fill(out, -7.0);
    VectorBlack76.price(batch.forward, batch.strike, batch.tau, batch.vol, batch.discount,
        batch.isCall, out, 5, 47);
    for (int i = 0; i < n; i++) {
      if (i < 5 || i >= 47) {
        assertEquals(-7.0, out[i], 0.0);
      } else {
        assertEquals(batch.scalar(i), out[i], AGREEMENT * batch.forward[i]);
      }
    }
    double[] empty = batch.price(9, 9); // an empty range is allowed
    assertEquals(0.0, empty[9], 0.0);
  }

  @Test
  void allocatesNothingOnceCompiled() {
    // DESIGN §6: zero bytes per evaluation. Interpreted and C1 code box every vector, so run until
    // C2 has compiled the passes, then require a whole call to allocate nothing. Two mixes: the
    // edge-heavy one, and a market-like one where the far-tail branches are rare (cold code is
    // where C2 declines to inline, and a vector crossing a call is a heap object).
    // The market-like mix first: once the edge-heavy mix has made the rare branches hot, C2
    // would inline into them anyway. (Other tests in this JVM may already have done so; run
    // this test alone, as the benchmark's -prof gc does, for the strict check.)
    assertNoAllocation(marketLikeBatch(70_000, new SplittableRandom(10L)));
    assertNoAllocation(randomBatch(70_001, new SplittableRandom(9L)));
    assertNoAllocationHoisted(marketLikeBatch(70_000, new SplittableRandom(11L)));
  }

  private static void assertNoAllocation(Batch batch) {
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
        .getThreadMXBean();
    int n = batch.forward.length;
    double[] out = new double[n];
    long deadline = System.nanoTime() + 60_000_000_000L;
    long allocated;
    int calls = 0;
    do {
      long before = threads.getCurrentThreadAllocatedBytes();
      VectorBlack76.price(batch.forward, batch.strike, batch.tau, batch.vol, batch.discount,
          batch.isCall, out, 0, n);
      allocated = threads.getCurrentThreadAllocatedBytes() - before;
      calls++;
    } while ((allocated > 0 || calls < 200) && System.nanoTime() < deadline);
    assertEquals(0, allocated, "bytes allocated by one call of " + n + " evaluations");
  }

  private static void assertNoAllocationHoisted(Batch batch) {
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
        .getThreadMXBean();
    int n = batch.forward.length;
    double[] logMoneyness = new double[n];
    double[] moneyness = new double[n];
    double[] sqrtTau = new double[n];
    for (int i = 0; i < n; i++) {
      moneyness[i] = batch.forward[i] / batch.strike[i];
      logMoneyness[i] = Math.log(moneyness[i]);
      sqrtTau[i] = Math.sqrt(batch.tau[i]);
    }
    double[] out = new double[n];
    long deadline = System.nanoTime() + 60_000_000_000L;
    long allocated;
    int calls = 0;
    do {
      long before = threads.getCurrentThreadAllocatedBytes();
      VectorBlack76.priceHoisted(batch.forward, batch.strike, batch.tau, batch.vol, batch.discount,
          batch.isCall, logMoneyness, moneyness, sqrtTau, out, 0, n);
      allocated = threads.getCurrentThreadAllocatedBytes() - before;
      calls++;
    } while ((allocated > 0 || calls < 200) && System.nanoTime() < deadline);
    assertEquals(0, allocated, "bytes allocated by one hoisted call of " + n + " evaluations");
  }

  /**
   * A stage-1 grid as the engine builds it: options (+-50% log-moneyness, 1 day to 1 year, 30% to
   * 120% vol), each under 7 forward moves x 5 vol moves, side by side. The far tail is rare here.
   */
  static Batch marketLikeBatch(int n, SplittableRandom random) {
    Batch batch = new Batch(n);
    double forward = 0;
    double strike = 0;
    double tau = 0;
    double vol = 0;
    boolean call = false;
    for (int i = 0; i < n; i++) {
      int scenario = i % 35;
      if (scenario == 0) {
        forward = 60_000 * (1 + 0.02 * random.nextDouble());
        strike = forward * Math.exp(-0.5 + random.nextDouble());
        tau = Math.exp(Math.log(1 / 365.0) + random.nextDouble() * Math.log(365));
        vol = 0.3 + 0.9 * random.nextDouble();
        call = random.nextBoolean();
      }
      double forwardMove = 0.05 * (scenario / 5 - 3);
      double volMove = 0.05 * (scenario % 5 - 2);
      batch.set(i, call, forward * (1 + forwardMove), strike, tau, vol + volMove, 0.02);
    }
    return batch;
  }

  @Test
  void rejectsBadRanges() {
    Batch batch = new Batch(10);
    double[] out = new double[10];
    double[] shortOut = new double[5];
    assertThrows(IndexOutOfBoundsException.class, () -> VectorBlack76.price(batch.forward,
        batch.strike, batch.tau, batch.vol, batch.discount, batch.isCall, out, -1, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> VectorBlack76.price(batch.forward,
        batch.strike, batch.tau, batch.vol, batch.discount, batch.isCall, out, 6, 4));
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> VectorBlack76.price(batch.forward, batch.strike, batch.tau, batch.vol,
            batch.discount, batch.isCall, shortOut, 0, 10));
    assertTrue(e.getMessage().startsWith("out "), e.getMessage());
  }

  @Test
  void vectorCdfMatchesTheHighPrecisionReference() {
    int lanes = VectorBlack76.SPECIES.length();
    double[] x = new double[lanes];
    double[] cdf = new double[lanes];
    double worst = 0;
    SplittableRandom random = new SplittableRandom(3L);
    for (int round = 0; round < 200; round++) {
      for (int j = 0; j < lanes; j++) {
        x[j] = -37.5 + 45.5 * random.nextDouble();
      }
      vectorCdf(x, cdf);
      for (int j = 0; j < lanes; j++) {
        BigDecimal exact = ReferenceNormal.cdf(x[j]);
        double error = Math.abs(new BigDecimal(cdf[j]).subtract(exact).doubleValue())
            / exact.doubleValue();
        assertTrue(error < 1e-14, "cdf(" + x[j] + ") relative error " + error);
        worst = Math.max(worst, error);
      }
    }
    System.out.printf("VectorBlack76.VectorNormal: worst relative error %.3g on [-37.5, 8]%n",
        worst);
  }

  @Test
  void vectorCdfMatchesScalarCdfEverywhere() {
    int lanes = VectorBlack76.SPECIES.length();
    double[] x = new double[lanes];
    double[] cdf = new double[lanes];
    SplittableRandom random = new SplittableRandom(4L);
    double[] specials = {0.0, -0.0, 40.0, -40.0, 41.0, -41.0, 1e300, -1e300,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.46875 * Math.sqrt(2),
        -4 * Math.sqrt(2), -38.4, 38.4};
    for (int round = 0; round < 20_000; round++) {
      for (int j = 0; j < lanes; j++) {
        x[j] = round < specials.length && j == 0 ? specials[round] : -40 + 80 * random.nextDouble();
      }
      vectorCdf(x, cdf);
      for (int j = 0; j < lanes; j++) {
        double expected = NormalDistribution.cdf(x[j]);
        assertTrue(Math.abs(cdf[j] - expected) <= 5e-15 * expected + Double.MIN_VALUE,
            "cdf(" + x[j] + ")=" + cdf[j] + " scalar " + expected);
      }
    }
    x[0] = Double.NaN;
    vectorCdf(x, cdf);
    assertTrue(Double.isNaN(cdf[0]));
  }

  /** The kernel's two CDF passes on x, into cdf. */
  private static void vectorCdf(double[] x, double[] cdf) {
    double[] gauss = new double[x.length];
    for (int i = 0; i < x.length; i += VectorBlack76.SPECIES.length()) {
      VectorBlack76.VectorNormal.gaussianFactor(
          DoubleVector.fromArray(VectorBlack76.SPECIES, x, i).abs()).intoArray(gauss, i);
    }
    System.arraycopy(x, 0, cdf, 0, x.length);
    VectorBlack76.VectorNormal.cdfInPlace(cdf, gauss, x.length);
  }

  /** Mixed regimes: the body, deep out of the money, near expiry, expired and zero vol. */
  static Batch randomBatch(int n, SplittableRandom random) {
    Batch batch = new Batch(n);
    for (int i = 0; i < n; i++) {
      boolean call = random.nextBoolean();
      double forward = Math.exp(Math.log(10) + random.nextDouble() * Math.log(1e4)); // 10..1e5
      double rate = -0.01 + 0.11 * random.nextDouble();
      double logMoneyness;
      double tau;
      double sigma;
      switch (random.nextInt(5)) {
        case 0 -> { // deep in or out of the money, small vol: CDF tails
          logMoneyness = -5 + 10 * random.nextDouble();
          tau = 0.01 + random.nextDouble();
          sigma = 0.01 + 0.3 * random.nextDouble();
        }
        case 1 -> { // near expiry, T from 1e-8 to 1e-4 years
          logMoneyness = -0.05 + 0.1 * random.nextDouble();
          tau = Math.pow(10, -8 + 4 * random.nextDouble());
          sigma = 0.1 + 2 * random.nextDouble();
        }
        case 2 -> { // expired (T = 0 or past) or zero vol
          logMoneyness = -0.5 + random.nextDouble();
          tau = random.nextInt(3) == 0 ? 0.0 : random.nextBoolean() ? -0.01 : 0.3;
          sigma = tau == 0.3 ? 0.0 : 0.6;
        }
        default -> { // the body
          logMoneyness = -1 + 2 * random.nextDouble();
          tau = 1 / 365.0 + 3 * random.nextDouble();
          sigma = 0.05 + 2 * random.nextDouble();
        }
      }
      batch.set(i, call, forward, forward * Math.exp(-logMoneyness), tau, sigma, rate);
    }
    return batch;
  }

  private static String describe(Batch b, double[] out, int i) {
    return String.format("option %d: call=%b F=%s K=%s T=%s vol=%s df=%s -> %s", i, b.isCall[i],
        b.forward[i], b.strike[i], b.tau[i], b.vol[i], b.discount[i], out[i]);
  }
}
