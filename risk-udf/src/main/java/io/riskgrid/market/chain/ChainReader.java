package io.riskgrid.market.chain;

import io.riskgrid.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Reads option-chain and futures files at one valuation instant {@code asOf} (DESIGN §7.1). Every row
 * either becomes a quote or a {@link RowReject} naming the file, line and reason: NaN, zero or negative
 * IVs, strikes ≤ 0, expiries at or before {@code asOf}, unparsable numbers and missing index prices
 * are rejects. A file without the format's columns is an error naming the missing ones.
 */
public final class ChainReader {
  private final Instant asOf;

  public ChainReader(Instant asOf) {
    this.asOf = Objects.requireNonNull(asOf, "asOf");
  }

  public Instant asOf() {
    return asOf;
  }

  /** Reads an option chain of the given format; {@code source} names it in rejects and errors. */
  public ChainFile readChain(ChainFormat format, String source, Reader in) {
    return switch (format) {
      case CHAIN -> BookSummaryReader.read(source, in, asOf);
      case OPTIONS_CHAIN -> OptionsChainReader.read(source, in, asOf);
    };
  }

  public ChainFile readChain(ChainFormat format, Path file) {
    try (Reader in = open(file)) {
      return readChain(format, file.toString(), in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a futures file (instrument, underlying, kind, expiry, price). */
  public FuturesFile readFutures(String source, Reader in) {
    return FuturesReader.read(source, in, asOf);
  }

  public FuturesFile readFutures(Path file) {
    try (Reader in = open(file)) {
      return readFutures(file.toString(), in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Reader open(Path file) throws IOException {
    try {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file.toString(), "no such file");
    }
  }
}
