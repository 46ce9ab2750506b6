package io.riskgrid.margin;

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
    return worst(losses, m, new int[losses.length]);
  }

  /**
   * As {@link #worst(double[], int)}, with {@code scratch} (at least {@code losses.length} long) for the
   * candidates: {@link #candidates} keeps, in index order, a few more indices than the tail (every loss
   * at or above a sampled bound, which the threshold is not below); one pass over those keeps the ones
   * at or above the threshold, and the choice among them (every one above, the lowest-index ties) reads
   * only those. Neither pass reads the whole vector again.
   */
  static int[] worst(double[] losses, int m, int[] scratch) {
    int n = losses.length;
    if (m < 1 || m > n) {
      throw new IllegalArgumentException("tail of " + m + " out of " + n + " losses");
    }
    int count = candidates(losses, m, scratch);
    double threshold = mthLargest(losses, scratch, count, m);
    int candidates = 0;
    int above = 0;
    // In place: the kept entries move down the scratch, never past the one being read.
    for (int c = 0; c < count; c++) {
      int j = scratch[c];
      double loss = losses[j];
      if (loss > threshold) {
        scratch[candidates++] = j;
        above++;
      } else if (loss == threshold) {
        scratch[candidates++] = j;
      }
    }
    int[] tail = new int[m];
    int k = 0;
    int ties = m - above;
    for (int c = 0; c < candidates; c++) {
      int j = scratch[c];
      if (losses[j] > threshold) {
        tail[k++] = j;
      } else if (ties > 0) {
        tail[k++] = j;
        ties--;
      }
    }
    return tail;
  }

  /** Sample every this many values for a first bound on the m-th largest. */
  private static final int STRIDE = 8;

  /** The m-th largest of {@code values} counting repeats, in {@link Double#compare} order; see the three-argument form. */
  static double mthLargest(double[] values, int m) {
    return mthLargest(values, m, new int[values.length]);
  }

  /**
   * The m-th largest of {@code values} counting repeats, in {@link Double#compare} order (the element
   * {@code Arrays.sort} would put at n − m), with {@code scratch} (at least {@code values.length} long).
   *
   * <p>At 3,063 windows and m = 77 the answer is among the largest few percent, so a bound t is read
   * first from every {@link #STRIDE}th value (the k-th largest of them, k chosen so that about 1.5·m values
   * reach it), then one pass keeps the indices of the values ≥ t and a heap picks the m-th
   * largest among those. Exact whatever t is: the values ≥ t are every value above the ones left out, so
   * when there are at least m of them the m-th largest is among them; with fewer (a vector whose sample
   * misleads), or a NaN anywhere (≥ never holds for it, yet Double.compare puts it above all), the heap
   * runs over all values, as it always did.
   */
  static double mthLargest(double[] values, int m, int[] scratch) {
    return mthLargest(values, scratch, candidates(values, m, scratch), m);
  }

  /**
   * Fills {@code scratch} with the indices whose values can be among the m largest, in index order, and
   * returns how many: those at or above the sampled bound of {@link #mthLargest(double[], int, int[])}
   * when at least m reach it and no value is NaN, else every index. Every value at or above the m-th
   * largest (numerically, so −0.0 beside a threshold of +0.0 too) is among them.
   */
  private static int candidates(double[] values, int m, int[] scratch) {
    int n = values.length;
    int k = (3 * m) / (2 * STRIDE) + 2;
    if (n >= 4 * STRIDE * k) {
      int sampled = 0;
      for (int j = 0; j < n; j += STRIDE) {
        scratch[sampled++] = j;
      }
      double bound = mthLargest(values, scratch, sampled, k);
      int candidates = 0;
      boolean nan = bound != bound;
      for (int j = 0; j < n; j++) {
        double v = values[j];
        if (v >= bound) {
          scratch[candidates++] = j;
        }
        nan |= v != v;
      }
      if (!nan && candidates >= m) {
        return candidates;
      }
    }
    for (int j = 0; j < n; j++) {
      scratch[j] = j;
    }
    return n;
  }

  /**
   * The m-th largest of {@code values[indices[0..count)]}, in {@link Double#compare} order: a min-heap of
   * the m largest seen so far, so nearly every value is one comparison with the heap's top.
   */
  private static double mthLargest(double[] values, int[] indices, int count, int m) {
    double[] heap = new double[m];
    int size = 0;
    for (int c = 0; c < count; c++) {
      double v = values[indices[c]];
      if (size < m) {
        int i = size++;
        heap[i] = v;
        while (i > 0) {
          int parent = (i - 1) >>> 1;
          if (Double.compare(heap[parent], heap[i]) <= 0) {
            break;
          }
          double t = heap[parent];
          heap[parent] = heap[i];
          heap[i] = t;
          i = parent;
        }
      } else if (Double.compare(v, heap[0]) > 0) {
        heap[0] = v;
        int i = 0;
        while (true) {
          int smallest = i;
          int left = 2 * i + 1;
          int right = left + 1;
          if (left < m && Double.compare(heap[left], heap[smallest]) < 0) {
            smallest = left;
          }
          if (right < m && Double.compare(heap[right], heap[smallest]) < 0) {
            smallest = right;
          }
          if (smallest == i) {
            break;
          }
          double t = heap[smallest];
          heap[smallest] = heap[i];
          heap[i] = t;
          i = smallest;
        }
      }
    }
    return heap[0];
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
