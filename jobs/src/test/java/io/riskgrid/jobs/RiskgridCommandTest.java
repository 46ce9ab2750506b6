package io.riskgrid.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RiskgridCommandTest {

  @Test
  void helpListsTheCommandAndExitsZero() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Riskgrid());
    cli.setOut(new PrintWriter(out));
    int exit = cli.execute("--help");
    assertEquals(0, exit);
    assertTrue(out.toString().contains("Usage: riskgrid"), out.toString());
  }

  @Test
  void unknownOptionIsAnErrorNotASilentSuccess() {
    CommandLine cli = new CommandLine(new Riskgrid());
    cli.setErr(new PrintWriter(new StringWriter()));
    assertEquals(2, cli.execute("--no-such-option"));
  }

  @Test
  void demoOnAMarketWithoutAShippedSnapshotIsRefusedBeforeSparkStarts() {
    CommandLine cli = new CommandLine(new Riskgrid());
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertEquals(2, cli.execute("demo", "--market", "2026-03-01"));
    } finally {
      System.setErr(stderr);
    }
    assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("shipped: [2026-01-05, 2026-02-05]"), err.toString());
  }

  @Test
  void importWithoutASubcommandNamesIt() {
    CommandLine cli = new CommandLine(new Riskgrid());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("import"));
    assertTrue(err.toString().contains("import needs a subcommand: market"), err.toString());
  }

  @Test
  void marginGroupingAcceptsTheDocumentedValuesInAnyCaseAndRefusesOthersBeforeSparkStarts() {
    assertEquals(io.riskgrid.jobs.margin.MarginJob.Grouping.AUTO, io.riskgrid.jobs.margin.MarginJob.Grouping.parse("auto"));
    assertEquals(io.riskgrid.jobs.margin.MarginJob.Grouping.SHUFFLE, io.riskgrid.jobs.margin.MarginJob.Grouping.parse("Shuffle"));
    CommandLine cli = new CommandLine(new Riskgrid());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertEquals(1, cli.execute("margin", "--as-of", "2026-01-05", "--grouping", "sideways"));
    assertTrue(err.toString().contains("--grouping"), err.toString());
  }
}
