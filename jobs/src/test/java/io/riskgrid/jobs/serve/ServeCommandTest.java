package io.riskgrid.jobs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.Riskgrid;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
