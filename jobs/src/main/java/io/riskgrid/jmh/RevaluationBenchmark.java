package io.riskgrid.jmh;

import io.riskgrid.kernel.simd.VectorBlack76;
import io.riskgrid.pricing.Black76;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stage-1 revaluation cost per Black-76 evaluation (DESIGN §6): 2,000 options times 35 scenarios
 * (7 forward moves x 5 vol moves), flattened to 70,000 evaluations per invocation. The score is
 * evaluations per second on one thread; run with {@code -prof gc} for bytes allocated per
 * evaluation.
 *
 * <ul>
 *   <li>{@code simd}: {@link VectorBlack76#priceHoisted} over the whole batch, as the engine runs
 *       it ({@code SimdKernel} on cells from {@code ValuedBookBuilder}): ln(F/K), F/K and
 *       sqrt(T) come hoisted out of the scenario loop;
 *   <li>{@code simdUnhoisted}: {@link VectorBlack76#price}, which takes the log and the sqrt per
 *       evaluation (cells without hoisted terms);
 *   <li>{@code scalar}: a loop over {@link Black76#price};
 *   <li>{@code scalarCommonsMath}: the same loop with commons-math3's
 *       {@code NormalDistribution.cumulativeProbability} as the CDF.
 * </ul>
 * All read the same arrays. The scalar loops take the rate and compute e^{-rT} per call, as
 * {@code Black76.price} does; the SIMD kernel takes the discount factor precomputed per option,
 * which the engine does once per instrument since scenarios do not move T. Likewise the hoisted
 * terms are filled in setup, outside the timing, as the engine fills them: ln(F/K), F/K and
 * sqrt(T) once per instrument, ln(1+p) once per price shock, then an add and a multiply per cell.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp jobs/target/riskgrid-jobs-*-app.jar
 * org.openjdk.jmh.Main RevaluationBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RevaluationBenchmark {

  static final int INSTRUMENTS = 2_000;
  static final double[] PRICE_MOVES = {-0.15, -0.10, -0.05, 0.0, 0.05, 0.10, 0.15};
  static final double[] VOL_MOVES = {-0.10, -0.05, 0.0, 0.05, 0.10};
  /** INSTRUMENTS x 7 x 5, spelled out because annotations need a constant. */
  static final int EVALUATIONS = 70_000;

  double[] forward = new double[EVALUATIONS];
  double[] strike = new double[EVALUATIONS];
  double[] tau = new double[EVALUATIONS];
  double[] vol = new double[EVALUATIONS];
  double[] rate = new double[EVALUATIONS];
  double[] discount = new double[EVALUATIONS];
  boolean[] isCall = new boolean[EVALUATIONS];
  double[] logMoneyness = new double[EVALUATIONS];
  double[] sqrtTau = new double[EVALUATIONS];
  double[] moneyness = new double[EVALUATIONS];
  double[] out = new double[EVALUATIONS];
  NormalDistribution commonsNormal = new NormalDistribution(0, 1);

  /** BTC-, ETH- and SOL-like options: strikes within +-50% log-moneyness, 1 day to 1 year. */
  @Setup(Level.Trial)
  public void generate() {
    if (INSTRUMENTS * PRICE_MOVES.length * VOL_MOVES.length != EVALUATIONS) {
      throw new IllegalStateException("EVALUATIONS must be INSTRUMENTS x scenarios");
    }
    SplittableRandom random = new SplittableRandom(2_000L);
    double[] spots = {60_000, 3_000, 150};
    int e = 0;
    for (int instrument = 0; instrument < INSTRUMENTS; instrument++) {
      double spot = spots[instrument % spots.length];
      double baseForward = spot * (1 + 0.02 * random.nextDouble());
      double optionStrike = baseForward * Math.exp(-0.5 + random.nextDouble());
      double optionTau = Math.exp(Math.log(1 / 365.0) + random.nextDouble() * Math.log(365));
      double baseVol = 0.3 + 0.9 * random.nextDouble();
      double optionRate = 0.05 * random.nextDouble();
      boolean call = random.nextBoolean();
      double instrumentMoneyness = baseForward / optionStrike;
      double instrumentLogMoneyness = Math.log(instrumentMoneyness);
      double instrumentSqrtTau = Math.sqrt(optionTau);
      for (double priceMove : PRICE_MOVES) {
        double shockedLogMoneyness = instrumentLogMoneyness + Math.log1p(priceMove);
        for (double volMove : VOL_MOVES) {
          forward[e] = baseForward * (1 + priceMove);
          strike[e] = optionStrike;
          tau[e] = optionTau;
          vol[e] = Math.max(0.01, baseVol + volMove);
          rate[e] = optionRate;
          discount[e] = Math.exp(-optionRate * optionTau);
          isCall[e] = call;
          logMoneyness[e] = shockedLogMoneyness;
          sqrtTau[e] = instrumentSqrtTau;
          moneyness[e] = instrumentMoneyness * (1 + priceMove);
          e++;
        }
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVALUATIONS)
  public double[] simdUnhoisted() {
    VectorBlack76.price(forward, strike, tau, vol, discount, isCall, out, 0, EVALUATIONS);
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(EVALUATIONS)
  public double[] simd() {
    VectorBlack76.priceHoisted(forward, strike, tau, vol, discount, isCall, logMoneyness, moneyness, sqrtTau, out, 0,
        EVALUATIONS);
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(EVALUATIONS)
  public double[] scalar() {
    for (int i = 0; i < EVALUATIONS; i++) {
      out[i] = Black76.price(isCall[i], forward[i], strike[i], tau[i], vol[i], rate[i]);
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(EVALUATIONS)
  public double[] scalarCommonsMath() {
    for (int i = 0; i < EVALUATIONS; i++) {
      out[i] = commonsBlack76(isCall[i], forward[i], strike[i], tau[i], vol[i], rate[i]);
    }
    return out;
  }

  /** The textbook Black-76 with commons-math3's CDF: the baseline DESIGN §6 compares against. */
  double commonsBlack76(
      boolean call, double f, double k, double t, double sigma, double r) {
    double stdDev = sigma * Math.sqrt(t);
    double d1 = (Math.log(f / k) + 0.5 * stdDev * stdDev) / stdDev;
    double d2 = d1 - stdDev;
    double df = Math.exp(-r * t);
    return call
        ? df * (f * commonsNormal.cumulativeProbability(d1)
            - k * commonsNormal.cumulativeProbability(d2))
        : df * (k * commonsNormal.cumulativeProbability(-d2)
            - f * commonsNormal.cumulativeProbability(-d1));
  }
}
