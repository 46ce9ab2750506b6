package io.riskgrid.jobs.imports;

import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.market.chain.ImportedMarket;
import io.riskgrid.market.chain.RowReject;
import io.riskgrid.market.fit.SviFit;
import java.io.PrintStream;
import java.util.List;

/** What {@code import market} prints: counts, each underlying's market, and every expiry's fit. */
public final class ImportReport {
  /** Rejected rows listed in full up to this many; the rest are in the rejects table. */
  static final int REJECTS_LISTED = 10;

  private ImportReport() {}

  public static void print(PrintStream out, ImportedMarket market, ImportMarketJob.Result result, long millis) {
    out.printf("imported the market of %s (as_of_ts %s) in %.1f s, run %s%n", result.asOfDate(), market.snapshot().asOf(),
        millis / 1000.0, result.runId());
    out.printf("rows in %,d; option marks written %,d; instruments seen %,d (%,d new); rejected %,d%n", result.rowsIn(),
        result.optionMarks(), result.instrumentsSeen(), result.instrumentsAdded(), result.rejects());
    for (UnderlyingMarket u : market.snapshot().underlyings().values()) {
      out.printf("%s: index %,.2f USD, basis %.4f per year, rate %.4f, %d forwards, %d SVI slices%s%n", u.underlying(),
          u.index(), u.basis(), u.rate(), u.listedForwards().size(), u.slices().size(),
          u.dataError() == null ? "" : " — DATA_ERROR: " + u.dataError());
      List<SviFit> fits = market.fits().getOrDefault(u.underlying(), List.of());
      if (!fits.isEmpty()) {
        out.println("  expiry       options  fitted  RMSE (vol pts)  flags");
      }
      for (SviFit f : fits) {
        out.printf("  %s  %7d  %6d  %14s  %s%n", f.expiry().toString().substring(0, 10), f.options(), f.fitted(),
            f.hasSlice() ? String.format("%.3f", 100 * f.rmse()) : "-", String.join(" ", f.flagNames()));
      }
    }
    market.dataErrors().forEach((u, why) -> out.printf("DATA_ERROR %s: %s%n", u, why));
    List<RowReject> rejects = market.rejects();
    for (int i = 0; i < Math.min(REJECTS_LISTED, rejects.size()); i++) {
      out.println("rejected: " + rejects.get(i));
    }
    if (rejects.size() > REJECTS_LISTED) {
      out.printf("... and %,d more rows in the rejects table of %s%n", rejects.size() - REJECTS_LISTED, result.asOfDate());
    }
    for (String id : result.instrumentConflicts()) {
      out.println("kept the existing definition of instrument " + id + " (the import's differs; see rejects)");
    }
  }
}
