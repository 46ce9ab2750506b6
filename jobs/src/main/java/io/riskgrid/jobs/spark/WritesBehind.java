package io.riskgrid.jobs.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Table writes that a job's next stages do not read, done one after another on a background driver
 * thread while the job goes on. A small Delta commit is mostly driver work and waiting (the log, the
 * {@code replaceWhere} scan, a few one-task jobs): 1.4 to 3 s each in a warm stress run at 1M accounts,
 * against an exchange-wide pass that keeps every core busy. Behind that pass the commit costs little;
 * in front of it the whole of it is on the job's path. Under Spark's FIFO scheduling a write's tasks
 * wait for the running pass's tasks to be launched, and then take a core its last tasks leave idle.
 *
 * <p>Writes run in submission order. {@link #await} waits for all of them and rethrows the first failure
 * as it was; {@link #close} (also on a job's error path) waits for those still running, so that no write
 * outlives the job. The thread inherits the job thread's Spark session and local properties.
 */
public final class WritesBehind implements AutoCloseable {
  private final String name;
  private final ExecutorService thread;
  private final List<Future<?>> pending = new ArrayList<>();

  /** Writes on one daemon thread named {@code name}. */
  public WritesBehind(String name) {
    this.name = name;
    this.thread = Concurrently.daemonPool(1, name);
  }

  /** Starts {@code write} after those submitted before it. */
  public void submit(Runnable write) {
    pending.add(thread.submit(write));
  }

  /** Waits for every write submitted; the first failure (in submission order) is rethrown as it was. */
  public void await() {
    try {
      Concurrently.awaitAll(pending, name);
    } finally {
      pending.clear();
    }
  }

  /** Lets the writes still running finish (their failures are the job's own error path's concern) and stops the thread. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      while (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
        // A Delta commit can take minutes on a slow store; the job does not return before it ends.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
