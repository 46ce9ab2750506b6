package io.riskgrid.market.chain;

import io.riskgrid.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file with a header row, read with commons-csv: column names case-insensitive, values trimmed,
 * blank lines skipped. A missing required column fails the whole file (the format is wrong); a bad
 * value fails only its row, through {@link RowProblem}.
 */
final class CsvTable implements AutoCloseable, Iterable<CsvTable.Row> {
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
      .setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true).setIgnoreEmptyLines(true).setTrim(true).get();

  private final String source;
  private final CSVParser parser;

  private CsvTable(String source, CSVParser parser) {
    this.source = source;
    this.parser = parser;
  }

  /** Opens {@code in}, checking that the header has every required column. */
  static CsvTable open(String source, Reader in, List<String> required) {
    CSVParser parser;
    try {
      parser = FORMAT.parse(in);
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      throw new InvalidInputException(source, "cannot read the CSV header: " + e.getMessage());
    }
    Set<String> present = new TreeSet<>();
    parser.getHeaderNames().forEach(h -> present.add(h.toLowerCase(Locale.ROOT)));
    List<String> missing = new ArrayList<>();
    for (String column : required) {
      if (!present.contains(column)) {
        missing.add(column);
      }
    }
    if (!missing.isEmpty()) {
      closeQuietly(parser);
      throw new InvalidInputException(source, "missing column(s) " + missing + " in the header " + parser.getHeaderNames()
          + "; expected at least " + required);
    }
    return new CsvTable(source, parser);
  }

  @Override
  public Iterator<Row> iterator() {
    Iterator<CSVRecord> records = parser.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return records.hasNext();
        } catch (UncheckedIOException | IllegalStateException e) {
          throw new InvalidInputException(source + " after line " + parser.getCurrentLineNumber(),
              "malformed CSV: " + e.getMessage());
        }
      }

      @Override
      public Row next() {
        CSVRecord r = records.next();
        return new Row(r, parser.getCurrentLineNumber());
      }
    };
  }

  @Override
  public void close() {
    closeQuietly(parser);
  }

  private static void closeQuietly(CSVParser parser) {
    try {
      parser.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One record and its line in the file (1 is the header). */
  static final class Row {
    private final CSVRecord record;
    private final long line;

    Row(CSVRecord record, long line) {
      this.record = record;
      this.line = line;
    }

    long line() {
      return line;
    }

    /** The value, or null when the row has no such field or it is blank. */
    String optional(String column) {
      if (!record.isSet(column)) {
        return null;
      }
      String v = record.get(column);
      return v == null || v.isBlank() ? null : v;
    }

    String text(String column) throws RowProblem {
      String v = optional(column);
      if (v == null) {
        throw new RowProblem(column + " is missing");
      }
      return v;
    }

    /** A decimal number (no NaN, no infinity, no hex), required. */
    double number(String column) throws RowProblem {
      return parse(column, text(column));
    }

    /** A decimal number, or NaN when the field is blank. */
    double optionalNumber(String column) throws RowProblem {
      String v = optional(column);
      return v == null ? Double.NaN : parse(column, v);
    }

    long whole(String column) throws RowProblem {
      String v = text(column);
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new RowProblem(column + " is not a whole number: '" + v + "'");
      }
    }

    private static double parse(String column, String v) throws RowProblem {
      try {
        return new BigDecimal(v).doubleValue();
      } catch (NumberFormatException e) {
        throw new RowProblem(column + " is not a number: '" + v + "'");
      }
    }
  }

  /** Why one row cannot be used; becomes a {@link RowReject}. */
  static final class RowProblem extends Exception {
    private static final long serialVersionUID = 1L;

    RowProblem(String reason) {
      super(reason, null, false, false);
    }

    /** Requires {@code value} finite and > 0. */
    static double positive(String column, double value) throws RowProblem {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new RowProblem(column + " must be finite and > 0, got " + value);
      }
      return value;
    }

    /** Requires {@code value} finite and ≥ 0, or NaN when {@code optional}. */
    static double nonNegative(String column, double value, boolean optional) throws RowProblem {
      if (optional && Double.isNaN(value)) {
        return value;
      }
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new RowProblem(column + " must be finite and >= 0, got " + value);
      }
      return value;
    }
  }
}
