package io.riskgrid.jobs.imports;

import io.riskgrid.InvalidInputException;
import java.util.Locale;

/** The file formats of {@code import book} (DESIGN §7.1). */
public enum BookFormat {
  /** Comma-separated with a header row; a row's position is its physical line (the header is line 1). */
  CSV,
  /** Parquet; a row's position is its row number in the file, from 1. */
  PARQUET,
  /** JSON Lines, one object per line; a row's position is its physical line, from 1. */
  JSONL,
  /** Deribit-style position snapshots, one account per JSON line ({@link DeribitSnapshot}). */
  DERIBIT;

  /** The word that names a row's position in messages: line or row. */
  String positionWord() {
    return this == PARQUET ? "row" : "line";
  }

  static BookFormat parse(String option, String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(option, "'" + text + "' is not a book format: csv, parquet, jsonl or deribit");
    }
  }
}
