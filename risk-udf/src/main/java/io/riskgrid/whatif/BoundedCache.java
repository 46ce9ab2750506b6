package io.riskgrid.whatif;

import java.util.LinkedHashMap;
import java.util.Map;

/** A least-recently-used map that keeps at most {@code capacity} entries. Not thread-safe. */
final class BoundedCache<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;
  private final int capacity;

  BoundedCache(int capacity) {
    super(Math.min(capacity, 1024), 0.75f, true);
    this.capacity = capacity;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > capacity;
  }
}
