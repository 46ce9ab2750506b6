package io.riskgrid.jobs.report;

import io.riskgrid.jobs.spark.SparkOptions;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code riskgrid report --as-of D --out FILE.html}: the date's self-contained HTML report. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write one self-contained HTML page (inline CSS and SVG charts, no script, no network) for a "
        + "business date: the margin run's identity, margin by status, underlying and currency, PM saving, the "
        + "largest margins explained, stress with Cover-1/Cover-2, exposures, and the backtest, liquidation curve "
        + "and policy comparison when the warehouse has them.",
        "Example: riskgrid report --as-of 2026-01-05 --out report.html"},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:written", "1:the warehouse has no margin run for the date, or the file cannot be written",
        "2:bad command-line usage"})
public final class ReportCommand implements Callable<Integer> {
  @Mixin
  SparkOptions spark;

  @Option(names = "--as-of", required = true, paramLabel = "DATE", description = "Business date, e.g. 2026-01-05.")
  LocalDate asOf;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "riskgrid-report.html",
      description = "The HTML file to write (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    long start = System.currentTimeMillis();
    SparkSession session = spark.session("riskgrid report");
    try {
      HtmlReport.Written written = HtmlReport.write(spark.warehouse(session), asOf, out, true);
      System.out.printf("report for %s written to %s (%,d bytes) in %.1f s%n", asOf, written.file(), written.bytes(),
          (System.currentTimeMillis() - start) / 1000.0);
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("riskgrid report: " + e.getMessage());
      return 1;
    }
  }
}
