package io.riskgrid.jobs.imports;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.spark.SparkOptions;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code riskgrid import book}: a clearing house's own accounts, collateral and positions (and instruments)
 * as one date's slices (DESIGN §7.1). Bad rows go to {@code rejects} and make their accounts REJECTED in
 * the next margin run; a malformed file stops the import (exit 2) before anything is written.
 */
@Command(name = "book", mixinStandardHelpOptions = true,
    description = "Import accounts, collateral and positions files (CSV, Parquet or JSON Lines) as one date's book.")
public final class ImportBookCommand implements Callable<Integer> {
  @Mixin
  SparkOptions spark;

  @Option(names = "--as-of", required = true, paramLabel = "DATE", description = "Business date written, e.g. 2026-02-05.")
  String asOf;

  @Option(names = "--accounts", paramLabel = "FILE",
      description = "account_id, margin_mode (PORTFOLIO|STANDARD), margin_currency (USD or a coin), optional parent_id.")
  String accounts;

  @Option(names = "--collateral", paramLabel = "FILE", description = "account_id, asset, quantity.")
  String collateral;

  @Option(names = "--positions", required = true, paramLabel = "FILE",
      description = "account_id, instrument_id, quantity (contracts, signed), entry_price (USD; required for futures and "
          + "perpetuals); with --format deribit, the snapshot (one account per JSON line), the whole book.")
  String positions;

  @Option(names = "--instruments", paramLabel = "FILE",
      description = "Instruments to add: instrument_id, underlying, kind, settlement, option_type, strike, expiry, multiplier.")
  String instruments;

  @Option(names = "--format", defaultValue = "csv", paramLabel = "FORMAT",
      description = "csv (with a header row), parquet, jsonl, or deribit (position snapshots) (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  public Integer call() {
    ImportBookJob.Files files;
    LocalDate date;
    try {
      date = parseDate(asOf);
      BookFormat bookFormat = BookFormat.parse("--format", format);
      if (bookFormat == BookFormat.DERIBIT && (accounts != null || collateral != null || instruments != null)) {
        throw new InvalidInputException("--format deribit", "the snapshot given as --positions is the whole book: "
            + "leave out --accounts, --collateral and --instruments (instruments come from the names)");
      }
      if (bookFormat != BookFormat.DERIBIT && (accounts == null || collateral == null)) {
        throw new InvalidInputException("--format " + format, "needs --accounts, --collateral and --positions");
      }
      files = new ImportBookJob.Files(bookFormat, accounts, collateral, positions, instruments);
    } catch (InvalidInputException e) {
      System.err.println("import book: " + e.getMessage());
      return 2;
    }
    SparkSession session = spark.session("riskgrid import book");
    long t = System.currentTimeMillis();
    ImportBookJob.Result result;
    try {
      result = ImportBookJob.run(session, spark.warehouse(session), date, files);
    } catch (InvalidInputException e) {
      System.err.println("import book: " + e.getMessage());
      return 2;
    }
    print(System.out, result, System.currentTimeMillis() - t);
    return 0;
  }

  private static LocalDate parseDate(String text) {
    try {
      return LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("--as-of", "'" + text + "' is not a date like 2026-02-05");
    }
  }

  static void print(PrintStream out, ImportBookJob.Result r, long millis) {
    out.printf("imported the book of %s in %.1f s, run %s%n", r.asOfDate(), millis / 1000.0, r.runId());
    out.println("table          rows in   written  rejected");
    for (Map.Entry<String, ImportBookJob.TableCounts> e : r.counts().entrySet()) {
      ImportBookJob.TableCounts c = e.getValue();
      out.printf("%-11s %10d %9d %9d%n", e.getKey(), c.in(), c.written(), c.rejected());
    }
    if (r.accountsAdded() > 0) {
      out.printf("%,d accounts had positions or collateral but no accounts row: written empty, REJECTED at margin%n",
          r.accountsAdded());
    }
    out.printf("%,d accounts have a rejected row and will be REJECTED by the next margin run of %s%n", r.accountsRejected(),
        r.asOfDate());
    r.firstRejects().forEach(reason -> out.println("rejected: " + reason));
    long total = r.counts().values().stream().mapToLong(ImportBookJob.TableCounts::rejected).sum();
    if (total > r.firstRejects().size()) {
      out.printf("... and %,d more in the rejects table of %s%n", total - r.firstRejects().size(), r.asOfDate());
    }
  }
}
