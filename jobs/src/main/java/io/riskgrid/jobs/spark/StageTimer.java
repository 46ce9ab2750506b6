package io.riskgrid.jobs.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Times a job's named stages, so that a job's {@code run} reads as its steps: each stage's wall time
 * goes into the run's {@code runs.timings} under the stage's name, and on an interactive terminal a
 * progress line goes to stderr as the stage ends (beside Spark's console progress bar, which shows the
 * tasks of the stage running). Logs of tests and CI stay free of them, as of the bar. One per run, on
 * the driver.
 */
public final class StageTimer {
  private final RunRecord run;
  private final PrintStream progress;
  private final long startedNanos = System.nanoTime();

  StageTimer(RunRecord run, PrintStream progress) {
    this.run = run;
    this.progress = progress;
  }

  /** A timer for {@code run}, starting now; progress lines only when a person is watching. */
  public static StageTimer of(RunRecord run) {
    return new StageTimer(run, System.console() != null ? System.err : null);
  }

  /** Runs the stage {@code stage}, records its time, and returns what it made. */
  public <T> T time(String stage, Supplier<T> body) {
    long started = System.nanoTime();
    T made = body.get();
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
}
