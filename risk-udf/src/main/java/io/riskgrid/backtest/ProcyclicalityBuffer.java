package io.riskgrid.backtest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The anti-procyclicality margin buffer of DESIGN §7.7 (EMIR-style), applied to a required margin series R_t: the
 * posted margin P_t carries a buffer of up to b·R_t in calm days, and a rise of R is paid from the buffer first.
 *
 * <p>{@code P_first = R_first·(1 + b)} and {@code P_t = min(R_t·(1 + b), max(R_t, P_{t−1}))} on the next date of the
 * series: the posted margin stays where it was while it lies within [R_t, R_t·(1 + b)], rises only when R_t
 * overtakes it (the buffer is used up) and falls only as far as R_t·(1 + b) (the buffer is rebuilt as R falls).
 * So P ≥ R always, and a step of R from R to R·(1 + x) starting with a full buffer moves P by
 * (1 + x)/(1 + b) − 1 instead of x. Amounts keep the series' unit.
 */
public final class ProcyclicalityBuffer {

  private ProcyclicalityBuffer() {
  }

  /**
   * The posted margin series.
   *
   * @param required R_t, the margin the model requires
   * @param buffer   b ≥ 0, e.g. 0.25 (EMIR's 25%); 0 gives P = R
   * @return P_t on the same dates
   */
  public static MarginSeries posted(MarginSeries required, double buffer) {
    if (!(buffer >= 0) || Double.isInfinite(buffer)) {
      throw new IllegalArgumentException("buffer b must be finite and >= 0, got " + buffer);
    }
    List<LocalDate> dates = new ArrayList<>(required.size());
    double[] posted = new double[required.size()];
    for (int i = 0; i < required.size(); i++) {
      double r = required.value(i);
      posted[i] = i == 0 ? r * (1 + buffer) : Math.min(r * (1 + buffer), Math.max(r, posted[i - 1]));
      dates.add(required.date(i));
    }
    return MarginSeries.of(dates, posted);
  }

  /**
   * What the buffer costs: the mean posted margin over the mean required margin, minus 1, on the same dates.
   *
   * @param required R_t
   * @param posted   P_t on the same dates
   * @return Σ P / Σ R − 1, ≥ 0 for a buffer
   */
  public static double marginCost(MarginSeries required, MarginSeries posted) {
    if (required.size() != posted.size()) {
      throw new IllegalArgumentException("posted and required margins on different dates: " + posted.size()
          + " and " + required.size() + " dates");
    }
    double sumRequired = 0;
    double sumPosted = 0;
    for (int i = 0; i < required.size(); i++) {
      if (!required.date(i).equals(posted.date(i))) {
        throw new IllegalArgumentException("posted margin on " + posted.date(i) + " where required is on "
            + required.date(i));
      }
      sumRequired += required.value(i);
      sumPosted += posted.value(i);
    }
    return sumPosted / sumRequired - 1;
  }
}
