package io.riskgrid.kernel;

import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.cuda.CudaKernel;
import io.riskgrid.kernel.cuda.CudaUnavailableException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kernel selection for {@code --kernel auto|scalar|simd|cuda} (DESIGN §2). {@code auto} picks cuda
 * when a CUDA driver and device are usable (the driver loads, device 0 has compute capability 8.0+
 * and the packaged PTX loads on it), else simd when the Vector API module is resolvable, else
 * scalar; the choice and its reason are logged (once per JVM) and recorded in {@code runs}.
 * {@code cuda} and {@code simd} never fall back: without a GPU, {@code cuda} is an error naming why.
 */
public final class Kernels {
  private static final Logger LOG = Logger.getLogger(Kernels.class.getName());
  /** The CUDA device that {@code --kernel cuda|auto} use: the first one the process can see. */
  private static final int CUDA_DEVICE = 0;
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private Kernels() {}

  /**
   * A kernel, why it was chosen, and what was asked for ({@code auto}, {@code scalar}, {@code simd} or
   * {@code cuda}), so that a Spark executor can make the same request on its own hardware.
   */
  public record Choice(RiskKernel kernel, String reason, String requested) {}

  /** {@link #select(String, int)} on CUDA device 0. */
  public static Choice select(String requested) {
    return select(requested, CUDA_DEVICE);
  }

  /**
   * The kernel for {@code requested} in this JVM; {@code cudaDevice} is the GPU that {@code cuda} and
   * {@code auto} use (a Spark task passes the GPU address the scheduler assigned it).
   */
  public static Choice select(String requested, int cudaDevice) {
    return select(requested, cudaDevice, true);
  }

  /**
   * {@link #select(String)} without logging {@code auto}'s choice, for a caller that reports it itself
   * (a one-shot command that prints it only when asked, so every call does not repeat it).
   */
  public static Choice selectQuietly(String requested) {
    return select(requested, CUDA_DEVICE, false);
  }

  private static Choice select(String requested, int cudaDevice, boolean logAuto) {
    String name = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "scalar":
        return new Choice(ScalarKernel.INSTANCE, "requested", name);
      case "simd":
        String why = vectorApiUnavailableReason();
        if (why != null) {
          throw new InvalidInputException("kernel", "simd needs the Vector API: " + why
              + "; start the JVM with --add-modules=jdk.incubator.vector or choose the scalar kernel");
        }
        return new Choice(SimdKernel.INSTANCE, "requested", name);
      case "cuda":
        return cuda(cudaDevice);
      case "auto":
        return auto(cudaDevice, logAuto);
      default:
        throw new InvalidInputException("kernel", "unknown kernel '" + requested + "'; expected auto, scalar, simd or cuda");
    }
  }

  private static Choice cuda(int device) {
    try {
      CudaKernel k = CudaKernel.open(device);
      return new Choice(k, "requested: " + k.describeDevice(), "cuda");
    } catch (CudaUnavailableException e) {
      throw new InvalidInputException("kernel", "cuda is not available: " + e.getMessage()
          + "; run on a host with an NVIDIA GPU (compute capability 8.0+) and driver, or choose the auto kernel to"
          + " fall back to simd");
    }
  }

  private static Choice auto(int device, boolean log) {
    Optional<CudaUnavailableException> cuda = CudaKernel.probe(device);
    Choice c;
    if (cuda.isEmpty()) {
      CudaKernel k = CudaKernel.onDevice(device);
      c = new Choice(k, "auto: cuda usable on " + k.describeDevice(), "auto");
    } else {
      String vector = vectorApiUnavailableReason();
      String noCuda = "cuda unavailable (" + cuda.get().getMessage() + ")";
      c = vector == null
          ? new Choice(SimdKernel.INSTANCE, "auto: " + noCuda, "auto")
          : new Choice(ScalarKernel.INSTANCE, "auto: " + noCuda + "; simd unavailable (" + vector + ")", "auto");
    }
    String line = "kernel " + c.kernel().name() + " — " + c.reason();
    LOG.log(log && LOGGED.add(line) ? Level.INFO : Level.FINE, line);
    return c;
  }

  /**
   * The scalar kernel's numbers, bit for bit, with its aggregation in Vector API lanes where that module
   * is usable ({@link ScalarLanesKernel}), else the scalar kernel itself.
   */
  public static RiskKernel scalarInLanes() {
    return vectorApiUnavailableReason() == null ? ScalarLanesKernel.INSTANCE : ScalarKernel.INSTANCE;
  }

  /** Null when the incubating Vector API is usable in this JVM, else why not. */
  public static String vectorApiUnavailableReason() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "module jdk.incubator.vector is not resolved in this JVM";
    }
    return null;
  }

  /** Null when the CUDA kernel can run in this JVM (on device 0), else why not: no driver, no device, or a load error. */
  public static String cudaUnavailableReason() {
    return CudaKernel.probe(CUDA_DEVICE).map(Throwable::getMessage).orElse(null);
  }
}
