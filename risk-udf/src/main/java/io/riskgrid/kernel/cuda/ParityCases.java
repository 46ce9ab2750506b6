package io.riskgrid.kernel.cuda;

import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import java.util.SplittableRandom;

/**
 * Random inputs for kernel parity checks, shared by {@link GpuCheck} (on GPU hosts, without JUnit)
 * and the unit tests, and the agreement rule of DESIGN §2: 1e-10 relative, with an absolute floor
 * of 1e-10 × notional (the forward, for one option on one coin).
 */
final class ParityCases {
  /** DESIGN §2: kernels agree to 1e-10 relative. */
  static final double AGREEMENT = 1e-10;
  private static final double HOUR = 1.0 / (365 * 24);

  private ParityCases() {}

  /**
   * Option cells mixing the regions where kernels part ways: ordinary options; deep out of the
   * money (|ln K/F| up to 6, prices down to the subnormal range); near expiry (seconds to an hour);
   * expired (tau = 0 and tau < 0); zero vol; exactly at the money; very high vol. The discount is
   * e^{-r·max(tau, 0)}, as ValuedBookBuilder sets it.
   */
  static OptionCells cells(long seed, int n) {
    SplittableRandom rnd = new SplittableRandom(seed);
    OptionCells c = OptionCells.allocate(n);
    for (int i = 0; i < n; i++) {
      double f = Math.exp(rnd.nextDouble(Math.log(0.5), Math.log(200_000)));
      double k = f * Math.exp(rnd.nextDouble(-1, 1));
      double tau = rnd.nextDouble(HOUR, 2.0);
      double vol = rnd.nextDouble(0.05, 2.0);
      int region = rnd.nextInt(100);
      if (region < 15) { // deep out or in the money
        k = f * Math.exp((rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble(1.5, 6.0));
        vol = rnd.nextDouble(0.05, 1.0);
        tau = rnd.nextDouble(HOUR, 0.5);
      } else if (region < 30) { // near expiry
        tau = Math.exp(rnd.nextDouble(Math.log(1e-9), Math.log(HOUR)));
        k = f * Math.exp(rnd.nextDouble(-0.05, 0.05));
      } else if (region < 38) {
        tau = 0.0;
      } else if (region < 40) {
        tau = -rnd.nextDouble(0, 0.01);
      } else if (region < 45) {
        vol = 0.0;
      } else if (region < 50) {
        k = f;
      } else if (region < 55) {
        vol = rnd.nextDouble(3, 5);
        tau = rnd.nextDouble(1, 5);
      }
      double rate = rnd.nextDouble(0, 0.1);
      c.forward()[i] = f;
      c.strike()[i] = k;
      c.tau()[i] = tau;
      c.vol()[i] = vol;
      c.discount()[i] = Math.exp(-rate * Math.max(tau, 0.0));
      c.isCall()[i] = rnd.nextBoolean();
    }
    return c;
  }

  /** True when a and b agree (DESIGN §2) for an option on a forward of {@code notional}. */
  static boolean agree(double a, double b, double notional) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b);
    }
    return Math.abs(a - b) <= AGREEMENT * Math.max(Math.abs(a), Math.abs(b)) + AGREEMENT * notional;
  }

  /**
   * True when Greek {@code greek} (0 price, 1 delta, 2 gamma, 3 vega, 4 theta, as {@code
   * RiskKernel#black76Greeks} orders them) agrees for an option on a forward F: 1e-10 relative, with
   * the floor 1e-10 × the Greek's own scale for one option on one coin (F for price, vega and theta,
   * 1 for delta, 1/F for gamma), so that each floor is 1e-10 × F in price units.
   */
  static boolean agreeGreek(int greek, double a, double b, double forward) {
    double scale = switch (greek) {
      case 1 -> 1.0;
      case 2 -> 1.0 / forward;
      default -> forward;
    };
    return agree(a, b, scale);
  }

  /**
   * Cells whose Greeks must agree to 1e-10 relative with no absolute floor: deep out of the money
   * (about 1e-17 of F, not underflowing) and one hour from expiry near and 10% out of the money.
   */
  static OptionCells edgeGreekCells() {
    double hour = HOUR;
    double[][] rows = { // call (1/0), F, K, tau, vol
        {1, 100, 1_000, 0.1, 0.5}, {0, 1_000, 100, 0.1, 0.5}, {1, 60_000, 1_000_000, 0.25, 0.8},
        {0, 60_000, 60_010, hour, 0.6}, {1, 60_000, 66_000, hour, 0.6}, {0, 3_000, 2_700, hour, 0.9},
        {1, 94_000, 94_000, hour, 0.45}};
    OptionCells c = OptionCells.allocate(rows.length);
    for (int i = 0; i < rows.length; i++) {
      c.isCall()[i] = rows[i][0] == 1;
      c.forward()[i] = rows[i][1];
      c.strike()[i] = rows[i][2];
      c.tau()[i] = rows[i][3];
      c.vol()[i] = rows[i][4];
      c.discount()[i] = Math.exp(-0.03 * rows[i][3]);
    }
    return c;
  }

  /** Names of the Greeks in {@code RiskKernel#black76Greeks} order, for messages. */
  static final String[] GREEKS = {"price", "delta", "gamma", "vega", "theta"};

  /** A P&L matrix over {@code underlyings} with the given scenario counts, random instruments and P&L in ±notional. */
  static PnlMatrix matrix(long seed, int instruments, int[] scenarioCount) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] underlying = new int[instruments];
    for (int i = 0; i < instruments; i++) {
      underlying[i] = rnd.nextInt(scenarioCount.length);
    }
    PnlMatrix m = new PnlMatrix(underlying, scenarioCount);
    double[] v = m.values();
    for (int i = 0; i < instruments; i++) {
      double scale = Math.exp(rnd.nextDouble(Math.log(1e-3), Math.log(1e5)));
      for (int s = 0; s < m.rowLength(i); s++) {
        v[m.rowStart(i) + s] = scale * rnd.nextDouble(-1, 1);
      }
    }
    return m;
  }

  /** Accounts with 0 to {@code 2·meanPositions} positions each (some empty, a few very large), quantities in ±50. */
  static PositionBatch batch(long seed, int accounts, int meanPositions, int instruments) {
    SplittableRandom rnd = new SplittableRandom(seed);
    PositionBatch b = new PositionBatch(accounts, accounts * meanPositions);
    for (int a = 0; a < accounts; a++) {
      int positions = a % 997 == 1 ? 50 * meanPositions : rnd.nextInt(0, 2 * meanPositions + 1);
      for (int p = 0; p < positions; p++) {
        b.addPosition(rnd.nextInt(instruments), rnd.nextDouble(-50, 50));
      }
      b.endAccount();
    }
    return b;
  }
}
