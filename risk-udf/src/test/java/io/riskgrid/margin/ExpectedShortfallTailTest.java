package io.riskgrid.margin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ES tail's m-th largest loss, found with a bounded heap, is the element a full sort puts at n − m,
 * bit for bit, on random vectors with many ties, signed zeros and NaN; and the tail's indices equal those
 * of a slow reference that sorts (index, loss) pairs.
 */
class ExpectedShortfallTailTest {
  private static final double[] ODD = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, Double.MIN_VALUE};

  @Test
  void theHeapFindsTheValueASortPutsAtNMinusM() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 3000; trial++) {
      double[] losses = randomLosses(rnd);
      int m = 1 + rnd.nextInt(losses.length);
      double[] sorted = losses.clone();
      Arrays.sort(sorted);
      assertEquals(Double.doubleToRawLongBits(sorted[losses.length - m]),
          Double.doubleToRawLongBits(ExpectedShortfallTail.mthLargest(losses, m)), "trial " + trial + ", m " + m);
    }
  }

  /**
   * A short tail of a long vector (the ES case: m about n/40) takes the sampled bound; its answer is the
   * sort's on random vectors and on ones built to mislead the sample: the sampled places holding the
   * largest values (too few values reach the bound, so the heap runs over all), ramps either way, a
   * plateau of ties across the bound, signed zeros at the bound, and a NaN anywhere.
   */
  @Test
  void aShortTailOfALongVectorGivesTheSortsValue() {
    Random rnd = new Random(13);
    for (int trial = 0; trial < 3000; trial++) {
      int n = 512 + rnd.nextInt(3000);
      int m = 1 + rnd.nextInt(Math.max(1, n / 25));
      double[] losses = new double[n];
      int shape = trial % 7;
      for (int j = 0; j < n; j++) {
        losses[j] = switch (shape) {
          case 0 -> rnd.nextGaussian() * 1e4;
          case 1 -> j % 8 == 0 ? 1e6 + rnd.nextGaussian() : rnd.nextGaussian();
          case 2 -> j;
          case 3 -> -j;
          case 4 -> rnd.nextInt(50) == 0 ? 7.0 : rnd.nextInt(3);
          case 5 -> rnd.nextBoolean() ? 0.0 : rnd.nextBoolean() ? -0.0 : -rnd.nextDouble();
          default -> rnd.nextGaussian();
        };
      }
      if (shape == 6) {
        losses[rnd.nextInt(n)] = Double.NaN;
      }
      double[] sorted = losses.clone();
      Arrays.sort(sorted);
      assertEquals(Double.doubleToRawLongBits(sorted[n - m]),
          Double.doubleToRawLongBits(ExpectedShortfallTail.mthLargest(losses, m)), "trial " + trial + ", m " + m);
      if (shape != 6) {
        assertArrayEquals(reference(losses, m), ExpectedShortfallTail.worst(losses, m), "trial " + trial + ", m " + m);
      }
    }
  }

  @Test
  void theTailIsTheMLargestWithTiesToTheLowerIndex() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 3000; trial++) {
      double[] losses = randomLosses(rnd);
      for (int k = 0; k < losses.length; k++) {
        if (Double.isNaN(losses[k])) {
          losses[k] = 0.0; // losses reaching the rules are finite figures
        }
      }
      int m = 1 + rnd.nextInt(losses.length);
      assertArrayEquals(reference(losses, m), ExpectedShortfallTail.worst(losses, m), "trial " + trial + ", m " + m);
      // A scratch reused from a longer vector, still holding its indices, gives the same tail.
      int[] used = new int[3200];
      Arrays.fill(used, 7);
      assertArrayEquals(reference(losses, m), ExpectedShortfallTail.worst(losses, m, used), "reused scratch, trial " + trial);
    }
    assertArrayEquals(new int[] {3061, 3062}, ExpectedShortfallTail.worst(ramp(3063), 2));
    assertThrows(IllegalArgumentException.class, () -> ExpectedShortfallTail.worst(new double[3], 4));
    assertThrows(IllegalArgumentException.class, () -> ExpectedShortfallTail.worst(new double[3], 0));
  }

  /** Sort the indices by loss, largest first, lower index first on equal losses; keep m; back in index order. */
  private static int[] reference(double[] losses, int m) {
    Integer[] order = new Integer[losses.length];
    for (int j = 0; j < order.length; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> losses[a] == losses[b] ? Integer.compare(a, b) : Double.compare(losses[b], losses[a]));
    int[] tail = new int[m];
    for (int k = 0; k < m; k++) {
      tail[k] = order[k];
    }
    Arrays.sort(tail);
    return tail;
  }

  private static double[] randomLosses(Random rnd) {
    int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 3100);
    double[] losses = new double[n];
    int levels = 1 + rnd.nextInt(12);
    for (int j = 0; j < n; j++) {
      int kind = rnd.nextInt(10);
      losses[j] = kind == 0 ? ODD[rnd.nextInt(ODD.length)] : kind < 4 ? rnd.nextInt(levels) * 0.5 : rnd.nextGaussian() * 1e4;
    }
    return losses;
  }

  private static double[] ramp(int n) {
    double[] x = new double[n];
    for (int j = 0; j < n; j++) {
      x[j] = j;
    }
    return x;
  }
}
