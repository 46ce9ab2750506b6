package io.riskgrid.market.chain;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.market.TimeConventions;
import java.io.Reader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the book-summary chain format ({@link ChainFormat#CHAIN}), one row per option. */
final class BookSummaryReader {
  static final List<String> COLUMNS = List.of("instrument", "underlying", "expiry", "strike", "option_type",
      "mark_iv", "mark_price", "underlying_price", "index_price", "open_interest");

  private BookSummaryReader() {}

  static ChainFile read(String source, Reader in, Instant asOf) {
    List<OptionQuote> options = new ArrayList<>();
    List<RowReject> rejects = new ArrayList<>();
    Map<String, Long> firstLine = new HashMap<>();
    long rows = 0;
    try (CsvTable table = CsvTable.open(source, in, COLUMNS)) {
      for (CsvTable.Row row : table) {
        rows++;
        String id = row.optional("instrument");
        try {
          OptionQuote q = quote(source, row, asOf);
          Long first = firstLine.putIfAbsent(q.instrument(), row.line());
          if (first != null) {
            throw new CsvTable.RowProblem("duplicate instrument, first on line " + first);
          }
          options.add(q);
        } catch (CsvTable.RowProblem e) {
          rejects.add(new RowReject(source, row.line(), id, e.getMessage()));
        }
      }
    }
    return new ChainFile(source, ChainFormat.CHAIN, rows, options, rejects, 0, 0);
  }

  private static OptionQuote quote(String source, CsvTable.Row row, Instant asOf) throws CsvTable.RowProblem {
    String id = row.text("instrument");
    String underlying = row.text("underlying");
    Instant expiry = expiry(row.text("expiry"), asOf);
    double strike = CsvTable.RowProblem.positive("strike", row.number("strike"));
    OptionType type = optionType(row.text("option_type"));
    double iv = CsvTable.RowProblem.positive("mark_iv", row.number("mark_iv"));
    double markPrice = CsvTable.RowProblem.nonNegative("mark_price", row.number("mark_price"), false);
    double forward = CsvTable.RowProblem.positive("underlying_price", row.number("underlying_price"));
    double index = CsvTable.RowProblem.positive("index_price", row.number("index_price"));
    double openInterest = CsvTable.RowProblem.nonNegative("open_interest", row.optionalNumber("open_interest"), true);
    // Vols are decimals everywhere; the file publishes percent (DESIGN §3).
    return new OptionQuote(id, underlying, expiry, strike, type, iv / 100, markPrice, forward, index, openInterest,
        source, row.line());
  }

  /** An expiry instant strictly after the valuation instant. */
  static Instant expiry(String text, Instant asOf) throws CsvTable.RowProblem {
    Instant expiry;
    try {
      expiry = TimeConventions.parseInstant("expiry", text);
    } catch (InvalidInputException e) {
      throw new CsvTable.RowProblem(e.getMessage());
    }
    return afterAsOf(expiry, asOf);
  }

  static Instant afterAsOf(Instant expiry, Instant asOf) throws CsvTable.RowProblem {
    if (!expiry.isAfter(asOf)) {
      throw new CsvTable.RowProblem("expiry " + expiry + " is at or before the valuation instant " + asOf
          + " (expired); drop the row or import at an earlier --as-of-ts");
    }
    return expiry;
  }

  static OptionType optionType(String text) throws CsvTable.RowProblem {
    try {
      return OptionType.parse("option_type", text);
    } catch (InvalidInputException e) {
      throw new CsvTable.RowProblem(e.getMessage());
    }
  }
}
