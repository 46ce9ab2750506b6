package io.riskgrid.jobs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgrid.jobs.Riskgrid;
import io.riskgrid.jobs.WhatIfJson;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.ScalarLanesKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.whatif.ServedMarket;
import io.riskgrid.whatif.WhatIfService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** serve's command line: help, and start-up errors that name the option and exit 2 before anything listens. */
class ServeCommandTest {
  @TempDir
  Path dir;

  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine cli = new CommandLine(new Riskgrid());
      cli.setOut(new PrintWriter(new StringWriter()));
      return new Run(cli.execute(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  @Test
  void helpListsTheOptionsWithoutWarnings() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Riskgrid());
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("serve", "--help"));
    for (String option : new String[] {"--port", "--bind", "--market", "--warehouse", "--as-of", "--policy", "--token-file",
        "--allow-policy-files", "--max-body-bytes", "--idle-timeout-seconds"}) {
      assertTrue(out.toString().contains(option), option);
    }
    assertEquals(0, run("serve-load", "--help").exit());
  }

  @Test
  void startUpErrorsNameTheOption() throws Exception {
    Path broken = Files.writeString(dir.resolve("market.json"), "{\"market\": {\"underlyings\": []}}");
    Run r = run("serve", "--port", "0", "--market", broken.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("serve: --market " + broken + ": as_of: is missing"), r.err());

    r = run("serve", "--port", "0", "--market", dir.resolve("none.json").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("serve: --market: cannot read "), r.err());

    Path empty = Files.writeString(dir.resolve("token"), "\n");
    r = run("serve", "--port", "0", "--token-file", empty.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("serve: --token-file: "), r.err());

    assertEquals(2, run("serve", "--port", "0", "--kernel", "cuda").exit());
    assertEquals(2, run("serve", "--port", "0", "--as-of", "2026-01-05").exit());
    assertEquals(2, run("serve", "--port", "0", "--market", broken.toString(), "--warehouse", "w", "--as-of", "2026-01-05").exit());
    assertEquals(2, run("serve", "--port", "70000").exit());
    assertEquals(2, run("serve-load", "--url", "http://10.0.0.1:8080", "--requests", "1").exit());
  }

  /**
   * serve's scalar kernel aggregates in vector lanes yet answers what the scalar kernel answers, byte for
   * byte: serve-load's accounts (100 BTC, ETH and SOL positions and an order each) on its served market.
   */
  @Test
  void serveScalarAnswersAsTheScalarKernel() {
    RiskKernel kernel = ServeCommand.kernel("scalar");
    assertSame(ScalarLanesKernel.INSTANCE, kernel);
    assertEquals("scalar", kernel.name());
    LoadWorkload workload = new LoadWorkload(6, 100, 11);
    ServedMarket market = workload.servedMarket();
    MarginPolicy policy = PolicyLoader.load("seed-default");
    WhatIfService lanes = WhatIfService.forService(kernel, false);
    WhatIfService scalar = WhatIfService.forService(ScalarKernel.INSTANCE, false);
    for (int k = 0; k < 6; k++) {
      byte[] body = workload.body(k);
      Supplier<JsonNode> tree = () -> WhatIfJson.readOne(body, 0, body.length, "JSON Lines");
      String a = new String(lanes.evaluateToBytes(body, 0, body.length, market, policy, tree, WhatIfJson.JSON.getFactory()),
          StandardCharsets.UTF_8);
      String b = new String(scalar.evaluateToBytes(body, 0, body.length, market, policy, tree, WhatIfJson.JSON.getFactory()),
          StandardCharsets.UTF_8);
      assertEquals(b, a);
      assertTrue(a.contains("\"risk_array\""), a);
    }
  }
}
