package io.riskgrid.jobs;

import io.riskgrid.jobs.backtest.BacktestCommand;
import io.riskgrid.jobs.explain.ExplainCommand;
import io.riskgrid.jobs.bench.BenchCommand;
import io.riskgrid.jobs.bench.ImportBenchCommand;
import io.riskgrid.jobs.changes.ChangesCommand;
import io.riskgrid.jobs.compare.CompareCommand;
import io.riskgrid.jobs.generate.GenerateCommand;
import io.riskgrid.jobs.imports.ImportCommand;
import io.riskgrid.jobs.margin.MarginCommand;
import io.riskgrid.jobs.report.ReportCommand;
import io.riskgrid.jobs.serve.ServeCommand;
import io.riskgrid.jobs.serve.ServeLoadCommand;
import io.riskgrid.jobs.spark.BuildInfo;
import io.riskgrid.jobs.spark.SelfcheckCommand;
import io.riskgrid.jobs.spark.SqlCommand;
import io.riskgrid.jobs.stress.StressCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code riskgrid} command line: one main class for the launcher and for spark-submit. */
@Command(name = "riskgrid", mixinStandardHelpOptions = true, versionProvider = Riskgrid.Version.class,
    description = "Portfolio margin and exchange-wide stress on Spark and Delta.",
    subcommands = {
        DemoCommand.class,
        GenerateCommand.class,
        ImportCommand.class,
        MarginCommand.class,
        StressCommand.class,
        BacktestCommand.class,
        ExplainCommand.class,
        ReportCommand.class,
        CompareCommand.class,
        ChangesCommand.class,
        BenchCommand.class,
        ImportBenchCommand.class,
        PriceCommand.class,
        WhatIfCommand.class,
        ServeCommand.class,
        ServeLoadCommand.class,
        SqlCommand.class,
        SelfcheckCommand.class,
    })
public final class Riskgrid implements Runnable {
  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace after the one-line error (whatif: also the kernel that ran).")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with riskgrid's error reporting (one line per failure, exit codes 1, 2, 3). */
  static CommandLine commandLine() {
    return new CommandLine(new Riskgrid()).setExecutionExceptionHandler(new ErrorReport());
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** {@code riskgrid --version}: the version and commit this jar was built from. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"riskgrid " + BuildInfo.codeVersion()};
    }
  }
}
