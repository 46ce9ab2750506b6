package io.riskgrid.kernel.cuda;

import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CUDA kernel (DESIGN §2), on the JCuda driver API: revaluation by {@code riskgrid_black76}, the
 * Greeks by {@code riskgrid_black76_greeks} and aggregation by {@code riskgrid_aggregate}, from the
 * PTX packaged in the jar ({@link CudaPtx}).
 *
 * <p>Per executor JVM there is one context per device (the device's primary context), opened on
 * the first batch and made current on each calling thread. Each batch goes through pinned host
 * buffers with one transfer in and one out; a P&L matrix is copied once and stays on the device
 * while batches stream through it. Results are those of {@link io.riskgrid.kernel.ScalarKernel}:
 * aggregation bit for bit, revaluation and Greeks within a few ulps of the CDF terms (exp and log differ by
 * up to 1 ulp between the JDK and CUDA), inside the engine's 1e-10 agreement.
 *
 * <p>The kernel never falls back to the CPU: on a host without a usable GPU every call throws
 * {@link CudaUnavailableException} saying why. Serializable: it carries only the device ordinal,
 * and deserialisation on an executor returns that JVM's instance for the ordinal.
 */
public final class CudaKernel implements RiskKernel {
  private static final long serialVersionUID = 1L;
  private static final Map<Integer, CudaKernel> INSTANCES = new ConcurrentHashMap<>();

  private final int deviceOrdinal;

  private CudaKernel(int deviceOrdinal) {
    this.deviceOrdinal = deviceOrdinal;
  }

  /**
   * This JVM's kernel for CUDA device {@code ordinal} (0 is the first device the process can see,
   * after CUDA_VISIBLE_DEVICES). Touches no driver: the device is opened on the first batch.
   */
  public static CudaKernel onDevice(int ordinal) {
    if (ordinal < 0) {
      throw new IllegalArgumentException("a CUDA device ordinal is >= 0, got " + ordinal);
    }
    return INSTANCES.computeIfAbsent(ordinal, CudaKernel::new);
  }

  /**
   * A host kernel (SIMD where the Vector API is resolved, else scalar): the device keeps one P&amp;L matrix
   * resident per workspace, so a second matrix aggregated per batch would be copied over every time.
   */
  @Override
  public RiskKernel forSecondMatrix() {
    return Kernels.vectorApiUnavailableReason() == null ? SimdKernel.INSTANCE : ScalarKernel.INSTANCE;
  }

  /** Like {@link #onDevice}, but opens the device now; throws {@link CudaUnavailableException} saying why it cannot. */
  public static CudaKernel open(int ordinal) {
    CudaKernel k = onDevice(ordinal);
    k.device();
    return k;
  }

  /** Empty when device {@code ordinal} is usable here (driver, device, context and PTX all load), else why not. */
  public static Optional<CudaUnavailableException> probe(int ordinal) {
    try {
      CudaDevice.open(ordinal);
      return Optional.empty();
    } catch (CudaUnavailableException e) {
      return Optional.of(e);
    }
  }

  /** Deserialisation on an executor returns that JVM's kernel for the same device. */
  private Object readResolve() {
    return onDevice(deviceOrdinal);
  }

  @Override
  public String name() {
    return "cuda";
  }

  public int deviceOrdinal() {
    return deviceOrdinal;
  }

  /** The device, driver and PTX in one line, for logs and {@code runs}; opens the device. */
  public String describeDevice() {
    return device().describe();
  }

  @Override
  public void black76(OptionCells cells, double[] out) {
    CudaDevice device = device();
    device.makeCurrent();
    CudaWorkspace workspace = device.acquire();
    try {
      workspace.black76(cells, out);
    } finally {
      device.release(workspace);
    }
  }

  @Override
  public void aggregate(PositionBatch batch, PnlMatrix matrix, double[] out) {
    CudaDevice device = device();
    device.makeCurrent();
    CudaWorkspace workspace = device.acquire();
    try {
      workspace.aggregate(batch, matrix, out);
    } finally {
      device.release(workspace);
    }
  }

  @Override
  public void black76Greeks(OptionCells cells, double[] price, double[] delta, double[] gamma, double[] vega,
      double[] theta) {
    CudaDevice device = device();
    device.makeCurrent();
    CudaWorkspace workspace = device.acquire();
    try {
      workspace.black76Greeks(cells, price, delta, gamma, vega, theta);
    } finally {
      device.release(workspace);
    }
  }

  private CudaDevice device() {
    return CudaDevice.open(deviceOrdinal);
  }

  @Override
  public String toString() {
    return "CudaKernel[device " + deviceOrdinal + "]";
  }
}
