package io.riskgrid.market.fit;

import java.util.Random;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * The raw SVI slice with the smallest RMSE in vol itself (not the fit's weighted total-variance
 * objective), searched by Nelder–Mead from many random starts in the reparameterisation of DESIGN
 * §3.1 (b = e^x, ρ = tanh y, σ = e^z, minimum total variance ≥ 0 by penalty). A search, so an upper
 * bound on the best achievable RMSE that is tight in practice; used to tell "raw SVI cannot follow
 * this smile" from "the fitter missed".
 */
final class RmseOptimalSvi {
  private RmseOptimalSvi() {}

  static double bestRmse(double[] k, double[] iv, double tau, int starts, long seed) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double minVariance = Double.POSITIVE_INFINITY;
    for (int i = 0; i < k.length; i++) {
      lo = Math.min(lo, k[i]);
      hi = Math.max(hi, k[i]);
      minVariance = Math.min(minVariance, iv[i] * iv[i] * tau);
    }
    Random random = new Random(seed);
    double best = Double.POSITIVE_INFINITY;
    ObjectiveFunction f = new ObjectiveFunction(x -> rmse(x, k, iv, tau));
    for (int s = 0; s < starts; s++) {
      double m = lo + (hi - lo) * random.nextDouble();
      double sigma = Math.exp(Math.log(0.005) + Math.log(200) * random.nextDouble());
      double rho = -0.95 + 1.9 * random.nextDouble();
      double b = minVariance * Math.exp(Math.log(0.1) + Math.log(1000) * random.nextDouble()) / Math.max(sigma, 0.05);
      double a = minVariance - b * sigma * Math.sqrt(1 - rho * rho);
      double[] start = {a, Math.log(b), atanh(rho), m, Math.log(sigma)};
      try {
        PointValuePair p = new SimplexOptimizer(1e-14, 1e-16).optimize(new MaxEval(6000), f, GoalType.MINIMIZE,
            new InitialGuess(start), new NelderMeadSimplex(new double[] {0.1 * minVariance, 0.5, 0.5, 0.1, 0.5}));
        best = Math.min(best, p.getValue());
      } catch (TooManyEvaluationsException e) {
        // this start wandered; others decide
      }
    }
    return best;
  }

  private static double rmse(double[] x, double[] k, double[] iv, double tau) {
    double a = x[0];
    double b = Math.exp(x[1]);
    double rho = Math.tanh(x[2]);
    double m = x[3];
    double sigma = Math.exp(x[4]);
    double minimum = a + b * sigma * Math.sqrt(1 - rho * rho);
    double sum = 0;
    for (int i = 0; i < k.length; i++) {
      double d = k[i] - m;
      double w = a + b * (rho * d + Math.sqrt(d * d + sigma * sigma));
      double e = Math.sqrt(Math.max(w, 0) / tau) - iv[i];
      sum += e * e;
    }
    double value = Math.sqrt(sum / k.length);
    return minimum >= 0 ? value : value + 1 - minimum;
  }

  private static double atanh(double x) {
    return 0.5 * Math.log((1 + x) / (1 - x));
  }
}
