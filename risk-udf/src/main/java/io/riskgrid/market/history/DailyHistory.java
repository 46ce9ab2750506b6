package io.riskgrid.market.history;

import io.riskgrid.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Daily series per underlying, read from {@code date,underlying,value} CSV: the shipped closes
 * (USD, USDT from the Binance splice on) and Deribit DVOL (percent as published). See
 * {@code io/riskgrid/data/PROVENANCE.md}.
 */
public final class DailyHistory {
  public static final String CLOSES = "/io/riskgrid/data/history/crypto_daily.csv";
  public static final String DVOL = "/io/riskgrid/data/history/dvol_daily.csv";

  private final Map<String, NavigableMap<LocalDate, Double>> series;

  private DailyHistory(Map<String, NavigableMap<LocalDate, Double>> series) {
    this.series = series;
  }

  /** Reads a shipped series from the classpath. */
  public static DailyHistory shipped(String resource) {
    try (InputStream in = DailyHistory.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing shipped history " + resource);
      }
      return read(in, resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@code date,underlying,value} CSV with a header; every bad line is an error naming it. */
  public static DailyHistory read(InputStream in, String source) throws IOException {
    Map<String, NavigableMap<LocalDate, Double>> series = new TreeMap<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = r.readLine();
    if (header == null || header.split(",").length < 3) {
      throw new InvalidInputException(source, "expected a header date,underlying,value");
    }
    int line = 1;
    for (String s = r.readLine(); s != null; s = r.readLine()) {
      line++;
      if (s.isBlank()) {
        continue;
      }
      String[] f = s.split(",");
      try {
        double value = Double.parseDouble(f[2]);
        if (!(value > 0) || Double.isInfinite(value)) {
          throw new NumberFormatException("value must be finite and > 0");
        }
        if (series.computeIfAbsent(f[1], k -> new TreeMap<>()).put(LocalDate.parse(f[0]), value) != null) {
          throw new InvalidInputException(source + " line " + line, "duplicate " + f[0] + " " + f[1]);
        }
      } catch (NumberFormatException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
        throw new InvalidInputException(source + " line " + line, "cannot read '" + s + "': " + e.getMessage());
      }
    }
    return new DailyHistory(series);
  }

  /** The series of one underlying, empty when absent. */
  public NavigableMap<LocalDate, Double> of(String underlying) {
    return Collections.unmodifiableNavigableMap(series.getOrDefault(underlying, new TreeMap<>()));
  }

  /** The value on a date, or NaN. */
  public double on(String underlying, LocalDate date) {
    Double v = of(underlying).get(date);
    return v == null ? Double.NaN : v;
  }

  public java.util.Set<String> underlyings() {
    return series.keySet();
  }
}
