package io.riskgrid.market.chain;

import java.io.Reader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a futures file: instrument, underlying, kind (index|perpetual|future|synthetic), expiry
 * (futures and synthetics), price (USD), note (ignored).
 */
final class FuturesReader {
  static final List<String> COLUMNS = List.of("instrument", "underlying", "kind", "expiry", "price");

  private FuturesReader() {}

  static FuturesFile read(String source, Reader in, Instant asOf) {
    List<FuturesQuote> quotes = new ArrayList<>();
    List<RowReject> rejects = new ArrayList<>();
    Map<String, Long> firstLine = new HashMap<>();
    long rows = 0;
    try (CsvTable table = CsvTable.open(source, in, COLUMNS)) {
      for (CsvTable.Row row : table) {
        rows++;
        String id = row.optional("instrument");
        FuturesQuote identity;
        try {
          identity = identity(source, row, asOf);
          Long first = firstLine.putIfAbsent(identity.instrument(), row.line());
          if (first != null) {
            throw new CsvTable.RowProblem("duplicate instrument, first on line " + first);
          }
        } catch (CsvTable.RowProblem e) {
          rejects.add(new RowReject(source, row.line(), id, e.getMessage()));
          continue;
        }
        double price;
        try {
          price = CsvTable.RowProblem.positive("price", row.number("price"));
        } catch (CsvTable.RowProblem e) {
          rejects.add(new RowReject(source, row.line(), id, e.getMessage() + "; " + identity.underlying()
              + " has no usable " + identity.kind().name().toLowerCase() + " price and becomes DATA_ERROR"));
          price = Double.NaN;
        }
        quotes.add(new FuturesQuote(identity.instrument(), identity.underlying(), identity.kind(), identity.expiry(),
            price, source, row.line()));
      }
    }
    return new FuturesFile(source, rows, quotes, rejects);
  }

  /** The row's instrument, underlying, kind and expiry (price not yet read). */
  private static FuturesQuote identity(String source, CsvTable.Row row, Instant asOf) throws CsvTable.RowProblem {
    String id = row.text("instrument");
    String underlying = row.text("underlying");
    String kindText = row.text("kind");
    FuturesKind kind = FuturesKind.parse(kindText);
    if (kind == null) {
      throw new CsvTable.RowProblem("kind '" + kindText + "' is unknown; expected index, perpetual, future or synthetic");
    }
    boolean dated = kind == FuturesKind.FUTURE || kind == FuturesKind.SYNTHETIC;
    Instant expiry = dated ? BookSummaryReader.expiry(row.text("expiry"), asOf) : null;
    return new FuturesQuote(id, underlying, kind, expiry, Double.NaN, source, row.line());
  }
}
