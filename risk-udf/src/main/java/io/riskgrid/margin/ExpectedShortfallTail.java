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
   * candidates: one pass over the losses keeps those at or above the threshold, in index order, and the
   * choice among them (every one above, the lowest-index ties) reads only those.
   */
  static int[] worst(double[] losses, int m, int[] scratch) {
    int n = losses.length;
    if (m < 1 || m > n) {
      throw new IllegalArgumentException("tail of " + m + " out of " + n + " losses");
    }
    double threshold = mthLargest(losses, m);
    int candidates = 0;
    int above = 0;
    for (int j = 0; j < n; j++) {
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

  /**
   * The m-th largest of {@code values} counting repeats, in {@link Double#compare} order (the element
   * {@code Arrays.sort} would put at n − m): a min-heap of the m largest seen so far. At 3,063 windows and
   * m = 77 nearly every value is one comparison with the heap's top, where a sort of the whole vector made
   * the tail the costliest step of an ES margin.
   */
  static double mthLargest(double[] values, int m) {
    double[] heap = new double[m];
    int size = 0;
    for (double v : values) {
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
