package io.riskgrid.jobs.imports;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code riskgrid import}: real data in (DESIGN §7.1). */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import real data into the warehouse.",
    subcommands = {ImportMarketCommand.class, ImportBookCommand.class})
public final class ImportCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "import needs a subcommand: market or book");
  }
}
