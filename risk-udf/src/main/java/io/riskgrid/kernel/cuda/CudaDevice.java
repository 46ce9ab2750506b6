package io.riskgrid.kernel.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import io.riskgrid.kernel.cuda.CudaUnavailableException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA state of one device in this JVM (an executor): the driver, the device's primary
 * context (one per process, shared with any other CUDA user in the JVM), the two PTX modules (three
 * entry points) and a pool of {@link CudaWorkspace}s, one per thread that is using the device at
 * that moment. Opened once, lazily, and kept for the life of the JVM; a failure to open is kept
 * too, so every later call reports the same reason without touching the driver again.
 */
final class CudaDevice {
  /** Compute capability the PTX targets (compute_80). */
  static final int MIN_COMPUTE_CAPABILITY = 80;

  private static final Map<Integer, Object> OPENED = new ConcurrentHashMap<>();

  private final int ordinal;
  private final int driverVersion;
  private final String name;
  private final int computeCapability;
  private final int multiprocessors;
  private final CUcontext context;
  private final CUfunction black76;
  private final CUfunction black76Greeks;
  private final CUfunction aggregate;
  private final String ptx;
  private final ConcurrentLinkedDeque<CudaWorkspace> idle = new ConcurrentLinkedDeque<>();

  private CudaDevice(int ordinal, int driverVersion, String name, int computeCapability, int multiprocessors,
      CUcontext context, CUfunction[] functions, String ptx) {
    this.ordinal = ordinal;
    this.driverVersion = driverVersion;
    this.name = name;
    this.computeCapability = computeCapability;
    this.multiprocessors = multiprocessors;
    this.context = context;
    this.black76 = functions[0];
    this.black76Greeks = functions[1];
    this.aggregate = functions[2];
    this.ptx = ptx;
  }

  /** The device with this ordinal, opened on first use. Throws the (cached) reason when it cannot be. */
  static CudaDevice open(int ordinal) {
    Object o = OPENED.computeIfAbsent(ordinal, CudaDevice::tryOpen);
    if (o instanceof CudaUnavailableException e) {
      // A fresh exception, so the stack trace shows this caller; the first failure is its cause.
      throw CudaUnavailableException.again(e);
    }
    return (CudaDevice) o;
  }

  private static Object tryOpen(int ordinal) {
    try {
      return openNow(ordinal);
    } catch (CudaUnavailableException e) {
      return e;
    } catch (CudaException | IllegalStateException | java.io.UncheckedIOException e) {
      // CudaException: another library in this JVM switched JCuda to exceptions; the others: a jar without its PTX.
      return new CudaUnavailableException(Reason.LOAD_ERROR, e.getMessage(), e);
    }
  }

