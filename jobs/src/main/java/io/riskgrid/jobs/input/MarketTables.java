package io.riskgrid.jobs.input;

import static io.riskgrid.jobs.spark.SparkValues.instant;
import static io.riskgrid.jobs.spark.SparkValues.number;
import static io.riskgrid.jobs.spark.SparkValues.text;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.jobs.spark.Concurrently;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.market.fit.SliceFlag;
import io.riskgrid.market.fit.SviFit;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Reads and writes the market and instrument tables (small: collected to the driver for stage 1).
 * Malformed instrument rows are kept with their reason, so accounts holding them become REJECTED.
 */
public final class MarketTables {
  private MarketTables() {}

  /** Instruments that parsed, and malformed ones by id with the reason. */
  public record InstrumentSet(List<Instrument> instruments, Map<String, String> malformed) {}

  /** What stage 1 values for one date: the instruments (all dates share them) and the date's market. */
  public record MarketOfDate(InstrumentSet instruments, MarketSnapshot snapshot) {}

  /** The instruments and the market snapshot of {@code asOf}. */
  public static MarketOfDate read(Warehouse warehouse, LocalDate asOf) {
    // Five small Spark jobs, each mostly driver time (Delta log, planning, one task): run together, the
    // read costs about the slowest of them rather than their sum (11-14 s in a fresh JVM at 1M accounts).
    ExecutorService pool = Concurrently.daemonPool(5, "riskgrid-market-read");
    try {
      return read(warehouse, asOf, pool);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * As {@link #read(Warehouse, LocalDate)}, the five small table reads run on {@code executor}: together
   * when it has threads for them, which is what a one-account command such as {@code explain} waits for.
   */
  public static MarketOfDate read(Warehouse warehouse, LocalDate asOf, Executor executor) {
    CompletableFuture<InstrumentSet> instruments = CompletableFuture.supplyAsync(() -> readInstruments(warehouse), executor);
    MarketSnapshot snapshot = readSnapshot(warehouse, asOf, executor);
    return new MarketOfDate(join(instruments), snapshot);
  }

  private static <T> T join(CompletableFuture<T> read) {
    try {
      return read.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  public static InstrumentSet readInstruments(Warehouse warehouse) {
    List<Instrument> ok = new ArrayList<>();
    Map<String, String> malformed = new TreeMap<>();
    for (Row r : warehouse.read(InputTables.INSTRUMENTS).collectAsList()) {
      String id = text(r, "instrument_id");
      try {
        ok.add(instrument(r));
      } catch (InvalidInputException e) {
        malformed.put(id == null ? "<null id>" : id, e.getMessage());
      }
    }
    return new InstrumentSet(ok, malformed);
  }

  static Instrument instrument(Row r) {
    String id = text(r, "instrument_id");
    String where = "instrument " + id;
    InstrumentKind kind = InstrumentKind.parse(where + ".kind", text(r, "kind"));
    OptionType type = kind == InstrumentKind.OPTION ? OptionType.parse(where + ".option_type", text(r, "option_type")) : null;
    return new Instrument(id, text(r, "underlying"), kind, Settlement.parse(where + ".settlement", text(r, "settlement")),
        type, number(r, "strike"), instant(r, "expiry"), number(r, "multiplier"));
  }

  /** The market snapshot of {@code asOf}: every underlying with its forwards, slices and marks. */
  public static MarketSnapshot readSnapshot(Warehouse warehouse, LocalDate asOf) {
    return readSnapshot(warehouse, asOf, Runnable::run);
  }

  private static MarketSnapshot readSnapshot(Warehouse warehouse, LocalDate asOf, Executor executor) {
    CompletableFuture<List<Row>> forwardRows = rows(warehouse, InputTables.MARKET_FORWARDS, asOf, executor);
    CompletableFuture<List<Row>> sliceRows = rows(warehouse, InputTables.MARKET_VOL_SLICES, asOf, executor);
    CompletableFuture<List<Row>> markRows = CompletableFuture.supplyAsync(() -> warehouse.exists(InputTables.MARKET_OPTION_MARKS)
        ? warehouse.read(InputTables.MARKET_OPTION_MARKS, asOf).collectAsList() : List.<Row>of(), executor);
    List<Row> underlyings = warehouse.read(InputTables.MARKET_UNDERLYINGS, asOf).collectAsList();
    if (underlyings.isEmpty()) {
      throw new InvalidInputException("market_underlyings", "no rows for as_of_date " + asOf
          + "; run 'riskgrid generate --as-of " + asOf + "' or load the market first");
    }
    Instant ts = null;
    for (Row r : underlyings) {
      Instant t = instant(r, "as_of_ts");
      if (t == null || (ts != null && !ts.equals(t))) {
        throw new InvalidInputException("market_underlyings.as_of_ts", "every row of " + asOf
            + " needs the same non-null valuation instant, got " + ts + " and " + t);
      }
      ts = t;
    }
    Map<String, Map<Instant, Double>> forwards = new HashMap<>();
    for (Row r : join(forwardRows)) {
      forwards.computeIfAbsent(text(r, "underlying"), k -> new TreeMap<>()).put(instant(r, "expiry"), number(r, "forward"));
    }
    Map<String, List<SviSlice>> slices = new HashMap<>();
    for (Row r : join(sliceRows)) {
      if (flags(r).contains(SliceFlag.NO_FIT.name())) {
        continue; // the expiry did not fit: its options keep their mark IVs only (DESIGN §7.1)
      }
      slices.computeIfAbsent(text(r, "underlying"), k -> new ArrayList<>()).add(new SviSlice(instant(r, "expiry"),
          number(r, "a"), number(r, "b"), number(r, "rho"), number(r, "m"), number(r, "sigma_svi")));
    }
    Map<String, UnderlyingMarket> markets = new LinkedHashMap<>();
    for (Row r : underlyings) {
      String u = text(r, "underlying");
      markets.put(u, new UnderlyingMarket(u, ts, number(r, "index_price"), number(r, "rate"), number(r, "basis"),
          forwards.getOrDefault(u, Map.of()), slices.getOrDefault(u, List.of())));
    }
    Map<String, Double> marks = new HashMap<>();
    for (Row r : join(markRows)) {
      marks.put(text(r, "instrument_id"), number(r, "mark_iv"));
    }
    return new MarketSnapshot(ts, markets, marks);
  }

  private static CompletableFuture<List<Row>> rows(Warehouse warehouse, Table table, LocalDate asOf,
      Executor executor) {
    return CompletableFuture.supplyAsync(() -> warehouse.read(table, asOf).collectAsList(), executor);
  }

  /**
   * Writes a snapshot's market tables for {@code asOf}, replacing that date's slices: underlyings,
   * forwards, vol slices (without fit statistics) and option marks (an empty slice when the snapshot
   * has none, so marks of an earlier load of the date do not outlive it).
   */
  public static void writeSnapshot(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarketSnapshot market) {
    writeSnapshot(spark, warehouse, asOf, market, Map.of());
  }

  /**
   * As {@link #writeSnapshot(SparkSession, Warehouse, LocalDate, MarketSnapshot)}, with the vol slices
   * taken from {@code fits} where an underlying has them: every fitted expiry with its {@code fit_rmse}
   * and {@code arbitrage_flags}, and an expiry that did not fit as a row flagged NO_FIT with null
   * parameters, which {@link #readSnapshot} skips. A value that is not finite (a missing index or
   * forward) is written as null, which reads back as NaN, so the underlying stays DATA_ERROR.
   */
  public static void writeSnapshot(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarketSnapshot market,
      Map<String, List<SviFit>> fits) {
    java.sql.Date d = SparkValues.date(asOf);
    List<Row> und = new ArrayList<>();
    List<Row> fwd = new ArrayList<>();
    List<Row> vol = new ArrayList<>();
    for (UnderlyingMarket m : market.underlyings().values()) {
      und.add(RowFactory.create(d, SparkValues.timestamp(market.asOf()), m.underlying(), finite(m.index()), m.rate(),
          m.basis(), 0.0));
      m.listedForwards().forEach((e, f) -> fwd.add(RowFactory.create(d, m.underlying(), SparkValues.timestamp(e), finite(f))));
      List<SviFit> own = fits.get(m.underlying());
      if (own == null) {
        for (SviSlice s : m.slices()) {
          vol.add(sliceRow(d, m.underlying(), s.expiry(), s, null, List.of()));
        }
      } else {
        for (SviFit f : own) {
          vol.add(sliceRow(d, m.underlying(), f.expiry(), f.slice(), f.hasSlice() ? f.rmse() : null, f.flagNames()));
        }
      }
    }
    List<Row> marks = new ArrayList<>();
    market.markIvs().forEach((id, iv) -> marks.add(RowFactory.create(d, id, finite(iv))));
    warehouse.replaceSlice(spark.createDataFrame(und, InputTables.MARKET_UNDERLYINGS.schema()), InputTables.MARKET_UNDERLYINGS, asOf);
    warehouse.replaceSlice(spark.createDataFrame(fwd, InputTables.MARKET_FORWARDS.schema()), InputTables.MARKET_FORWARDS, asOf);
    warehouse.replaceSlice(spark.createDataFrame(vol, InputTables.MARKET_VOL_SLICES.schema()), InputTables.MARKET_VOL_SLICES, asOf);
    warehouse.replaceSlice(spark.createDataFrame(marks, InputTables.MARKET_OPTION_MARKS.schema()),
        InputTables.MARKET_OPTION_MARKS, asOf);
  }

  private static Row sliceRow(java.sql.Date d, String underlying, Instant expiry, SviSlice s, Double rmse, List<String> flags) {
    return RowFactory.create(d, underlying, SparkValues.timestamp(expiry), s == null ? null : s.a(), s == null ? null : s.b(),
        s == null ? null : s.rho(), s == null ? null : s.m(), s == null ? null : s.sigma(), rmse, flags);
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** The {@code arbitrage_flags} of a vol-slice row; empty when null. */
  private static List<String> flags(Row r) {
    int i = r.fieldIndex("arbitrage_flags");
    return r.isNullAt(i) ? List.of() : r.getList(i);
  }

  /** Adds instruments whose ids the table does not have yet; existing rows are kept as they are. */
  public static void mergeInstruments(SparkSession spark, Warehouse warehouse, List<Instrument> instruments) {
    List<Row> rows = new ArrayList<>();
    for (Instrument i : instruments) {
      rows.add(RowFactory.create(i.id(), i.underlying(), i.kind().name(), i.settlement().name(),
          i.optionType() == null ? null : i.optionType().name(), i.isOption() ? i.strike() : null,
          SparkValues.timestamp(i.expiry()), i.multiplier()));
    }
    var fresh = spark.createDataFrame(rows, InputTables.INSTRUMENTS.schema());
    if (warehouse.exists(InputTables.INSTRUMENTS)) {
      var existing = warehouse.read(InputTables.INSTRUMENTS);
      var added = fresh.join(existing.select("instrument_id"), fresh.col("instrument_id").equalTo(existing.col("instrument_id")),
          "left_anti");
      warehouse.append(added, InputTables.INSTRUMENTS);
    } else {
      warehouse.overwrite(fresh, InputTables.INSTRUMENTS);
    }
  }
}
