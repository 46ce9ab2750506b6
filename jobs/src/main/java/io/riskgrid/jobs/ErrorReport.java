package io.riskgrid.jobs;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.riskgrid.InvalidInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * How a command that failed tells its user (issue #18): one line naming the command and what went wrong,
 * the stack trace only with {@code --verbose}. Exit codes: 2 for bad input (an {@link InvalidInputException}
 * names its field or file), 3 when another run committed to the same Delta tables first, 1 otherwise.
 */
final class ErrorReport implements IExecutionExceptionHandler {
  static final int BAD_INPUT = 2;
  static final int CONCURRENT_RUN = 3;
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    boolean verbose = false;
    Object asOf = null;
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      verbose |= p.hasMatchedOption("--verbose");
      asOf = p.hasMatchedOption("--as-of") ? p.matchedOptionValue("--as-of", null) : asOf;
    }
    int code;
    InvalidInputException invalid = find(e, InvalidInputException.class);
    DeltaConcurrentModificationException concurrent = find(e, DeltaConcurrentModificationException.class);
    if (invalid != null) {
      err.println(name + ": " + invalid.getMessage());
      code = BAD_INPUT;
    } else if (concurrent != null) {
      err.println(name + ": another run" + (asOf == null ? "" : " for " + asOf) + " wrote the same tables at the same "
          + "time and committed first (Delta " + concurrent.getClass().getSimpleName() + "); its results stand. "
          + "Rerun to replace them.");
      code = CONCURRENT_RUN;
    } else {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      err.println(name + " failed: " + describe(e) + (root == e ? "" : " (cause: " + describe(root) + ")"));
      code = FAILED;
    }
    if (verbose) {
      e.printStackTrace(err);
    } else {
      err.println("(run with --verbose for the stack trace)");
    }
    err.flush();
    return code;
  }

  private static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** The first throwable of type {@code type} on {@code e}'s cause chain, or null. */
  static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
