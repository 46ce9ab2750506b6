package io.riskgrid.kernel.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/** Growable pinned-host and device buffers of a {@link CudaWorkspace}. Not thread-safe; the context must be current. */
final class CudaBuffers {
  private CudaBuffers() {}

  /** Capacity for a request: 1.5x growth so batches of slowly rising size do not reallocate every time. */
  private static long grow(long capacity, long needed) {
    return Math.max(needed, capacity + capacity / 2);
  }

  /**
   * Page-locked host memory (cuMemAllocHost): the DMA engine copies it without a staging copy, and
   * the copies can be asynchronous on the workspace's stream. Viewed as bytes and doubles in native
   * order, for bulk puts from and gets into Java arrays.
   */
  static final class Pinned {
    private Pointer host;
    private long capacity;
    private ByteBuffer bytes;
    private DoubleBuffer doubles;

    /** Makes room for {@code size} bytes; the contents are not kept. */
    void ensure(long size) {
      if (size <= capacity) {
        return;
      }
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("a batch of " + size + " bytes is over the 2 GiB a single transfer"
            + " buffer takes; split it into smaller batches of accounts or cells");
      }
      free();
      long c = Math.min(grow(capacity, size), Integer.MAX_VALUE);
      Pointer p = new Pointer();
      CudaWorkspace.check(JCudaDriver.cuMemAllocHost(p, c), "cuMemAllocHost(" + c + " bytes)");
      host = p;
      capacity = c;
      bytes = p.getByteBuffer(0, c).order(ByteOrder.nativeOrder());
      doubles = bytes.asDoubleBuffer();
    }

    Pointer pointer() { return host; }
    ByteBuffer bytes() { return bytes; }
    DoubleBuffer doubles() { return doubles; }

    void free() {
      if (host != null) {
        JCudaDriver.cuMemFreeHost(host);
        host = null;
        capacity = 0;
        bytes = null;
        doubles = null;
      }
    }
  }

  /** Device memory (cuMemAlloc). */
  static final class Device {
    private CUdeviceptr pointer;
    private long capacity;

    /** Makes room for {@code size} bytes; the contents are not kept. */
    void ensure(long size) {
      if (size <= capacity) {
        return;
      }
      free();
      long c = grow(capacity, size);
      CUdeviceptr p = new CUdeviceptr();
      CudaWorkspace.check(JCudaDriver.cuMemAlloc(p, c), "cuMemAlloc(" + c + " bytes)");
      pointer = p;
      capacity = c;
    }

    CUdeviceptr pointer() { return pointer; }

    void free() {
      if (pointer != null) {
        JCudaDriver.cuMemFree(pointer);
        pointer = null;
        capacity = 0;
      }
    }
  }
}
