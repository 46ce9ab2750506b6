package io.riskgrid.kernel.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PTX module packaged in the jar under {@value #RESOURCE_DIR}: nvcc's output for
 * {@code compute_80} from {@code risk-udf/src/main/cuda}, committed so that every jar carries it
 * (DESIGN §2). Knows its PTX ISA ({@code .version}), target ({@code .target}) and the CUDA release
 * of the nvcc that wrote it, which is also the oldest driver able to JIT it.
 */
public final class CudaPtx {
  /** Classpath folder of the PTX files. */
  public static final String RESOURCE_DIR = "/io/riskgrid/kernel/cuda/";
  /** The revaluation module; entry point {@code riskgrid_black76}. */
  public static final String BLACK76 = "black76.ptx";
  /** The aggregation module; entry point {@code riskgrid_aggregate}. */
  public static final String AGGREGATE = "aggregate.ptx";

  private static final Pattern ISA = Pattern.compile("(?m)^\\.version\\s+(\\d+)\\.(\\d+)\\s*$");
  private static final Pattern TARGET = Pattern.compile("(?m)^\\.target\\s+(\\S+)\\s*$");
  private static final Pattern RELEASE = Pattern.compile("(?m)^//.*release (\\d+)\\.(\\d+)");

  private final String name;
  private final byte[] text;
  private final int isaMajor;
  private final int isaMinor;
  private final String target;
  private final int toolkitMajor;
  private final int toolkitMinor;

  private CudaPtx(String name, byte[] text) {
    this.name = name;
    this.text = text;
    String s = new String(text, StandardCharsets.US_ASCII);
    Matcher isa = ISA.matcher(s);
    Matcher target = TARGET.matcher(s);
    if (!isa.find() || !target.find()) {
      throw new IllegalStateException(RESOURCE_DIR + name + " is not PTX: no .version or .target line;"
          + " regenerate it with risk-udf/src/main/cuda/build-ptx.sh update");
    }
    this.isaMajor = Integer.parseInt(isa.group(1));
    this.isaMinor = Integer.parseInt(isa.group(2));
    this.target = target.group(1);
    Matcher release = RELEASE.matcher(s);
    boolean known = release.find();
    this.toolkitMajor = known ? Integer.parseInt(release.group(1)) : -1;
    this.toolkitMinor = known ? Integer.parseInt(release.group(2)) : -1;
  }

  /** Reads a packaged module, e.g. {@link #BLACK76}. */
  public static CudaPtx load(String name) {
    try (InputStream in = CudaPtx.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("the PTX resource " + RESOURCE_DIR + name + " is missing from the"
            + " classpath; the risk-udf jar must carry src/main/resources/io/riskgrid/kernel/cuda");
      }
      return new CudaPtx(name, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the PTX resource " + RESOURCE_DIR + name, e);
    }
  }

  public String name() { return name; }

  /** The PTX ISA version, e.g. "9.0" (nvcc 13.0). */
  public String isaVersion() { return isaMajor + "." + isaMinor; }

  /** The {@code .target} line's value, e.g. "sm_80" for {@code -arch=compute_80}. */
  public String target() { return target; }

  /** The PTX text as a NUL-terminated C string, as cuModuleLoadData reads it. */
  byte[] image() {
    return Arrays.copyOf(text, text.length + 1);
  }

  /**
   * The oldest driver that can JIT this PTX, as cuDriverGetVersion encodes it (13000 for CUDA
   * 13.0): the release of the nvcc that wrote it, from the PTX header; 0 if the header is missing.
   */
  public int minimumDriverVersion() {
    return toolkitMajor < 0 ? 0 : toolkitMajor * 1000 + toolkitMinor * 10;
  }

  /** E.g. "PTX ISA 9.0 for sm_80 (nvcc 13.0; needs a CUDA 13.0 driver, R580 or newer)". */
  public String describe() {
    String driver = toolkitMajor < 0 ? "a driver at least as new as the nvcc that wrote it"
        : "a CUDA " + toolkitMajor + "." + toolkitMinor + " driver" + branchHint() + " or newer";
    return "PTX ISA " + isaVersion() + " for " + target
        + (toolkitMajor < 0 ? "" : " (nvcc " + toolkitMajor + "." + toolkitMinor + ";") + " needs " + driver
        + (toolkitMajor < 0 ? "" : ")");
  }

  /** The Linux driver branch that first shipped a CUDA release, where we know it. */
  private String branchHint() {
    if (toolkitMajor == 13 && toolkitMinor == 0) {
      return ", R580";
    }
    return "";
  }

  /** "13.0" from cuDriverGetVersion's 13000. */
  static String driverVersionText(int version) {
    return version / 1000 + "." + (version % 1000) / 10;
  }
}
