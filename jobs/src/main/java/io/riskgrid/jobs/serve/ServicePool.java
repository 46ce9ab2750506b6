package io.riskgrid.jobs.serve;

import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.whatif.WhatIfService;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * {@link WhatIfService} instances for concurrent requests: a service is not thread-safe, and keeps its
 * caches (parsed instruments, stage-1 books per market) warm, so each request borrows one and gives it
 * back. At most {@code workers} are out at once; a request beyond waits for one, in arrival order.
 *
 * <p>Why a bound: the requests in flight grow whenever the server falls behind (a GC pause, a burst),
 * and an unbounded pool then made a new, cold service for each, which read its first requests by the
 * slow tree path and valued its own stage 1 from scratch: hundreds of milliseconds of work, on two
 * cores, exactly when the queue was longest. Last in, first out, so the fewest instances stay hot.
 */
final class ServicePool {
  private final ConcurrentLinkedDeque<WhatIfService> idle = new ConcurrentLinkedDeque<>();
  private final Semaphore permits;
  private final RiskKernel kernel;
  private final boolean policyFilesAllowed;
  private final int workers;

  ServicePool(RiskKernel kernel, boolean policyFilesAllowed, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.kernel = kernel;
    this.policyFilesAllowed = policyFilesAllowed;
    this.workers = workers;
    this.permits = new Semaphore(workers, true);
  }

  /** A warm service if one is idle (a new one otherwise); waits while {@code workers} are out. */
  WhatIfService borrow() {
    permits.acquireUninterruptibly();
    WhatIfService s = idle.pollFirst();
    return s != null ? s : WhatIfService.forService(kernel, policyFilesAllowed);
  }

  void giveBack(WhatIfService service) {
    idle.offerFirst(service);
    permits.release();
  }

  /** The most services out at once. */
  int workers() {
    return workers;
  }

  /** The services made so far, when no borrow is under way (never more than {@link #workers()}). */
  int size() {
    return idle.size() + workers - permits.availablePermits();
  }

  /**
   * Runs {@code action} on every idle service, one at a time, each holding a worker's place while its own
   * action runs (so the pool never holds more than {@code workers} services, and requests meanwhile still
   * find the other warm ones).
   */
  void forEachIdle(Consumer<WhatIfService> action) {
    for (WhatIfService s : new ArrayList<>(idle)) {
      permits.acquireUninterruptibly();
      try {
        if (idle.remove(s)) {
          try {
            action.accept(s);
          } finally {
            idle.offerLast(s);
          }
        }
      } finally {
        permits.release();
      }
    }
  }
}
