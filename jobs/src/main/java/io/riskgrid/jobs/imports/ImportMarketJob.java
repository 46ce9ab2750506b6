package io.riskgrid.jobs.imports;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SharedRejects;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.StageTimer;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.market.chain.ImportedMarket;
import io.riskgrid.market.chain.RowReject;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code riskgrid import market} (DESIGN §7.1), the Spark half: an {@link ImportedMarket} (chains read and
 * fitted by the engine) written to the warehouse for the UTC date of its valuation instant. Each market
 * table's slice of that date is replaced atomically ({@code market_underlyings}, {@code market_forwards},
 * {@code market_vol_slices} with fit RMSE and flags, {@code market_option_marks}); the instruments seen are
 * added to {@code instruments}; the rejected rows replace this importer's rows of the date in
 * {@code rejects}; a {@code runs} row records the counts.
 */
public final class ImportMarketJob {
  private ImportMarketJob() {}

  /**
   * What was written. {@code instrumentConflicts}: ids already in {@code instruments} with another
   * definition, which keep the existing row (and are listed in {@code rejects}).
   */
  public record Result(String runId, LocalDate asOfDate, long rowsIn, int optionMarks, int instrumentsSeen,
      int instrumentsAdded, List<String> instrumentConflicts, int rejects) {}

  /** The business date of a market at {@code market}'s valuation instant: its UTC calendar day. */
  public static LocalDate asOfDate(ImportedMarket market) {
    return market.snapshot().asOf().atZone(ZoneOffset.UTC).toLocalDate();
  }

  public static Result run(SparkSession spark, Warehouse warehouse, ImportedMarket market) {
    LocalDate asOf = asOfDate(market);
    RunRecord run = RunRecord.start("import market", asOf).config("as_of_ts=" + market.snapshot().asOf());
    warehouse.ensureTables();
    StageTimer stages = StageTimer.of(run);
    Map<String, Instrument> existing = stages.time("read_instruments", () -> existingInstruments(warehouse));
    List<Instrument> added = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    List<RowReject> rejects = new ArrayList<>(market.rejects());
    for (Instrument i : market.instruments()) {
      Instrument old = existing.get(i.id());
      if (old == null) {
        added.add(i);
      } else if (!old.equals(i)) {
        conflicts.add(i.id());
        rejects.add(new RowReject("instruments", 0, i.id(), "instrument " + i.id() + " is already in instruments as "
            + old + "; the import's definition " + i + " was not written (instruments are shared by every date)"));
      }
    }
    stages.time("write_instruments", () -> MarketTables.mergeInstruments(spark, warehouse, added));
    stages.time("write_market", () -> MarketTables.writeSnapshot(spark, warehouse, asOf, market.snapshot(), market.fits()));
    stages.time("write_rejects", () -> writeRejects(spark, warehouse, asOf, run.runId(), rejects));
    run.count("rows_in", market.rowsIn()).count("option_marks_out", market.optionCount())
        .count("instruments_added", added.size()).count("rejects", rejects.size())
        .count("underlyings_data_error", market.dataErrors().size())
        .finishAndAppend(warehouse, spark);
    return new Result(run.runId(), asOf, market.rowsIn(), market.optionCount(), market.instruments().size(), added.size(),
        conflicts, rejects.size());
  }

  private static Map<String, Instrument> existingInstruments(Warehouse warehouse) {
    Map<String, Instrument> byId = new TreeMap<>();
    if (warehouse.exists(InputTables.INSTRUMENTS)) {
      MarketTables.readInstruments(warehouse).instruments().forEach(i -> byId.put(i.id(), i));
    }
    return byId;
  }

  /** {@code source_table} is {@code import market: <file>}, the key names the line and the instrument. */
  private static void writeRejects(SparkSession spark, Warehouse warehouse, LocalDate asOf, String runId,
      List<RowReject> rejects) {
    java.sql.Date d = SparkValues.date(asOf);
    List<Row> rows = new ArrayList<>();
    for (RowReject r : rejects) {
      String key = (r.line() > 0 ? "line " + r.line() : "") + (r.key() == null ? "" : (r.line() > 0 ? " " : "") + r.key());
      rows.add(RowFactory.create(d, runId, SharedRejects.IMPORT_PREFIX + "market: " + r.source(), key, r.reason()));
    }
    SharedRejects.replace(warehouse, asOf, spark.createDataFrame(rows, OutputTables.REJECTS.schema()),
        SharedRejects.fromImport("market"));
  }
}
