package io.riskgrid.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.ScalarKernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a GPU, the next best check of the CUDA path: the kernels' own per-cell code
 * ({@code black76_at}, {@code black76_greeks_at}, {@code aggregate_entry}, compiled by nvcc for the
 * host) reads batches packed by {@link CudaLayout} exactly as the device would, and must reproduce
 * the scalar kernel. This covers the port of the CDF, Black-76 and its Greeks, the byte layouts and
 * the aggregation order; what it cannot cover is the device's exp and log (libdevice, within 1 ulp)
 * and the JCuda calls, which {@link CudaKernelParityTest} and {@code deploy/gpu/run-gpu-check.sh}
 * check on a GPU host.
 */
class CudaSourceOnHostTest {
  /** Reads a packed batch from argv[2], runs the per-cell device functions on the host, writes doubles to argv[3]. */
  private static final String HARNESS = """
      #include "black76.cu"
      #include "aggregate.cu"
      #include <cstdio>
      #include <cstdlib>
      #include <string>
      #include <vector>

      static std::vector<double> slurp(const char* path, long long bytes_after_header, int* header, int ints) {
        FILE* f = std::fopen(path, "rb");
        if (!f || std::fread(header, 4, ints, f) != (size_t)ints) return {};
        std::vector<double> data((bytes_after_header + 7) / 8 + 1);
        size_t got = std::fread(data.data(), 1, bytes_after_header, f);
        std::fclose(f);
        if ((long long)got != bytes_after_header) data.clear();
        return data;
      }

      int main(int argc, char** argv) {
        if (argc != 5) return 2;
        std::vector<double> out;
        std::string mode = argv[1];
        long long bytes = std::atoll(argv[4]);
        if (mode == "black76") {
          int h[1];
          std::vector<double> in = slurp(argv[2], bytes, h, 1);
          if (in.empty()) return 3;
          for (int c = 0; c < h[0]; c++) out.push_back(riskgrid::black76_at(c, h[0], in.data()));
        } else if (mode == "greeks") {
          int h[1];
          std::vector<double> in = slurp(argv[2], bytes, h, 1);
          if (in.empty()) return 3;
          out.resize(5 * (size_t)h[0]);
          for (int c = 0; c < h[0]; c++) riskgrid::black76_greeks_at(c, h[0], in.data(), out.data());
        } else {
          // accounts, positions, width, instruments, cells, batch bytes (the matrix follows the batch)
          int h[6];
          std::vector<double> in = slurp(argv[2], bytes, h, 6);
          if (in.empty()) return 3;
          const double* batch = in.data();
          const double* matrix = in.data() + (h[5] + 7) / 8;
          for (long long t = 0; t < (long long)h[0] * h[2]; t++)
            out.push_back(riskgrid::aggregate_entry(t, h[1], h[2], batch, h[3], h[4], matrix));
        }
        FILE* f = std::fopen(argv[3], "wb");
        std::fwrite(out.data(), 8, out.size(), f);
        std::fclose(f);
        return 0;
      }
      """;

  @TempDir
  static Path dir;
  private static Path harness;

