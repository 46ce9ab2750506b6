package io.riskgrid.jobs.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Driver-side work over many small items (file footers, one query plan per file, a run's small output
 * tables) done on a few threads: results in input order, the first failure rethrown as it was. Reads of
 * an object store, Spark's planning and a small Delta commit all mostly wait or work on the driver per
 * item, so a handful of threads cuts a run's fixed costs without touching the executors.
 */
public final class Concurrently {
  /** Threads at most: enough to hide per-file latency, few enough not to crowd the driver. */
  static final int THREADS = 8;

  private Concurrently() {}

  /** A fixed pool of {@code threads} daemon threads named {@code name}: a driver's side work never holds the JVM open. */
  public static ExecutorService daemonPool(int threads, String name) {
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** {@code work} of every item, on up to {@value #THREADS} threads; the results in {@code items}' order. */
  public static <T, R> List<R> map(List<T> items, Function<T, R> work) {
    return map("riskgrid-input-planning", items, work);
  }

  /** As {@link #map(List, Function)}, on threads named {@code name}. */
  public static <T, R> List<R> map(String name, List<T> items, Function<T, R> work) {
    if (items.size() <= 1) {
      List<R> out = new ArrayList<>(items.size());
      items.forEach(i -> out.add(work.apply(i)));
      return out;
    }
    ExecutorService pool = daemonPool(Math.min(THREADS, items.size()), name);
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
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    } catch (ExecutionException e) {
      rethrow(e.getCause());
      throw new AssertionError("unreachable");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Every step, on a thread each (up to {@value #THREADS}) named {@code name}; returns when all have
   * ended. Each step runs to its end whatever the others do (each writes its own table, and none should
   * be cut short by another's failure); then the first failure in {@code steps}' order is rethrown as it
   * was, and any later one is added to it as suppressed.
   */
  public static void run(String name, List<Runnable> steps) {
    ExecutorService pool = daemonPool(Math.max(1, Math.min(THREADS, steps.size())), name);
    try {
      List<Future<?>> pending = new ArrayList<>(steps.size());
      for (Runnable step : steps) {
        pending.add(pool.submit(step));
      }
      awaitAll(pending, name);
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Waits for every task of {@code pending}, whatever the others do; then the first failure in its order
   * is rethrown as it was, and any later one is added to it as suppressed.
   */
  static void awaitAll(List<? extends Future<?>> pending, String name) {
    Throwable first = null;
    for (Future<?> f : pending) {
      Throwable failed = outcome(f, name);
      if (failed != null && first == null) {
        first = failed;
      } else if (failed != null) {
        first.addSuppressed(failed);
      }
    }
    if (first != null) {
      rethrow(first);
    }
  }

  private static Throwable outcome(Future<?> f, String name) {
    try {
      f.get();
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private static void rethrow(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(cause);
  }
}
