package io.riskgrid.backtest;

/**
 * Published reference values the tests check against, with where they come from.
 *
 * <p>MathWorks, Risk Management Toolbox, {@code varbacktest} documentation: the worked example
 * {@code vbt = varbacktest(EquityIndex, Normal95)} on {@code VaRBacktestData} (1043 observations,
 * VaR level 0.95, 57 failures):
 * <ul>
 *   <li>https://www.mathworks.com/help/risk/varbacktest.pof.html : LRatioPOF 0.46147, PValuePOF 0.49694;</li>
 *   <li>https://www.mathworks.com/help/risk/varbacktest.cci.html : N00 932, N10 53, N01 53, N11 4,
 *       LRatioCCI 0.25866, PValueCCI 0.61104;</li>
 *   <li>https://www.mathworks.com/help/risk/varbacktest.cc.html : LRatioCC 0.72013, PValueCC 0.69763;</li>
 *   <li>https://www.mathworks.com/help/risk/varbacktest.tl.html : TL green, Probability 0.77913.</li>
 * </ul>
 * Values are printed to 5 significant decimals, so they are matched to half a unit in the last
 * place.
 *
 * <p>Basel Committee on Banking Supervision, "Supervisory framework for the use of 'backtesting'
 * in conjunction with the internal models approach to market risk capital requirements" (January
 * 1996), Table 2: 250 observations at 99% coverage; cumulative probability 89.22% at 4 exceptions
 * (green), 95.88% at 5 (yellow), 99.97% at 9 (yellow), 99.99% at 10 (red). The 5-decimal values
 * 0.99975 and 0.99995 are those of Bin(250, 0.01) itself.
 */
final class Sources {

  static final long MATLAB_OBSERVATIONS = 1043;
  static final long MATLAB_FAILURES = 57;
  static final double MATLAB_P = 0.05;
  static final TransitionCounts MATLAB_TRANSITIONS = TransitionCounts.of(932, 53, 53, 4);

  static final double MATLAB_POF_LR = 0.46147;
  static final double MATLAB_POF_P = 0.49694;
  static final double MATLAB_CCI_LR = 0.25866;
  static final double MATLAB_CCI_P = 0.61104;
  static final double MATLAB_CC_LR = 0.72013;
  static final double MATLAB_CC_P = 0.69763;
  static final double MATLAB_TL_PROBABILITY = 0.77913;

  /** Half a unit in the 5th decimal: what "matches the published 5 decimals" means. */
  static final double FIVE_DECIMALS = 0.5e-5;

  private Sources() {
  }

  /**
   * A breach sequence with exactly the MATLAB example's counts: 1043 days, 57 breaches, and
   * transitions N00 = 932, N01 = 53, N10 = 53, N11 = 4. It has 53 breach runs (49 single days and
   * 4 pairs) between 54 quiet stretches, starting and ending quiet, so that the quiet → quiet
   * count is 986 quiet days − 54 stretches = 932. (The real data set is not public; only its
   * counts matter to these statistics, apart from the order, which is not published.)
   */
  static boolean[] matlabLikeSequence() {
    boolean[] breaches = new boolean[(int) MATLAB_OBSERVATIONS];
    int quietDays = (int) (MATLAB_OBSERVATIONS - MATLAB_FAILURES);
    int runs = 53;
    int stretches = runs + 1;
    int day = 0;
    for (int run = 0; run <= runs; run++) {
      int stretch = quietDays / stretches + (run == runs ? quietDays % stretches : 0);
      day += stretch;
      if (run < runs) {
        int length = run < 4 ? 2 : 1;
        for (int k = 0; k < length; k++) {
          breaches[day++] = true;
        }
      }
    }
    if (day != breaches.length) {
      throw new IllegalStateException("sequence construction ends at day " + day);
    }
    return breaches;
  }
}
