package io.riskgrid.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.whatif.WhatIfService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code riskgrid whatif}: pre-trade and what-if margin for one account, JSON in and JSON out, without
 * Spark (DESIGN §5). Field names are fixed by {@code whatif-request.schema.json} and
 * {@code whatif-response.schema.json}. {@code --stream} answers JSON Lines, one line per request, in one JVM.
 */
@Command(name = "whatif", mixinStandardHelpOptions = true,
    description = "Margin of one account, and of the account after an optional order (JSON in, JSON out).")
public final class WhatIfCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = WhatIfJson.JSON;

  @Option(names = "--in", description = "Request JSON file (default: standard input). Examples: deploy/examples/whatif/.")
  Path in;

  @Option(names = "--stream", description = "JSON Lines: one request per input line, one response or error line each "
      + "(errors name the field and the line; the stream goes on). Exit code 2 if any line failed.")
  boolean stream;

  @Option(names = "--kernel", defaultValue = "auto", description = "auto, scalar or simd (default: ${DEFAULT-VALUE}).")
  String kernel;

  /** For {@code --verbose} (riskgrid's option, inherited): here it also prints the kernel that ran, and why. */
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    try (InputStream input = in == null ? System.in : Files.newInputStream(in)) {
      return run(input, out, err);
    } catch (IOException e) {
      err.println("whatif: cannot read " + (in == null ? "standard input" : in) + ": " + e.getMessage());
      return 2;
    } finally {
      out.flush();
    }
  }

  /** Answers {@code input} on {@code out}; errors on {@code err} read "whatif: field: message". Returns the exit code. */
  int run(InputStream input, PrintWriter out, PrintWriter err) throws IOException {
    WhatIfService service;
    try {
      Kernels.Choice choice = Kernels.selectQuietly(kernel);
      if (spec.commandLine().getParseResult().hasMatchedOption("--verbose")) {
        err.println("whatif: kernel " + choice.kernel().name() + " (" + choice.reason() + ")");
      }
      service = new WhatIfService(choice.kernel());
    } catch (InvalidInputException e) {
      err.println("whatif: " + e.getMessage());
      return 2;
    }
    return stream ? stream(service, input, out, err) : one(service, input, out, err);
  }

  private static int one(WhatIfService service, InputStream input, PrintWriter out, PrintWriter err) throws IOException {
    byte[] bytes = input.readAllBytes();
    try {
      JsonNode request = WhatIfJson.readOne(bytes, 0, bytes.length, "or use --stream for JSON Lines");
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(service.evaluate(request)));
      return 0;
    } catch (InvalidInputException e) {
      err.println("whatif: " + e.getMessage());
      return 2;
    }
  }

  /** One compact response or error line per non-blank input line, flushed as it is answered. */
  private static int stream(WhatIfService service, InputStream input, PrintWriter out, PrintWriter err) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
    int failed = 0;
    long lineNo = 0;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      try {
        out.println(JSON.writeValueAsString(service.evaluate(WhatIfJson.readLine(bytes, 0, bytes.length))));
      } catch (InvalidInputException e) {
        failed++;
        out.println(JSON.writeValueAsString(WhatIfJson.error(e, lineNo)));
        err.println("whatif: line " + lineNo + ": " + e.getMessage());
      }
      out.flush();
    }
    return failed == 0 ? 0 : 2;
  }
}