  @BeforeAll
  static void compileHarness() throws Exception {
    Optional<Path> nvcc = CudaPtxTest.findNvcc();
    Assumptions.assumeTrue(nvcc.isPresent(), "SKIPPED: no nvcc on this host to build the kernels' host check");
    Assumptions.assumeTrue(CudaPtxTest.onPath("g++"), "SKIPPED: nvcc is here but no g++ for its host code");
    Path source = dir.resolve("harness.cu");
    Files.writeString(source, HARNESS);
    harness = dir.resolve("harness");
    run(nvcc.get().toString(), "--fmad=false", "-std=c++17", "-I", Path.of("src/main/cuda").toAbsolutePath().toString(),
        "-o", harness.toString(), source.toString());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), String.join(" ", command));
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + log);
  }

  private static double[] runHarness(String mode, ByteBuffer header, ByteBuffer body, int outputs) throws Exception {
    Path in = dir.resolve(mode + ".in");
    Path out = dir.resolve(mode + ".out");
    byte[] all = new byte[header.capacity() + body.capacity()];
    header.get(0, all, 0, header.capacity());
    body.get(0, all, header.capacity(), body.capacity());
    Files.write(in, all);
    run(harness.toString(), mode, in.toString(), out.toString(), Long.toString(body.capacity()));
    double[] result = new double[outputs];
    ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.nativeOrder()).asDoubleBuffer().get(result);
    return result;
  }

  private static ByteBuffer buffer(long bytes) {
    return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
  }

  @Test
  void black76SourceReproducesTheScalarKernel() throws Exception {
    int n = 400_003;
    OptionCells cells = ParityCases.cells(2026, n);
    ByteBuffer body = buffer(CudaLayout.cellsBytes(n));
    CudaLayout.packCells(cells, body);
    double[] host = runHarness("black76", buffer(4).putInt(0, n), body, n);
    double[] expected = new double[n];
    ScalarKernel.INSTANCE.black76(cells, expected);
    int identical = 0;
    for (int i = 0; i < n; i++) {
      int k = i;
      assertTrue(ParityCases.agree(expected[i], host[i], cells.forward()[i]),
          () -> "cell " + k + ": scalar " + expected[k] + ", .cu on the host " + host[k]);
      identical += Double.compare(expected[i], host[i]) == 0 ? 1 : 0;
    }
    // Every cell agrees to 1e-10 (above). Most are bit-identical too; the rest differ in the last bits
    // because exp and log come from glibc here and the JDK there, and because Black76 takes both
    // Gaussian factors from one exp (F·φ(d1) = K·φ(d2)) where the .cu takes two.
    assertTrue(identical > 0.75 * n, identical + " of " + n + " bit-identical");
  }

  @Test
  void aggregateSourceIsBitForBitTheScalarKernel() throws Exception {
    PnlMatrix m = ParityCases.matrix(8, 300, new int[] {35, 70, 7});
    PositionBatch b = ParityCases.batch(21, 800, 12, m.instruments());
    long batchBytes = CudaLayout.batchBytes(b);
    long padded = (batchBytes + 7) / 8 * 8; // the harness puts the matrix at the next 8-byte boundary
    ByteBuffer body = buffer(padded + CudaLayout.matrixBytes(m));
    CudaLayout.packBatch(b, body);
    CudaLayout.packMatrix(m, body.slice((int) padded, (int) CudaLayout.matrixBytes(m)).order(ByteOrder.nativeOrder()));
    ByteBuffer header = buffer(24);
    header.asIntBuffer().put(new int[] {b.accounts(), b.positions(), m.width(), m.instruments(), m.values().length,
        (int) batchBytes});
    double[] host = runHarness("aggregate", header, body, b.accounts() * m.width());
    double[] expected = new double[host.length];
    ScalarKernel.INSTANCE.aggregate(b, m, expected);
    assertArrayEquals(expected, host);
  }

  @Test
  void greeksSourceAgreesWithTheScalarKernel() throws Exception {
    int n = 200_003;
    OptionCells cells = ParityCases.cells(1976, n);
    ByteBuffer body = buffer(CudaLayout.cellsBytes(n));
    CudaLayout.packCells(cells, body);
    double[] host = runHarness("greeks", buffer(4).putInt(0, n), body, 5 * n);
    double[] price = runHarness("black76", buffer(4).putInt(0, n), body, n);
    double[][] expected = new double[5][n];
    ScalarKernel.INSTANCE.black76Greeks(cells, expected[0], expected[1], expected[2], expected[3], expected[4]);
    for (int g = 0; g < 5; g++) {
      for (int i = 0; i < n; i++) {
        int greek = g;
        int k = i;
        double actual = host[g * n + i];
        assertTrue(ParityCases.agreeGreek(g, expected[g][i], actual, cells.forward()[i]),
            () -> ParityCases.GREEKS[greek] + " of cell " + k + " (" + (cells.isCall()[k] ? "call" : "put") + " F="
                + cells.forward()[k] + " K=" + cells.strike()[k] + " tau=" + cells.tau()[k] + " vol=" + cells.vol()[k]
                + " df=" + cells.discount()[k] + "): scalar " + expected[greek][k] + ", .cu on the host " + actual);
      }
    }
    // The Greeks kernel's price is the revaluation kernel's, bit for bit (the same black76_cell).
    assertArrayEquals(price, Arrays.copyOf(host, n));
  }

  /** As CudaGreeksParityTest asks of the GPU: deep OTM and 1-hour Greeks to 1e-10 relative, no floor. */
  @Test
  void edgeGreeksAgreeToTenDigitsWithoutAFloor() throws Exception {
    OptionCells cells = ParityCases.edgeGreekCells();
    int n = cells.count();
    ByteBuffer body = buffer(CudaLayout.cellsBytes(n));
    CudaLayout.packCells(cells, body);
    double[] host = runHarness("greeks", buffer(4).putInt(0, n), body, 5 * n);
    double[][] expected = new double[5][n];
    ScalarKernel.INSTANCE.black76Greeks(cells, expected[0], expected[1], expected[2], expected[3], expected[4]);
    for (int g = 0; g < 5; g++) {
      for (int i = 0; i < n; i++) {
        assertEquals(expected[g][i], host[g * n + i], 1e-10 * Math.abs(expected[g][i]),
            ParityCases.GREEKS[g] + " of edge cell " + i);
      }
    }
    assertTrue(host[0] > 0 && host[3 * n] > 0, "deep OTM price and vega stay positive: " + host[0]);
  }
}
