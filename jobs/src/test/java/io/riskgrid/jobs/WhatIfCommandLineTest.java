package io.riskgrid.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.whatif.WhatIfService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The whatif command line: one document per call, JSON Lines with --stream, quiet unless --verbose. */
class WhatIfCommandLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EXAMPLES = Path.of("..", "deploy", "examples", "whatif");

  private record Run(int exit, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private static String example(String name) throws Exception {
    return Files.readString(EXAMPLES.resolve(name + ".json"));
  }

  private static String oneLine(String json) throws Exception {
    return JSON.readTree(json).toString();
  }

  private static Run run(String input, String... args) throws Exception {
    // Parsed as riskgrid parses it: --verbose is riskgrid's option, inherited by every command.
    CommandLine riskgrid = Riskgrid.commandLine();
    String[] full = new String[args.length + 1];
    full[0] = "whatif";
    System.arraycopy(args, 0, full, 1, args.length);
    riskgrid.parseArgs(full);
    WhatIfCommand command = riskgrid.getSubcommands().get("whatif").getCommand();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = command.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true),
        new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void oneRequestAnswersOneResponseWithoutAKernelNote() throws Exception {
    Run r = run(example("covered-call-coin"));
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
    assertEquals(new WhatIfService(SimdKernel.INSTANCE).evaluate(JSON.readTree(example("covered-call-coin"))),
        JSON.readTree(r.out()));
  }

  @Test
  void verboseSaysWhichKernelRan() throws Exception {
    Run r = run(example("covered-call-coin"), "--verbose", "--kernel", "scalar");
    assertEquals(0, r.exit());
    assertEquals("whatif: kernel scalar (requested)", r.err().strip());
  }

  @Test
  void aSecondDocumentIsAnErrorNotSilentlyIgnored() throws Exception {
    Run r = run(example("covered-call-coin") + "\n" + example("naked-short-strangle"));
    assertEquals(2, r.exit());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("whatif: request: a second JSON document starts at line "), r.err());
    assertTrue(r.err().contains("--stream"), r.err());
  }

  @Test
  void errorsReadWhatifFieldMessage() throws Exception {
    ObjectNode noCurrency = (ObjectNode) JSON.readTree(example("covered-call-coin"));
    ((ObjectNode) noCurrency.get("account")).remove("margin_currency");
    Run r = run(noCurrency.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("whatif: account.margin_currency: "), r.err());
    assertFalse(r.err().contains("whatif: whatif"), r.err());
    Run notJson = run("{\"as_of\": ");
    assertEquals(2, notJson.exit());
    assertTrue(notJson.err().startsWith("whatif: request: is not valid JSON at line 1"), notJson.err());
    Run empty = run("  \n");
    assertEquals(2, empty.exit());
    assertTrue(empty.err().startsWith("whatif: request: is empty"), empty.err());
  }

  @Test
  void streamAnswersEveryLineAndABadLineNamesItsFieldAndGoesOn() throws Exception {
    ObjectNode bad = (ObjectNode) JSON.readTree(example("hedged-market-maker"));
    bad.put("as_of", "2026-01-05T08:00:00");
    String input = oneLine(example("covered-call-coin")) + "\n" + bad + "\n\n" + "{not json\n"
        + oneLine(example("naked-short-strangle")) + "\n";
    Run r = run(input, "--stream");
    assertEquals(2, r.exit(), "a failed line makes the exit code 2");
    List<String> lines = r.lines();
    assertEquals(4, lines.size(), r.out());
    WhatIfService direct = new WhatIfService(SimdKernel.INSTANCE);
    assertEquals(direct.evaluate(JSON.readTree(example("covered-call-coin"))), JSON.readTree(lines.get(0)));
    JsonNode asOfError = JSON.readTree(lines.get(1));
    assertEquals("as_of", asOfError.get("field").asText());
    assertEquals(2, asOfError.get("line").asInt());
    assertTrue(asOfError.get("error").asText().startsWith("as_of: "), lines.get(1));
    JsonNode notJson = JSON.readTree(lines.get(2));
    assertEquals("request", notJson.get("field").asText());
    assertEquals(4, notJson.get("line").asInt(), "the blank line 3 is skipped but counted");
    assertEquals(direct.evaluate(JSON.readTree(example("naked-short-strangle"))), JSON.readTree(lines.get(3)));
    assertTrue(r.err().contains("whatif: line 2: as_of: "), r.err());
  }

  @Test
  void stressHelpPrintsNoPicocliWarnings() {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine cli = new CommandLine(new Riskgrid());
      cli.setOut(new PrintWriter(out));
      assertEquals(0, cli.execute("stress", "--help"));
    } finally {
      System.setErr(saved);
    }
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString().replaceAll("\\s+", " ").contains("USDT -10%, USDC -13%"), out.toString());
  }
}
