package io.riskgrid.jobs.backtest;

import static io.riskgrid.jobs.spark.SparkValues.instant;
import static io.riskgrid.jobs.spark.SparkValues.number;
import static io.riskgrid.jobs.spark.SparkValues.text;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.InvalidInputException;
import io.riskgrid.backtest.history.DailyMarket;
import io.riskgrid.backtest.history.MarketHistory;
import io.riskgrid.backtest.history.VolSource;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.Table;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A {@link MarketHistory} in the market tables: {@code market_underlyings}, {@code market_forwards} and
 * {@code market_vol_slices}, one {@code as_of_date} per day, written for a whole date range in one atomic
 * replace per table (a rerun of the range replaces it). Read back, every vol is {@link VolSource#SURFACE}:
 * the tables do not say how a surface was made.
 */
public final class HistoryTables {
  private HistoryTables() {}

  /** Writes every day of {@code history} in [from, to], replacing those dates in the three tables. */
  public static long write(SparkSession spark, Warehouse warehouse, MarketHistory history, LocalDate from, LocalDate to) {
    List<Row> underlyings = new ArrayList<>();
    List<Row> forwards = new ArrayList<>();
    List<Row> slices = new ArrayList<>();
    for (DailyMarket day : history.between(from, to).markets()) {
      Date d = SparkValues.date(day.date());
      for (UnderlyingMarket m : day.snapshot().underlyings().values()) {
        underlyings.add(RowFactory.create(d, SparkValues.timestamp(day.asOf()), m.underlying(), m.index(), m.rate(),
            m.basis(), null));
        m.listedForwards().forEach((e, f) -> forwards.add(RowFactory.create(d, m.underlying(), SparkValues.timestamp(e), f)));
        for (SviSlice s : m.slices()) {
          slices.add(RowFactory.create(d, m.underlying(), SparkValues.timestamp(s.expiry()), s.a(), s.b(), s.rho(), s.m(),
              s.sigma(), null, List.of()));
        }
      }
    }
    replace(spark, warehouse, InputTables.MARKET_UNDERLYINGS, underlyings, from, to);
    replace(spark, warehouse, InputTables.MARKET_FORWARDS, forwards, from, to);
    replace(spark, warehouse, InputTables.MARKET_VOL_SLICES, slices, from, to);
    return history.between(from, to).size();
  }

  private static void replace(SparkSession spark, Warehouse warehouse, Table table, List<Row> rows, LocalDate from,
      LocalDate to) {
    warehouse.replaceRange(spark.createDataFrame(rows, table.schema()), table, from, to);
  }

  /** The days of [from, to] that {@code market_underlyings} has, with their forwards and slices. */
  public static MarketHistory read(Warehouse warehouse, LocalDate from, LocalDate to) {
    Map<LocalDate, Map<String, Map<Instant, Double>>> forwards = new HashMap<>();
    for (Row r : range(warehouse, InputTables.MARKET_FORWARDS, from, to)) {
      forwards.computeIfAbsent(date(r), k -> new HashMap<>()).computeIfAbsent(text(r, "underlying"), k -> new TreeMap<>())
          .put(instant(r, "expiry"), number(r, "forward"));
    }
    Map<LocalDate, Map<String, List<SviSlice>>> slices = new HashMap<>();
    for (Row r : range(warehouse, InputTables.MARKET_VOL_SLICES, from, to)) {
      slices.computeIfAbsent(date(r), k -> new HashMap<>()).computeIfAbsent(text(r, "underlying"), k -> new ArrayList<>())
          .add(new SviSlice(instant(r, "expiry"), number(r, "a"), number(r, "b"), number(r, "rho"), number(r, "m"),
              number(r, "sigma_svi")));
    }
    Map<LocalDate, List<Row>> byDate = new TreeMap<>();
    for (Row r : range(warehouse, InputTables.MARKET_UNDERLYINGS, from, to)) {
      byDate.computeIfAbsent(date(r), k -> new ArrayList<>()).add(r);
    }
    List<DailyMarket> days = new ArrayList<>();
    byDate.forEach((date, rows) -> {
      Instant asOf = instant(rows.get(0), "as_of_ts");
      Map<String, UnderlyingMarket> markets = new LinkedHashMap<>();
      Map<String, VolSource> sources = new LinkedHashMap<>();
      rows.sort((a, b) -> text(a, "underlying").compareTo(text(b, "underlying")));
      for (Row r : rows) {
        String u = text(r, "underlying");
        if (!asOf.equals(instant(r, "as_of_ts"))) {
          throw new InvalidInputException("market_underlyings.as_of_ts", "every row of " + date
              + " needs the same valuation instant, got " + asOf + " and " + instant(r, "as_of_ts"));
        }
        markets.put(u, new UnderlyingMarket(u, asOf, number(r, "index_price"), number(r, "rate"), number(r, "basis"),
            forwards.getOrDefault(date, Map.of()).getOrDefault(u, Map.of()),
            slices.getOrDefault(date, Map.of()).getOrDefault(u, List.of())));
        sources.put(u, VolSource.SURFACE);
      }
      days.add(new DailyMarket(date, new MarketSnapshot(asOf, markets, Map.of()), sources));
    });
    return MarketHistory.of(days);
  }

  private static List<Row> range(Warehouse warehouse, Table table, LocalDate from, LocalDate to) {
    Dataset<Row> all = warehouse.read(table);
    return all.where(col("as_of_date").geq(lit(Date.valueOf(from))).and(col("as_of_date").leq(lit(Date.valueOf(to)))))
        .collectAsList();
  }

  private static LocalDate date(Row r) {
    Object v = r.get(r.fieldIndex("as_of_date"));
    return v instanceof LocalDate d ? d : ((Date) v).toLocalDate();
  }
}
