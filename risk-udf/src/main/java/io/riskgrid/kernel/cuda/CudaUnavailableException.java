package io.riskgrid.kernel.cuda;

/**
 * Why the CUDA kernel cannot run in this JVM: no driver, no device, a device too old for the
 * packaged PTX, or a failure to load that PTX. The message names what was found (driver version,
 * device, PTX ISA) and what would fix it. {@code --kernel cuda} turns it into a command-line error;
 * {@code --kernel auto} records it as the reason for falling back to simd.
 */
public final class CudaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The broad cause, for logs, tests and the {@code runs} table. */
  public enum Reason {
    /** libcuda (the NVIDIA driver library) cannot be loaded, or cuInit fails. */
    NO_DRIVER("no driver"),
    /** The driver loads but reports no CUDA device, or not the one requested. */
    NO_DEVICE("no device"),
    /** The device's compute capability is below the PTX target (8.0). */
    UNSUPPORTED_DEVICE("unsupported device"),
    /** The context or the packaged PTX could not be loaded (typically a driver older than the PTX ISA). */
    LOAD_ERROR("load error");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** A short label that starts every message of this reason, e.g. "no driver". */
    public String label() {
      return label;
    }
  }

  private final Reason reason;

  CudaUnavailableException(Reason reason, String detail) {
    this(reason, detail, null);
  }

  CudaUnavailableException(Reason reason, String detail, Throwable cause) {
    super(reason.label() + ": " + detail, cause);
    this.reason = reason;
  }

  /** The same reason and message again, for a later caller; the first failure is the cause. */
  static CudaUnavailableException again(CudaUnavailableException first) {
    return new CudaUnavailableException(first);
  }

  private CudaUnavailableException(CudaUnavailableException first) {
    super(first.getMessage(), first);
    this.reason = first.reason;
  }

  public Reason reason() {
    return reason;
  }
}
