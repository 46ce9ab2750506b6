package io.riskgrid.jobs.input;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Driver-side work over many small inputs (file footers, one query plan per file) done on a few threads:
 * results in input order, the first failure rethrown as it was. Reads of an object store and Spark's
 * planning both wait or work per item, so a handful of threads cuts the fixed cost of a run's input
 * planning without touching the executors.
 */
final class Concurrently {
  /** Threads at most: enough to hide per-file latency, few enough not to crowd the driver. */
  static final int THREADS = 8;

  private Concurrently() {}

  /** A fixed pool of {@code threads} daemon threads named {@code name}: a driver's side work never holds the JVM open. */
  static ExecutorService daemonPool(int threads, String name) {
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  static <T, R> List<R> map(List<T> items, Function<T, R> work) {
    if (items.size() <= 1) {
      List<R> out = new ArrayList<>(items.size());
      items.forEach(i -> out.add(work.apply(i)));
      return out;
    }
    ExecutorService pool = daemonPool(Math.min(THREADS, items.size()), "riskgrid-input-planning");
    try {
      List<Future<R>> pending = new ArrayList<>(items.size());
      for (T item : items) {
        pending.add(pool.submit(() -> work.apply(item)));
      }
      List<R> out = new ArrayList<>(items.size());
      for (Future<R> f : pending) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while planning the inputs", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
