package io.riskgrid.backtest.history;

import io.riskgrid.backtest.WindowCounting;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One portfolio's observations reduced to what its statistics need, in date order: 26 bytes per observed
 * day. This is what a Spark job groups by portfolio on the executors and collects, instead of the
 * observations themselves.
 *
 * @param epochDays dates t as {@link LocalDate#toEpochDay()}, strictly increasing
 * @param breachMm  L_t &gt; MM_t per day
 * @param breachIm  L_t &gt; IM_t per day
 * @param imUsd     IM_t in USD per day
 * @param stressedImUsd IM_t under the policy's stressed window in USD per day, NaN where unknown
 */
public record PortfolioSeries(String portfolioId, long[] epochDays, boolean[] breachMm, boolean[] breachIm,
    double[] imUsd, double[] stressedImUsd) implements Serializable {

  public PortfolioSeries {
    int n = epochDays.length;
    if (breachMm.length != n || breachIm.length != n || imUsd.length != n || stressedImUsd.length != n) {
      throw new IllegalArgumentException("portfolio " + portfolioId + ": series of different lengths");
    }
  }

  /** The series of one portfolio's observations, given in any order. */
  public static PortfolioSeries of(String portfolioId, Iterable<Observation> observations) {
    List<Observation> sorted = new ArrayList<>();
    observations.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Observation::date));
    int n = sorted.size();
    long[] days = new long[n];
    boolean[] mm = new boolean[n];
    boolean[] im = new boolean[n];
    double[] usd = new double[n];
    double[] stressed = new double[n];
    for (int i = 0; i < n; i++) {
      Observation o = sorted.get(i);
      if (!o.portfolioId().equals(portfolioId)) {
        throw new IllegalArgumentException("observation of " + o.portfolioId() + " in the series of " + portfolioId);
      }
      days[i] = o.date().toEpochDay();
      mm[i] = o.breachMm();
      im[i] = o.breachIm();
      usd[i] = o.imUsd();
      stressed[i] = o.stressedImUsd();
    }
    return new PortfolioSeries(portfolioId, days, mm, im, usd, stressed);
  }

  /**
   * The days that count for the breach statistics: all of them, or with {@link WindowCounting#NON_OVERLAPPING}
   * every h-th day from the first.
   *
   * @param horizonDays h ≥ 1
   */
  public PortfolioSeries counted(WindowCounting counting, int horizonDays) {
    int n = 0;
    for (long day : epochDays) {
      n += counting.counts(day, epochDays[0], horizonDays) ? 1 : 0;
    }
    if (n == epochDays.length) {
      return this;
    }
    long[] days = new long[n];
    boolean[] mm = new boolean[n];
    boolean[] im = new boolean[n];
    double[] usd = new double[n];
    double[] stressed = new double[n];
    int k = 0;
    for (int i = 0; i < epochDays.length; i++) {
      if (counting.counts(epochDays[i], epochDays[0], horizonDays)) {
        days[k] = epochDays[i];
        mm[k] = breachMm[i];
        im[k] = breachIm[i];
        usd[k] = imUsd[i];
        stressed[k++] = stressedImUsd[i];
      }
    }
    return new PortfolioSeries(portfolioId, days, mm, im, usd, stressed);
  }

  public int size() {
    return epochDays.length;
  }

  public LocalDate date(int i) {
    return LocalDate.ofEpochDay(epochDays[i]);
  }
}
