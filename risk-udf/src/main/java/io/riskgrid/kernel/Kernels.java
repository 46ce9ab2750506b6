package io.riskgrid.kernel;

import io.riskgrid.InvalidInputException;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Kernel selection for {@code --kernel auto|scalar|simd|cuda} (DESIGN §2). {@code auto} picks cuda
 * when a CUDA driver and device are usable, else simd when the Vector API module is resolvable, else
 * scalar; the choice and its reason are logged and recorded in {@code runs}.
 */
public final class Kernels {
  private static final Logger LOG = Logger.getLogger(Kernels.class.getName());

  private Kernels() {}

  /** A kernel and why it was chosen. */
  public record Choice(RiskKernel kernel, String reason) {}

  public static Choice select(String requested) {
    String name = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "scalar":
        return new Choice(ScalarKernel.INSTANCE, "requested");
      case "simd":
        String why = vectorApiUnavailableReason();
        if (why != null) {
          throw new InvalidInputException("--kernel", "simd needs the Vector API: " + why
              + "; start the JVM with --add-modules=jdk.incubator.vector or use --kernel scalar");
        }
        return new Choice(SimdKernel.INSTANCE, "requested");
      case "cuda":
        throw new InvalidInputException("--kernel", "cuda is not available: " + cudaUnavailableReason()
            + "; use --kernel auto to fall back to simd");
      case "auto":
        return auto();
      default:
        throw new InvalidInputException("--kernel", "unknown kernel '" + requested + "'; expected auto, scalar, simd or cuda");
    }
  }

  private static Choice auto() {
    String cuda = cudaUnavailableReason();
    String vector = vectorApiUnavailableReason();
    Choice c = vector == null
        ? new Choice(SimdKernel.INSTANCE, "auto: cuda unavailable (" + cuda + ")")
        : new Choice(ScalarKernel.INSTANCE, "auto: cuda unavailable (" + cuda + "); simd unavailable (" + vector + ")");
    LOG.info("kernel " + c.kernel().name() + " — " + c.reason());
    return c;
  }

  /** Null when the incubating Vector API is usable in this JVM, else why not. */
  public static String vectorApiUnavailableReason() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "module jdk.incubator.vector is not resolved in this JVM";
    }
    return null;
  }

  /** Why the CUDA kernel cannot run here. This build ships no CUDA kernel yet (the seam is {@link RiskKernel}). */
  public static String cudaUnavailableReason() {
    return "this build has no CUDA kernel implementation";
  }
}
