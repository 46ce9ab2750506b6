package io.riskgrid.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {

  @Test
  void mapKeepsTheItemsOrderWhateverOrderTheyFinishIn() {
    List<Integer> items = List.of(40, 0, 20, 10, 30, 5, 15, 25, 35, 1);
    List<Integer> out = Concurrently.map("test-map", items, ms -> {
      sleep(ms);
      return ms * 2;
    });
    List<Integer> expected = new ArrayList<>();
    items.forEach(i -> expected.add(i * 2));
    assertEquals(expected, out);
  }

  @Test
  void runRunsTheStepsTogether() throws InterruptedException {
    // Each step waits for all three to have started: done one after another, the first would never end.
    CountDownLatch started = new CountDownLatch(3);
    boolean[] met = new boolean[3];
    List<Runnable> steps = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int step = i;
      steps.add(() -> {
        started.countDown();
        try {
          met[step] = started.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    Concurrently.run("test-together", steps);
    assertArrayEquals(new boolean[] {true, true, true}, met);
  }

  @Test
  void aFailedStepDoesNotCutTheOthersShortAndTheFirstFailureIsRethrown() {
    AtomicInteger finished = new AtomicInteger();
    IllegalStateException first = new IllegalStateException("first");
    IllegalArgumentException second = new IllegalArgumentException("second");
    List<Runnable> steps = List.of(
        () -> {
          sleep(50);
          throw first;
        },
        () -> {
          sleep(200);
          finished.incrementAndGet();
        },
        () -> {
          throw second;
        },
        () -> {
          sleep(100);
          finished.incrementAndGet();
        });
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Concurrently.run("test-fail", steps));
    assertSame(first, thrown);
    assertEquals(2, finished.get(), "the steps that did not fail ran to their end");
    assertEquals(1, thrown.getSuppressed().length);
    assertSame(second, thrown.getSuppressed()[0]);
  }

  @Test
  void errorsAndRuntimeFailuresComeBackAsThemselves() {
    Error error = new AssertionError("an error stays itself");
    assertSame(error, assertThrows(AssertionError.class,
        () -> Concurrently.run("test-error", List.of(() -> {
          throw error;
        }, () -> {}))));
    assertTrue(assertThrows(IllegalStateException.class, () -> Concurrently.map("test-checked", List.of(1, 2), i -> {
      throw new IllegalStateException("item " + i);
    })).getMessage().startsWith("item 1"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
