package io.riskgrid.jobs;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.pricing.Black76;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code riskgrid price}: batch Black-76 without Spark (DESIGN §5). Input CSV
 * {@code id,option_type,forward,strike,expiry_years,vol,rate}; output {@code id,price,delta,gamma,vega,theta}
 * with vega per 1.00 vol and theta per year (F fixed). A bad row prints an error naming it and the
 * others go on; the exit code is 1 if any row failed.
 */
@Command(name = "price", mixinStandardHelpOptions = true,
    description = "Black-76 prices and Greeks for a CSV of options (no Spark).")
public final class PriceCommand implements Callable<Integer> {
  static final String INPUT_HEADER = "id,option_type,forward,strike,expiry_years,vol,rate";
  static final String OUTPUT_HEADER = "id,price,delta,gamma,vega,theta";

  @Option(names = "--in", description = "Input CSV (default: standard input).")
  Path in;

  @Option(names = "--out", description = "Output CSV (default: standard output).")
  Path out;

  @Override
  public Integer call() throws IOException {
    try (Reader r = in == null ? new InputStreamReader(System.in, StandardCharsets.UTF_8) : Files.newBufferedReader(in);
        Writer w = out == null ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8) : Files.newBufferedWriter(out)) {
      PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
      int failed = run(new BufferedReader(r), new PrintWriter(w), err);
      return failed == 0 ? 0 : 1;
    }
  }

  /** Prices every row; returns the number of rows that failed. */
  static int run(BufferedReader reader, PrintWriter out, PrintWriter err) throws IOException {
    String header = reader.readLine();
    if (header == null || !header.trim().equals(INPUT_HEADER)) {
      err.println("price: line 1: expected the header '" + INPUT_HEADER + "', got '" + header + "'");
      return 1;
    }
    out.println(OUTPUT_HEADER);
    int failed = 0;
    int lineNo = 1;
    double[] g = new double[5];
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      String id = f[0].trim();
      try {
        if (f.length != 7) {
          throw new InvalidInputException("row", "expected 7 fields, got " + f.length);
        }
        boolean call = OptionType.parse("option_type", f[1]) == OptionType.CALL;
        Black76.greeks(call, number("forward", f[2]), number("strike", f[3]), number("expiry_years", f[4]),
            number("vol", f[5]), number("rate", f[6]), g);
        String[] names = {"price", "delta", "gamma", "vega", "theta"};
        for (int k = 0; k < g.length; k++) {
          if (!Double.isFinite(g[k])) {
            // Finite inputs can overflow (a forward of 1e308): an error line, never Infinity in the output.
            throw new InvalidInputException("row", names[k] + " is not finite (" + g[k] + "): the inputs are out of range");
          }
        }
        out.println(id + "," + g[0] + "," + g[1] + "," + g[2] + "," + g[3] + "," + g[4]);
      } catch (IllegalArgumentException e) {
        failed++;
        err.println("price: line " + lineNo + " (id '" + id + "'): " + e.getMessage());
      }
    }
    out.flush();
    return failed;
  }

  private static double number(String field, String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(field, "not a number: '" + text + "'");
    }
  }
}
