package io.riskgrid.jobs.loop;

import io.riskgrid.kernel.Kernels;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Resolves {@code --kernel} inside the task, on the executor that runs it: on a GPU cluster whose driver
 * has no GPU, {@code auto} must still pick cuda on the GPU executors, and a task uses the GPU that Spark's
 * resource scheduler assigned it ({@code spark.task.resource.gpu.amount}), not always device 0. The choice
 * is made once per executor JVM and device (opening a CUDA context is not free).
 */
final class ExecutorKernel {
  private static final Map<String, Kernels.Choice> CHOSEN = new ConcurrentHashMap<>();

  private ExecutorKernel() {}

  /** The kernel for {@code requested} in this task; cuda on an executor without a GPU fails the task, naming why. */
  static Kernels.Choice forThisTask(String requested) {
    if (!requested.equals("auto") && !requested.equals("cuda")) {
      return Kernels.select(requested);
    }
    int device = assignedGpu();
    return CHOSEN.computeIfAbsent(requested + "@" + device, k -> Kernels.select(requested, device));
  }

  /** The first GPU address Spark assigned to this task, or 0 when it assigned none (no GPU scheduling). */
  static int assignedGpu() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return 0;
    }
    ResourceInformation gpu = task.resourcesJMap().get("gpu");
    if (gpu == null || gpu.addresses().length == 0) {
      return 0;
    }
    try {
      return Integer.parseInt(gpu.addresses()[0].trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("Spark assigned GPU address '" + gpu.addresses()[0]
          + "', which is not a CUDA device index; the discovery script must print device indices", e);
    }
  }
}
