package io.riskgrid.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.whatif.WhatIfService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code riskgrid whatif}: pre-trade and what-if margin for one account, JSON in and JSON out, without
 * Spark (DESIGN §5). Field names are fixed by {@code whatif-request.schema.json} and
 * {@code whatif-response.schema.json}.
 */
@Command(name = "whatif", mixinStandardHelpOptions = true,
    description = "Margin of one account, and of the account after an optional order (JSON in, JSON out).")
public final class WhatIfCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--in", description = "Request JSON file (default: standard input). Examples: deploy/examples/whatif/.")
  Path in;

  @Option(names = "--kernel", defaultValue = "auto", description = "auto, scalar or simd (default: ${DEFAULT-VALUE}).")
  String kernel;

  @Override
  public Integer call() throws IOException {
    JsonNode request;
    try (InputStream input = in == null ? System.in : Files.newInputStream(in)) {
      request = JSON.readTree(input);
    } catch (IOException e) {
      System.err.println("whatif: cannot read JSON from " + (in == null ? "standard input" : in) + ": " + e.getMessage());
      return 2;
    }
    if (request == null || request.isMissingNode()) {
      System.err.println("whatif: empty input; expected a JSON object (see schemas whatif-request.schema.json)");
      return 2;
    }
    try {
      System.out.println(JSON.writeValueAsString(new WhatIfService(Kernels.select(kernel).kernel()).evaluate(request)));
      return 0;
    } catch (InvalidInputException e) {
      System.err.println("whatif: " + e.getMessage());
      return 2;
    }
  }
}
