package io.riskgrid.margin;

import java.util.Arrays;

/**
 * The tail of a loss vector that expected shortfall averages (DESIGN §7.6): the indices of the {@code m}
 * largest losses, in index order, with ties at the m-th largest broken by the lower index so the result is
 * one set whatever the sort; their mean; and the worst index. Primitive arrays only: it runs once per
 * account over thousands of scenarios.
 */
final class ExpectedShortfallTail {
  private ExpectedShortfallTail() {}

  /** Indices of the {@code m} largest entries of {@code losses}, in index order (lower index first on a tie). */
  static int[] worst(double[] losses, int m) {
    int n = losses.length;
    if (m < 1 || m > n) {
      throw new IllegalArgumentException("tail of " + m + " out of " + n + " losses");
    }
    double[] sorted = losses.clone();
    Arrays.sort(sorted);
    double threshold = sorted[n - m];
    int above = 0;
    for (double loss : losses) {
      if (loss > threshold) {
        above++;
      }
    }
    int[] tail = new int[m];
    int k = 0;
    int ties = m - above;
    for (int j = 0; j < n; j++) {
      if (losses[j] > threshold) {
        tail[k++] = j;
      } else if (losses[j] == threshold && ties > 0) {
        tail[k++] = j;
        ties--;
      }
    }
    return tail;
  }

  /** The mean of {@code losses} over {@code tail}. */
  static double mean(double[] losses, int[] tail) {
    double sum = 0;
    for (int j : tail) {
      sum += losses[j];
    }
    return sum / tail.length;
  }

  /** The index of the largest loss among {@code tail} (the lowest such index on a tie). */
  static int largest(double[] losses, int[] tail) {
    int best = tail[0];
    for (int j : tail) {
      if (losses[j] > losses[best]) {
        best = j;
      }
    }
    return best;
  }
}
