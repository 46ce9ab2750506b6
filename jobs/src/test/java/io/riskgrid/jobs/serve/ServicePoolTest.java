package io.riskgrid.jobs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.whatif.WhatIfService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServicePoolTest {

  @Test
  void aBorrowBeyondTheWorkersWaitsForOneGivenBackAndGetsThatWarmService() throws Exception {
    ServicePool pool = new ServicePool(ScalarKernel.INSTANCE, false, 2);
    WhatIfService a = pool.borrow();
    WhatIfService b = pool.borrow();
    CompletableFuture<WhatIfService> third = CompletableFuture.supplyAsync(pool::borrow);
    Thread.sleep(300);
    assertFalse(third.isDone(), "a third request must wait while both workers are out");
    pool.giveBack(b);
    assertSame(b, third.get(5, TimeUnit.SECONDS), "the waiting request gets the service given back, not a new one");
    pool.giveBack(a);
    pool.giveBack(b);
    assertEquals(2, pool.size());
  }

  @Test
  void manyConcurrentRequestsNeverMakeMoreServicesThanWorkers() throws Exception {
    ServicePool pool = new ServicePool(ScalarKernel.INSTANCE, false, 3);
    AtomicInteger out = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      done.add(threads.submit(() -> {
        start.await();
        for (int k = 0; k < 200; k++) {
          WhatIfService s = pool.borrow();
          most.accumulateAndGet(out.incrementAndGet(), Math::max);
          Thread.onSpinWait();
          out.decrementAndGet();
          pool.giveBack(s);
        }
        return null;
      }));
    }
    start.countDown();
    for (var f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    threads.shutdown();
    assertTrue(most.get() <= 3, "at most 3 out at once, saw " + most.get());
    assertTrue(pool.size() <= 3, "services made: " + pool.size());
    // forEachIdle visits every idle one and keeps them.
    AtomicInteger visited = new AtomicInteger();
    pool.forEachIdle(s -> visited.incrementAndGet());
    assertEquals(pool.size(), visited.get());
  }

  @Test
  void workersMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ServicePool(ScalarKernel.INSTANCE, false, 0));
  }
}
