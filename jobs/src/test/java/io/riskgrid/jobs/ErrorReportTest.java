package io.riskgrid.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.exceptions.ConcurrentAppendException;
import io.riskgrid.InvalidInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Issue #18: a failure is one line naming the command, exit 2/3/1 by kind, the stack trace only with --verbose. */
class ErrorReportTest {

  @Command(name = "top", subcommands = Failing.class)
  static final class Top implements Runnable {
    @Option(names = "--verbose", scope = ScopeType.INHERIT)
    boolean verbose;

    @Override
    public void run() {}
  }

  /** Throws what {@code --throw} names, wrapped as a Spark job would wrap it. */
  @Command(name = "margin")
  static final class Failing implements Callable<Integer> {
    @Option(names = "--as-of")
    LocalDate asOf;

    @Option(names = "--throw")
    String what;

    @Override
    public Integer call() {
      RuntimeException cause = switch (what) {
        case "input" -> new InvalidInputException("positions.quantity", "must be finite, got NaN (file book.csv, line 7)");
        case "concurrent" -> new ConcurrentAppendException("Files were added to the root of the table by a concurrent update.");
        default -> new IllegalStateException("disk full");
      };
      throw new RuntimeException("Job aborted", cause);
    }
  }

  private static String[] run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Top()).setExecutionExceptionHandler(new ErrorReport());
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {String.valueOf(code), err.toString()};
  }

  @Test
  void badInputIsOneLineNamingTheFieldWithExitTwo() {
    String[] r = run("margin", "--throw", "input");
    assertEquals("2", r[0]);
    assertTrue(r[1].startsWith("top margin: positions.quantity: must be finite, got NaN (file book.csv, line 7)"), r[1]);
    assertFalse(r[1].contains("\tat "), "no stack trace without --verbose:\n" + r[1]);
  }

  @Test
  void aConcurrentRunIsNamedWithItsDateAndExitThree() {
    String[] r = run("margin", "--as-of", "2026-01-05", "--throw", "concurrent");
    assertEquals("3", r[0]);
    assertTrue(r[1].contains("another run for 2026-01-05") && r[1].contains("committed first")
        && r[1].contains("ConcurrentAppendException") && r[1].contains("Rerun to replace them"), r[1]);
    assertFalse(r[1].contains("\tat "), r[1]);
  }

  @Test
  void anythingElseNamesItsRootCauseAndVerboseAddsTheTrace() {
    String[] quiet = run("margin", "--throw", "other");
    assertEquals("1", quiet[0]);
    assertTrue(quiet[1].contains("top margin failed: RuntimeException: Job aborted (cause: IllegalStateException: disk full)"),
        quiet[1]);
    assertTrue(quiet[1].contains("run with --verbose"), quiet[1]);
    assertFalse(quiet[1].contains("\tat "), quiet[1]);
    String[] verbose = run("margin", "--throw", "other", "--verbose");
    assertEquals("1", verbose[0]);
    assertTrue(verbose[1].contains("\tat "), "the stack trace with --verbose:\n" + verbose[1]);
  }

  @Test
  void theRiskgridCommandLineAcceptsVerboseOnEverySubcommand() {
    CommandLine cli = Riskgrid.commandLine();
    assertTrue(cli.getSubcommands().get("margin").getCommandSpec().findOption("--verbose") != null);
    assertTrue(cli.getSubcommands().get("import").getSubcommands().get("market").getCommandSpec().findOption("--verbose") != null);
  }
}
