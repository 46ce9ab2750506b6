package io.riskgrid.kernel.cuda;

import io.riskgrid.kernel.KernelArguments;
import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * What one thread needs to run a batch on the device: its own stream, pinned host buffers and
 * device buffers (grown on demand, reused across batches), and the device copy of the last
 * {@link PnlMatrix} it aggregated. Each batch is packed into one pinned buffer ({@link CudaLayout}),
 * copied in with one transfer, computed, and copied out with one transfer.
 *
 * <p>Owned by one thread at a time (see {@link CudaDevice#acquire}); the device's context must be
 * current on that thread.
 */
final class CudaWorkspace {
  private static final int THREADS_PER_BLOCK = 256;
  /** Blocks per multiprocessor at most; the kernels' grid-stride loops cover the rest. */
  private static final int BLOCKS_PER_SM = 32;

  private final CudaDevice device;
  private final CUstream stream = new CUstream();
  private final CudaBuffers.Pinned hostIn = new CudaBuffers.Pinned();
  private final CudaBuffers.Pinned hostOut = new CudaBuffers.Pinned();
  private final CudaBuffers.Device deviceIn = new CudaBuffers.Device();
  private final CudaBuffers.Device deviceOut = new CudaBuffers.Device();
  private final CudaBuffers.Device deviceMatrix = new CudaBuffers.Device();
  /** The matrix whose copy is in deviceMatrix, by identity: PnlMatrix is read-only once built. */
  private PnlMatrix residentMatrix;

  CudaWorkspace(CudaDevice device) {
    this.device = device;
    check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
  }

  /** See {@link io.riskgrid.kernel.RiskKernel#black76}; in: 5 doubles and 1 byte per cell, out: 1 double. */
  void black76(OptionCells cells, double[] out) {
    int n = cells.count();
    if (out.length < n) {
      throw new IllegalArgumentException("out has " + out.length + " entries for " + n + " cells");
    }
    if (n == 0) {
      return;
    }
    long inBytes = CudaLayout.cellsBytes(n);
    long outBytes = 8L * n;
    hostIn.ensure(inBytes);
    deviceIn.ensure(inBytes);
    hostOut.ensure(outBytes);
    deviceOut.ensure(outBytes);
    CudaLayout.packCells(cells, hostIn.bytes());

    Pointer params = Pointer.to(Pointer.to(new int[] {n}), Pointer.to(deviceIn.pointer()),
        Pointer.to(deviceOut.pointer()));
    run(device.black76Function(), n, inBytes, params, outBytes);
    hostOut.doubles().get(0, out, 0, n);
  }

  /**
   * See {@link io.riskgrid.kernel.RiskKernel#black76Greeks}; in: as {@link #black76}, out: 5 doubles
   * per cell, all in one transfer.
   */
  void black76Greeks(OptionCells cells, double[] price, double[] delta, double[] gamma, double[] vega,
      double[] theta) {
    int n = cells.count();
    KernelArguments.checkGreekOutputs(n, price, delta, gamma, vega, theta);
    if (n == 0) {
      return;
    }
    long inBytes = CudaLayout.cellsBytes(n);
    long outBytes = CudaLayout.greeksBytes(n);
    hostIn.ensure(inBytes);
    deviceIn.ensure(inBytes);
    hostOut.ensure(outBytes);
    deviceOut.ensure(outBytes);
    CudaLayout.packCells(cells, hostIn.bytes());

    Pointer params = Pointer.to(Pointer.to(new int[] {n}), Pointer.to(deviceIn.pointer()),
        Pointer.to(deviceOut.pointer()));
    run(device.black76GreeksFunction(), n, inBytes, params, outBytes);
    double[][] greeks = {price, delta, gamma, vega, theta};
    for (int g = 0; g < greeks.length; g++) {
      hostOut.doubles().get(g * n, greeks[g], 0, n);
    }
  }

  /**
   * See {@link io.riskgrid.kernel.RiskKernel#aggregate}; in: the CSR batch (12 bytes per position,
   * 4 per account), plus the matrix once per matrix; out: {@code accounts × width} doubles.
   */
  void aggregate(PositionBatch batch, PnlMatrix matrix, double[] out) {
    int accounts = batch.accounts();
    int positions = batch.positions();
    int width = matrix.width();
    long outEntries = (long) accounts * width;
    if (out.length < outEntries) {
      throw new IllegalArgumentException("out has " + out.length + " entries for " + accounts + " accounts × width "
          + width);
    }
    if (outEntries == 0) {
      return;
    }
    checkInstruments(batch, matrix.instruments());
    makeResident(matrix);

    long inBytes = CudaLayout.batchBytes(batch);
    long outBytes = 8L * outEntries;
    hostIn.ensure(inBytes);
    deviceIn.ensure(inBytes);
    hostOut.ensure(outBytes);
    deviceOut.ensure(outBytes);
    CudaLayout.packBatch(batch, hostIn.bytes());

    Pointer params = Pointer.to(Pointer.to(new int[] {accounts}), Pointer.to(new int[] {positions}),
        Pointer.to(new int[] {width}), Pointer.to(deviceIn.pointer()), Pointer.to(new int[] {matrix.instruments()}),
        Pointer.to(new int[] {matrix.values().length}), Pointer.to(deviceMatrix.pointer()),
        Pointer.to(deviceOut.pointer()));
    run(device.aggregateFunction(), outEntries, inBytes, params, outBytes);
    hostOut.doubles().get(0, out, 0, (int) outEntries);
  }

  /** One copy in, the kernel over {@code work} items, one copy out, then wait for the stream. */
  private void run(CUfunction kernel, long work, long inBytes, Pointer params, long outBytes) {
    check(JCudaDriver.cuMemcpyHtoDAsync(deviceIn.pointer(), hostIn.pointer(), inBytes, stream), "cuMemcpyHtoDAsync");
    long blocks = Math.min((work + THREADS_PER_BLOCK - 1) / THREADS_PER_BLOCK,
        (long) BLOCKS_PER_SM * Math.max(device.multiprocessors(), 1));
    check(JCudaDriver.cuLaunchKernel(kernel, (int) blocks, 1, 1, THREADS_PER_BLOCK, 1, 1, 0, stream, params, null),
        "cuLaunchKernel");
    check(JCudaDriver.cuMemcpyDtoHAsync(hostOut.pointer(), deviceOut.pointer(), outBytes, stream), "cuMemcpyDtoHAsync");
    check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
  }

  /**
   * An out-of-range instrument would read outside the matrix on the device and poison the context
   * for every later batch, so it is refused here, as the CPU kernels refuse it with an exception.
   */
  private static void checkInstruments(PositionBatch batch, int instruments) {
    int[] instrument = batch.instrument();
    int[] start = batch.accountStart();
    for (int j = 0; j < start[batch.accounts()]; j++) {
      if (instrument[j] < 0 || instrument[j] >= instruments) {
        int a = 0;
        while (start[a + 1] <= j) {
          a++;
        }
        throw new IndexOutOfBoundsException("account " + a + " of the batch, position " + (j - start[a])
            + ": instrument row " + instrument[j] + " is outside the P&L matrix's " + instruments + " rows");
      }
    }
  }

  /** Copies the matrix to the device unless this workspace already holds it (one transfer per matrix). */
  private void makeResident(PnlMatrix matrix) {
    if (matrix == residentMatrix) {
      return;
    }
    residentMatrix = null;
    long bytes = CudaLayout.matrixBytes(matrix);
    hostIn.ensure(bytes);
    deviceMatrix.ensure(bytes);
    CudaLayout.packMatrix(matrix, hostIn.bytes());
    check(JCudaDriver.cuMemcpyHtoDAsync(deviceMatrix.pointer(), hostIn.pointer(), bytes, stream),
        "cuMemcpyHtoDAsync(P&L matrix)");
    check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    residentMatrix = matrix;
  }

  /** Throws naming the driver call and its CUresult; a failure here is never turned into a CPU fallback. */
  static void check(int result, String call) {
    if (result != CUresult.CUDA_SUCCESS) {
      throw new CudaException(call + " failed with " + CUresult.stringFor(result));
    }
  }
}
