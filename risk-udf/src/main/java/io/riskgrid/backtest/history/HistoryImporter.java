package io.riskgrid.backtest.history;

import io.riskgrid.InvalidInputException;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.market.history.DailyHistory;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;

/**
 * Builds a {@link MarketHistory} from real daily closes (DESIGN §3.6). Every day gets, per underlying
 * with a close, a flat surface at the day's ATM vol, chosen by this rule:
 * <ol>
 *   <li>the closes file's own {@code atm_iv} column (decimal) where present, finite and &gt; 0
 *       ({@link VolSource#ATM_IV});</li>
 *   <li>else the vol index (percent, e.g. Deribit DVOL) divided by 100 ({@link VolSource#DVOL});</li>
 *   <li>else the 30-day realised vol of daily log returns (sample standard deviation of the 30 returns
 *       ending on the day, annualised by √365 since crypto trades every calendar day) times
 *       {@code iv_over_rv} ({@link VolSource#REALISED}).</li>
 * </ol>
 * An underlying without a close, or without any vol (its first 30 days), has no market that day. Rate and
 * basis are 0 and no forward is listed, so F = S. The valuation instant is the next day at 00:00:00Z.
 */
public final class HistoryImporter {
  /** Daily log returns in the realised-vol window. */
  public static final int REALISED_VOL_DAYS = 30;
  /** The flat slice's tenor: with one slice the surface is flat in T too (DESIGN §3.1 step 4). */
  public static final int SLICE_TENOR_DAYS = 30;
  /** Crypto trades every calendar day: returns are annualised over 365 days. */
  public static final double TRADING_DAYS_PER_YEAR = 365.0;

  private HistoryImporter() {}

  /** The shipped closes of BTC, ETH and SOL with the shipped DVOL of BTC and ETH. */
  public static MarketHistory shipped(double ivOverRv) {
    return fromCloses(DailyHistory.shipped(DailyHistory.CLOSES), null, DailyHistory.shipped(DailyHistory.DVOL), ivOverRv);
  }

  /**
   * The history of {@code closes} (USD per coin) with optional ATM implied vols (decimal) and an optional
   * vol index (percent); either may be null.
   */
  public static MarketHistory fromCloses(DailyHistory closes, DailyHistory atmIv, DailyHistory volIndexPercent,
      double ivOverRv) {
    if (!(ivOverRv > 0) || Double.isInfinite(ivOverRv)) {
      throw new InvalidInputException("backtest.iv_over_rv", "must be finite and > 0, got " + ivOverRv);
    }
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (String u : closes.underlyings()) {
      dates.addAll(closes.of(u).keySet());
    }
    List<DailyMarket> days = new ArrayList<>();
    for (LocalDate date : dates) {
      Instant asOf = DailyMarket.closeInstant(date);
      Instant sliceExpiry = asOf.plus(SLICE_TENOR_DAYS, ChronoUnit.DAYS);
      double sliceTau = SLICE_TENOR_DAYS / 365.0;
      Map<String, UnderlyingMarket> markets = new LinkedHashMap<>();
      Map<String, VolSource> sources = new LinkedHashMap<>();
      for (String u : closes.underlyings()) {
        double close = closes.on(u, date);
        if (Double.isNaN(close)) {
          continue;
        }
        double vol;
        VolSource source;
        double atm = atmIv == null ? Double.NaN : atmIv.on(u, date);
        double index = volIndexPercent == null ? Double.NaN : volIndexPercent.on(u, date) / 100.0;
        if (usable(atm)) {
          vol = atm;
          source = VolSource.ATM_IV;
        } else if (usable(index)) {
          vol = index;
          source = VolSource.DVOL;
        } else {
          vol = realisedVol(closes.of(u), date) * ivOverRv;
          source = VolSource.REALISED;
          if (!usable(vol)) {
            continue;
          }
        }
        markets.put(u, new UnderlyingMarket(u, asOf, close, 0.0, 0.0, Map.of(),
            List.of(SviSlice.flat(sliceExpiry, vol, sliceTau))));
        sources.put(u, source);
      }
      if (!markets.isEmpty()) {
        days.add(new DailyMarket(date, new MarketSnapshot(asOf, markets, Map.of()), sources));
      }
    }
    return MarketHistory.of(days);
  }

  /**
   * The annualised 30-day realised vol on {@code date}: the sample standard deviation (n − 1) of the 30
   * daily log returns ending on {@code date}, × √365. NaN unless all 31 closes from {@code date − 30} on exist.
   */
  public static double realisedVol(NavigableMap<LocalDate, Double> closes, LocalDate date) {
    double[] returns = new double[REALISED_VOL_DAYS];
    for (int i = 0; i < REALISED_VOL_DAYS; i++) {
      Double now = closes.get(date.minusDays(i));
      Double before = closes.get(date.minusDays(i + 1));
      if (now == null || before == null) {
        return Double.NaN;
      }
      returns[i] = Math.log(now / before);
    }
    double mean = 0;
    for (double r : returns) {
      mean += r;
    }
    mean /= returns.length;
    double squares = 0;
    for (double r : returns) {
      squares += (r - mean) * (r - mean);
    }
    return Math.sqrt(squares / (returns.length - 1) * TRADING_DAYS_PER_YEAR);
  }

  private static boolean usable(double vol) {
    return vol > 0 && Double.isFinite(vol);
  }

  /** Closes and, when the file has a fourth column {@code atm_iv}, ATM implied vols (decimal). */
  public record Closes(DailyHistory closes, DailyHistory atmIv) {}

  /**
   * Reads {@code date,underlying,close[,atm_iv]} CSV with a header. An empty {@code atm_iv} cell means
   * none that day. Every bad line is an error naming the source and line.
   */
  public static Closes readCloses(InputStream in, String source) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = r.readLine();
    if (header == null) {
      throw new InvalidInputException(source, "is empty; expected a header date,underlying,close[,atm_iv]");
    }
    String[] columns = header.trim().split(",");
    boolean withIv = columns.length >= 4;
    if (columns.length < 3 || (withIv && !columns[3].trim().equalsIgnoreCase("atm_iv"))) {
      throw new InvalidInputException(source, "header '" + header + "': expected date,underlying,close[,atm_iv]");
    }
    StringBuilder closeCsv = new StringBuilder("date,underlying,close\n");
    StringBuilder ivCsv = new StringBuilder("date,underlying,atm_iv\n");
    int line = 1;
    for (String s = r.readLine(); s != null; s = r.readLine()) {
      line++;
      String[] f = s.split(",", -1);
      if (s.isBlank()) {
        closeCsv.append('\n');
        ivCsv.append('\n');
        continue;
      }
      if (f.length < 3) {
        throw new InvalidInputException(source + " line " + line, "cannot read '" + s + "': expected 3 or 4 fields");
      }
      closeCsv.append(f[0]).append(',').append(f[1]).append(',').append(f[2]).append('\n');
      // Blank lines keep line numbers aligned with the source in DailyHistory's messages.
      if (withIv && f.length > 3 && !f[3].isBlank()) {
        ivCsv.append(f[0]).append(',').append(f[1]).append(',').append(f[3]).append('\n');
      } else {
        ivCsv.append('\n');
      }
    }
    DailyHistory closes = DailyHistory.read(bytes(closeCsv), source);
    DailyHistory iv = withIv ? DailyHistory.read(bytes(ivCsv), source + " (atm_iv)") : null;
    return new Closes(closes, iv);
  }

  private static InputStream bytes(StringBuilder csv) {
    return new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8));
  }
}
