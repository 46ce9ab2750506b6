package io.riskgrid.jobs.serve;

import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.whatif.WhatIfService;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;

/**
 * {@link WhatIfService} instances for concurrent requests: a service is not thread-safe, and keeps its
 * caches (parsed instruments, stage-1 books per market) warm, so each request borrows one and gives it
 * back. Last in, first out, so the fewest instances stay hot; there are never more than requests in flight.
 */
final class ServicePool {
  private final ConcurrentLinkedDeque<WhatIfService> idle = new ConcurrentLinkedDeque<>();
  private final RiskKernel kernel;
  private final boolean policyFilesAllowed;

  ServicePool(RiskKernel kernel, boolean policyFilesAllowed) {
    this.kernel = kernel;
    this.policyFilesAllowed = policyFilesAllowed;
  }

  WhatIfService borrow() {
    WhatIfService s = idle.pollFirst();
    return s != null ? s : WhatIfService.forService(kernel, policyFilesAllowed);
  }

  void giveBack(WhatIfService service) {
    idle.offerFirst(service);
  }

  /**
   * Runs {@code action} on every idle service, one at a time (each is out of the pool only while its
   * own action runs, so requests meanwhile still find warm ones).
   */
  void forEachIdle(Consumer<WhatIfService> action) {
    for (WhatIfService s : new ArrayList<>(idle)) {
      if (idle.remove(s)) {
        try {
          action.accept(s);
        } finally {
          idle.offerLast(s);
        }
      }
    }
  }
}