  private static CudaDevice openNow(int ordinal) {
    int init = initDriver();
    int driverVersion = queryDriverVersion();
    String driver = "CUDA driver " + CudaPtx.driverVersionText(driverVersion) + " (" + driverVersion + ")";
    if (init != CUresult.CUDA_SUCCESS) {
      Reason reason = init == CUresult.CUDA_ERROR_NO_DEVICE ? Reason.NO_DEVICE : Reason.NO_DRIVER;
      throw new CudaUnavailableException(reason, "cuInit failed with " + CUresult.stringFor(init) + " (" + driver
          + "); check that the NVIDIA driver is installed and that the container or job can see a GPU"
          + " (nvidia-smi, CUDA_VISIBLE_DEVICES)");
    }
    int[] count = {0};
    JCudaDriver.cuDeviceGetCount(count);
    if (count[0] == 0 || ordinal < 0 || ordinal >= count[0]) {
      throw new CudaUnavailableException(Reason.NO_DEVICE, "device " + ordinal + " requested, " + count[0]
          + " visible to " + driver + " (" + visibleDevices() + ")");
    }
    CUdevice device = new CUdevice();
    check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet", Reason.NO_DEVICE, driver);
    String name = deviceName(device);
    int cc = attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) * 10
        + attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    CudaPtx black76Ptx = CudaPtx.load(CudaPtx.BLACK76);
    String where = name + " (device " + ordinal + ", compute capability " + cc / 10 + "." + cc % 10 + ", " + driver
        + ")";
    if (cc < MIN_COMPUTE_CAPABILITY) {
      throw new CudaUnavailableException(Reason.UNSUPPORTED_DEVICE, where + " is older than the packaged "
          + black76Ptx.describe() + ", which runs on compute capability 8.0 (Ampere) or newer");
    }
    CUcontext context = new CUcontext();
    check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain", Reason.LOAD_ERROR,
        where);
    check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent", Reason.LOAD_ERROR, where);
    CUmodule revaluation = module(black76Ptx, driverVersion, where);
    CudaPtx aggregatePtx = CudaPtx.load(CudaPtx.AGGREGATE);
    CUmodule aggregation = module(aggregatePtx, driverVersion, where);
    CUfunction[] functions = {
        function(revaluation, black76Ptx, "riskgrid_black76", where),
        function(revaluation, black76Ptx, "riskgrid_black76_greeks", where),
        function(aggregation, aggregatePtx, "riskgrid_aggregate", where)};
    int sms = attribute(device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
    return new CudaDevice(ordinal, driverVersion, name, cc, sms, context, functions, black76Ptx.describe());
  }

  /**
   * Loads libcuda through JCuda and runs cuInit. JCuda's native library links against
   * libcuda.so.1, so on a host without the NVIDIA driver the class fails to initialise with an
   * UnsatisfiedLinkError (later uses: NoClassDefFoundError); both become NO_DRIVER here.
   */
  private static int initDriver() {
    try {
      return JCudaDriver.cuInit(0);
    } catch (LinkageError e) {
      throw new CudaUnavailableException(Reason.NO_DRIVER, "the NVIDIA driver library libcuda.so.1 cannot be"
          + " loaded (" + linkFailure(e) + "); this host has no NVIDIA driver, or it is not on the library path", e);
    }
  }

  /** The line of JCuda's long loading report that says what is missing, e.g. "libcuda.so.1: cannot open ...". */
  static String linkFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      for (String line : m.split("\n")) {
        int at = line.indexOf("libcuda");
        if (at >= 0) {
          return line.substring(at).trim();
        }
      }
    }
    String first = String.valueOf(e.getMessage()).split("\n")[0];
    return e.getClass().getSimpleName() + ": " + first;
  }

  private static String visibleDevices() {
    String v = System.getenv("CUDA_VISIBLE_DEVICES");
    return v == null ? "CUDA_VISIBLE_DEVICES unset" : "CUDA_VISIBLE_DEVICES=" + v;
  }

  private static int queryDriverVersion() {
    int[] v = {0};
    JCudaDriver.cuDriverGetVersion(v);
    return v[0];
  }

  private static CUmodule module(CudaPtx ptx, int driverVersion, String where) {
    CUmodule module = new CUmodule();
    int r = JCudaDriver.cuModuleLoadData(module, ptx.image());
    if (r != CUresult.CUDA_SUCCESS) {
      String older = driverVersion < ptx.minimumDriverVersion()
          ? "; the driver is older than the PTX needs: install a driver for CUDA "
              + CudaPtx.driverVersionText(ptx.minimumDriverVersion()) + " or newer, or rebuild the PTX with an nvcc"
              + " no newer than CUDA " + CudaPtx.driverVersionText(driverVersion) + " (src/main/cuda/build-ptx.sh update)"
          : "";
      throw new CudaUnavailableException(Reason.LOAD_ERROR, "cuModuleLoadData(" + ptx.name() + ") failed with "
          + CUresult.stringFor(r) + " on " + where + "; the module is " + ptx.describe() + older);
    }
    return module;
  }

  private static CUfunction function(CUmodule module, CudaPtx ptx, String entry, String where) {
    CUfunction f = new CUfunction();
    check(JCudaDriver.cuModuleGetFunction(f, module, entry), "cuModuleGetFunction(" + entry + ")", Reason.LOAD_ERROR,
        where + ", module " + ptx.describe());
    return f;
  }

  private static String deviceName(CUdevice device) {
    byte[] buf = new byte[256];
    JCudaDriver.cuDeviceGetName(buf, buf.length, device);
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, StandardCharsets.US_ASCII);
  }

  private static int attribute(CUdevice device, int attribute) {
    int[] v = {0};
    JCudaDriver.cuDeviceGetAttribute(v, attribute, device);
    return v[0];
  }

  private static void check(int result, String call, Reason reason, String where) {
    if (result != CUresult.CUDA_SUCCESS) {
      throw new CudaUnavailableException(reason, call + " failed with " + CUresult.stringFor(result) + " on " + where);
    }
  }

  /** Makes this device's context current on the calling thread (cheap; every kernel call does it). */
  void makeCurrent() {
    CudaWorkspace.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
  }

  /** A workspace for the calling thread's exclusive use until {@link #release}; the context must be current. */
  CudaWorkspace acquire() {
    CudaWorkspace w = idle.pollFirst();
    return w != null ? w : new CudaWorkspace(this);
  }

  void release(CudaWorkspace workspace) {
    idle.addFirst(workspace);
  }

  CUfunction black76Function() { return black76; }
  CUfunction black76GreeksFunction() { return black76Greeks; }
  CUfunction aggregateFunction() { return aggregate; }
  int multiprocessors() { return multiprocessors; }
  int ordinal() { return ordinal; }

  /** E.g. "NVIDIA H100 80GB HBM3 (device 0, compute capability 9.0, CUDA driver 13.0 (13000)), PTX ISA 9.0 ...". */
  String describe() {
    return name + " (device " + ordinal + ", compute capability " + computeCapability / 10 + "." + computeCapability % 10
        + ", CUDA driver " + CudaPtx.driverVersionText(driverVersion) + "), " + ptx;
  }
}
