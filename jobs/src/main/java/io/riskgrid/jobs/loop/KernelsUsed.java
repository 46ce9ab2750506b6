package io.riskgrid.jobs.loop;

import io.riskgrid.kernel.Kernels;
import java.util.List;
import java.util.TreeSet;

/**
 * The kernels the tasks ran, as {@code runs} records them: their names joined ("simd", or "cuda,simd" on
 * a mixed cluster) and their reasons; the driver's choice when no task ran.
 */
public record KernelsUsed(String names, String reasons) {

  /** {@code perTask}: one "name TAB reason" entry per task, as {@link MarginLoop} collects them. */
  static KernelsUsed of(List<String> perTask, Kernels.Choice driver) {
    TreeSet<String> names = new TreeSet<>();
    TreeSet<String> reasons = new TreeSet<>();
    for (String entry : perTask) {
      String[] parts = entry.split("\t", 2);
      names.add(parts[0]);
      reasons.add(parts[0] + ": " + parts[1]);
    }
    if (names.isEmpty()) {
      return new KernelsUsed(driver.kernel().name(), driver.reason());
    }
    return new KernelsUsed(String.join(",", names), String.join("; ", reasons));
  }
}
