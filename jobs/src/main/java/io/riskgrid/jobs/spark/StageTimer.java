package io.riskgrid.jobs.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Times a job's named stages, so that a job's {@code run} reads as its steps: each stage's wall time
 * goes into the run's {@code runs.timings} under the stage's name, and a progress line goes to stderr as
 * the stage ends. While a stage runs longer than the progress interval, a line every interval says how
 * long it has run and how many rows its finished Spark tasks wrote, at what rate (for the margin pass
 * the rows are the accounts' margins rows): long jobs report progress also without a terminal, as under
 * {@code spark-submit} or CI. One per run, on the driver.
 *
 * <p>Progress is on unless the system property {@code riskgrid.progress} or the environment variable
 * {@code RISKGRID_PROGRESS} is {@code off} (the build's tests set it); the interval is 10 s, 2 s on an
 * interactive terminal.
 */
public final class StageTimer {
  private static final long TERMINAL_INTERVAL_MILLIS = 2_000;
  private static final long LOG_INTERVAL_MILLIS = 10_000;
  private final RunRecord run;
  private final PrintStream progress;
  private final long intervalMillis;
  private final long startedNanos = System.nanoTime();

  StageTimer(RunRecord run, PrintStream progress, long intervalMillis) {
    if (intervalMillis <= 0) {
      throw new IllegalArgumentException("progress interval must be positive, got " + intervalMillis + " ms");
    }
    this.run = run;
    this.progress = progress;
    this.intervalMillis = intervalMillis;
  }

  /** A timer for {@code run}, starting now, printing progress unless it is switched off. */
  public static StageTimer of(RunRecord run) {
    String setting = System.getProperty("riskgrid.progress", System.getenv().getOrDefault("RISKGRID_PROGRESS", "on"));
    boolean on = !"off".equalsIgnoreCase(setting.trim());
    return new StageTimer(run, on ? System.err : null,
        System.console() != null ? TERMINAL_INTERVAL_MILLIS : LOG_INTERVAL_MILLIS);
  }

  /**
   * What a stage's tasks count as they go, for its progress lines when rows written say nothing (a pass
   * that only sums, like stress or backtest): an accumulator the tasks add to per unit done
   * ({@code unit}, e.g. "accounts"), and the units expected, or 0 when unknown.
   */
  public record Work(LongAccumulator done, long expected, String unit) implements java.io.Serializable {
    public Work {
      if (expected < 0) {
        throw new IllegalArgumentException("expected " + unit + " must be 0 (unknown) or more, got " + expected);
      }
    }

    /** A counter named after the stage's unit on {@code spark}'s context. */
    public static Work of(SparkSession spark, long expected, String unit) {
      return new Work(spark.sparkContext().longAccumulator("riskgrid " + unit + " done"), expected, unit);
    }
  }

  /** Runs the stage {@code stage}, records its time, and returns what it made. */
  public <T> T time(String stage, Supplier<T> body) {
    return time(stage, null, body);
  }

  /**
   * As {@link #time(String, Supplier)}; while it runs, progress lines count {@code work}'s units done (as
   * far as finished tasks reported them) and their rate instead of rows written.
   */
  public <T> T time(String stage, Work work, Supplier<T> body) {
    long started = System.nanoTime();
    Ticker ticker = progress == null ? null : new Ticker(stage, started, work);
    T made;
    try {
      made = body.get();
    } finally {
      if (ticker != null) {
        ticker.close();
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    run.timing(stage, millis);
    print(String.format(Locale.ROOT, "%-20s %8.2f s", stage, millis / 1000.0));
    return made;
  }

  /** Runs the stage {@code stage} and records its time. */
  public void time(String stage, Runnable body) {
    time(stage, () -> {
      body.run();
      return null;
    });
  }

  /** Milliseconds since the timer started. */
  public long elapsedMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** The closing progress line: how many accounts the run did, in how long, at what rate. */
  public void done(long accounts) {
    double seconds = Math.max(elapsedMillis(), 1) / 1000.0;
    print(String.format(Locale.ROOT, "%,d accounts in %.2f s, %,.0f accounts/s", accounts, seconds, accounts / seconds));
  }

  private void print(String line) {
    if (progress != null) {
      progress.println("riskgrid " + run.command() + (run.asOfDate() == null ? "" : " " + run.asOfDate()) + ": " + line);
    }
  }

  /**
   * While one stage runs: counts the rows written and the tasks finished by Spark tasks that end (a
   * listener on the active Spark context, if any) and prints them every interval.
   */
  private final class Ticker {
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicInteger tasksDone = new AtomicInteger();
    private final SparkContext context;
    private final SparkListener listener;
    private final ScheduledExecutorService clock;
    private final ScheduledFuture<?> ticks;

    Ticker(String stage, long startedNanos, Work work) {
      context = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get().sparkContext() : null;
      listener = new SparkListener() {
        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
          tasksDone.incrementAndGet();
          if (end.taskMetrics() != null) {
            rowsWritten.addAndGet(end.taskMetrics().outputMetrics().recordsWritten());
          }
        }
      };
      if (context != null) {
        context.addSparkListener(listener);
      }
      clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "riskgrid-progress");
        t.setDaemon(true);
        return t;
      });
      ticks = clock.scheduleAtFixedRate(() -> {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        if (work != null) {
          long done = work.done().value();
          print(String.format(Locale.ROOT, "%-20s running %6.0f s, %,d%s %s done (%,.0f %s/s)", stage, seconds, done,
              work.expected() > 0 ? String.format(Locale.ROOT, " of %,d", work.expected()) : "", work.unit(),
              done / seconds, work.unit()));
          return;
        }
        long rows = rowsWritten.get();
        print(String.format(Locale.ROOT, "%-20s running %6.0f s, %,d Spark tasks done, %,d rows written (%,.0f rows/s)",
            stage, seconds, tasksDone.get(), rows, rows / seconds));
      }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void close() {
      ticks.cancel(false);
      clock.shutdownNow();
      if (context != null) {
        context.removeSparkListener(listener);
      }
    }
  }
}
