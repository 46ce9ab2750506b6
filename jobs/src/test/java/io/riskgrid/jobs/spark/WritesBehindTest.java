package io.riskgrid.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WritesBehindTest {
  /** Writes run one after another in submission order, off the caller's thread, and the caller goes on meanwhile. */
  @Test
  void writesRunInOrderBehindTheCaller() throws Exception {
    List<String> done = new CopyOnWriteArrayList<>();
    CountDownLatch callerWentOn = new CountDownLatch(1);
    Thread caller = Thread.currentThread();
    try (WritesBehind writes = new WritesBehind("test-writes")) {
      writes.submit(() -> {
        await(callerWentOn);
        assertTrue(Thread.currentThread() != caller);
        done.add("first");
      });
      writes.submit(() -> done.add("second"));
      done.add("caller");
      callerWentOn.countDown();
      writes.await();
      assertEquals(List.of("caller", "first", "second"), done);
    }
  }

  /** The first failure in submission order is rethrown as it was, later ones suppressed into it; every write still runs. */
  @Test
  void theFirstFailureIsRethrownAsItWas() {
    IllegalArgumentException first = new IllegalArgumentException("stress_results: disk full");
    List<String> done = new CopyOnWriteArrayList<>();
    try (WritesBehind writes = new WritesBehind("test-writes")) {
      writes.submit(() -> {
        throw first;
      });
      writes.submit(() -> {
        throw new IllegalStateException("scenario_sets: conflict");
      });
      writes.submit(() -> done.add("third"));
      RuntimeException thrown = assertThrows(RuntimeException.class, writes::await);
      assertSame(first, thrown);
      assertEquals(1, thrown.getSuppressed().length);
      assertEquals("scenario_sets: conflict", thrown.getSuppressed()[0].getMessage());
      assertEquals(List.of("third"), done);
    }
  }

  /** Closing without awaiting, as a job's error path does, still waits for the write in flight. */
  @Test
  void closeWaitsForTheWriteInFlight() {
    List<String> done = new CopyOnWriteArrayList<>();
    CountDownLatch started = new CountDownLatch(1);
    try (WritesBehind writes = new WritesBehind("test-writes")) {
      writes.submit(() -> {
        started.countDown();
        sleep(200);
        done.add("committed");
      });
      await(started);
    }
    assertEquals(List.of("committed"), done);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
