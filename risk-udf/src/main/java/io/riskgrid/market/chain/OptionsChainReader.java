package io.riskgrid.market.chain;

import java.io.Reader;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the vendor {@code options_chain} format ({@link ChainFormat#OPTIONS_CHAIN}): per symbol, the
 * latest row with timestamp at or before the valuation instant is the snapshot; earlier rows are
 * superseded and later ones ignored (both counted). Only Deribit's inverse coin options are read
 * (mark_iv in percent, mark_price in coin); other exchanges and linear USDC options are rejects.
 */
final class OptionsChainReader {
  static final List<String> COLUMNS = List.of("exchange", "symbol", "timestamp", "type", "strike_price",
      "expiration", "open_interest", "mark_price", "mark_iv", "underlying_index", "underlying_price");

  private OptionsChainReader() {}

  private record Latest(CsvTable.Row row, long timestamp) {}

  static ChainFile read(String source, Reader in, Instant asOf) {
    long asOfMicros = ChronoUnit.MICROS.between(Instant.EPOCH, asOf);
    Map<String, Latest> latest = new LinkedHashMap<>();
    List<RowReject> rejects = new ArrayList<>();
    long rows = 0;
    long superseded = 0;
    long after = 0;
    try (CsvTable table = CsvTable.open(source, in, COLUMNS)) {
      for (CsvTable.Row row : table) {
        rows++;
        String symbol = row.optional("symbol");
        try {
          row.text("symbol");
          long ts = row.whole("timestamp");
          if (ts > asOfMicros) {
            after++;
            continue;
          }
          Latest previous = latest.get(symbol);
          if (previous == null || ts >= previous.timestamp()) {
            latest.put(symbol, new Latest(row, ts));
          }
          superseded += previous == null ? 0 : 1;
        } catch (CsvTable.RowProblem e) {
          rejects.add(new RowReject(source, row.line(), symbol, e.getMessage()));
        }
      }
    }
    List<OptionQuote> options = new ArrayList<>();
    for (Map.Entry<String, Latest> e : latest.entrySet()) {
      CsvTable.Row row = e.getValue().row();
      try {
        options.add(quote(source, e.getKey(), row, asOf));
      } catch (CsvTable.RowProblem p) {
        rejects.add(new RowReject(source, row.line(), e.getKey(), p.getMessage()));
      }
    }
    options.sort(Comparator.comparingLong(OptionQuote::line));
    rejects.sort(Comparator.comparingLong(RowReject::line));
    return new ChainFile(source, ChainFormat.OPTIONS_CHAIN, rows, options, rejects, superseded, after);
  }

  private static OptionQuote quote(String source, String symbol, CsvTable.Row row, Instant asOf)
      throws CsvTable.RowProblem {
    String exchange = row.text("exchange");
    if (!exchange.equalsIgnoreCase("deribit")) {
      throw new CsvTable.RowProblem("exchange '" + exchange + "' is not supported: only deribit's conventions "
          + "(mark_iv in percent, inverse options priced in coin) are known");
    }
    int dash = symbol.indexOf('-');
    String underlying = dash > 0 ? symbol.substring(0, dash) : "";
    if (underlying.isEmpty() || underlying.contains("_")) {
      throw new CsvTable.RowProblem("symbol '" + symbol + "' is not a Deribit inverse coin option (UNDERLYING-DDMMMYY-STRIKE-C|P); "
          + "linear USDC options are not imported");
    }
    Instant expiry = BookSummaryReader.afterAsOf(micros(row.whole("expiration")), asOf);
    double strike = CsvTable.RowProblem.positive("strike_price", row.number("strike_price"));
    double iv = CsvTable.RowProblem.positive("mark_iv", row.number("mark_iv"));
    double markPrice = CsvTable.RowProblem.nonNegative("mark_price", row.number("mark_price"), false);
    double forward = CsvTable.RowProblem.positive("underlying_price", row.number("underlying_price"));
    double openInterest = CsvTable.RowProblem.nonNegative("open_interest", row.optionalNumber("open_interest"), true);
    return new OptionQuote(symbol.toUpperCase(Locale.ROOT), underlying.toUpperCase(Locale.ROOT), expiry, strike,
        BookSummaryReader.optionType(row.text("type")), iv / 100, markPrice, forward, Double.NaN, openInterest,
        source, row.line());
  }

  private static Instant micros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
