package io.riskgrid.market.chain;

import io.riskgrid.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Deribit snapshots shipped on the classpath ({@code io/riskgrid/data/chains}, see
 * {@code io/riskgrid/data/PROVENANCE.md}): a calm day, 2026-01-05 21:21:30Z, and the evening of a crash,
 * 2026-02-05 21:29:38Z, each with a BTC and an ETH book-summary chain and a futures file.
 */
public final class ShippedChains {
  public static final LocalDate CALM = LocalDate.of(2026, 1, 5);
  public static final LocalDate CRASH = LocalDate.of(2026, 2, 5);
  public static final List<String> UNDERLYINGS = List.of("BTC", "ETH");
  private static final String FOLDER = "/io/riskgrid/data/chains/";
  /** Snapshot instants as the data's README gives them (the source's collector start times). */
  private static final Map<LocalDate, Instant> SNAPSHOT = Map.of(
      CALM, Instant.parse("2026-01-05T21:21:30Z"),
      CRASH, Instant.parse("2026-02-05T21:29:38Z"));

  private ShippedChains() {}

  /** The dates that have a shipped snapshot. */
  public static List<LocalDate> dates() {
    return List.of(CALM, CRASH);
  }

  /** The valuation instant of the shipped snapshot of {@code date}. */
  public static Instant snapshotTime(LocalDate date) {
    Instant t = SNAPSHOT.get(date);
    if (t == null) {
      throw new InvalidInputException("market", "no shipped snapshot for " + date + "; shipped: " + dates());
    }
    return t;
  }

  /** Classpath resource of the chain of one underlying on {@code date}. */
  public static String chainResource(LocalDate date, String underlying) {
    snapshotTime(date);
    return FOLDER + "deribit_" + underlying + "_" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + ".csv";
  }

  /** Classpath resource of the futures file of {@code date}. */
  public static String futuresResource(LocalDate date) {
    snapshotTime(date);
    return FOLDER + "deribit_futures_" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + ".csv";
  }

  /** The BTC and ETH chains of {@code date}, read at its snapshot instant. */
  public static List<ChainFile> chains(LocalDate date) {
    ChainReader reader = new ChainReader(snapshotTime(date));
    List<ChainFile> files = new ArrayList<>();
    for (String u : UNDERLYINGS) {
      String resource = chainResource(date, u);
      files.add(read(resource, in -> reader.readChain(ChainFormat.CHAIN, resource, in)));
    }
    return files;
  }

  /** The futures file of {@code date}, read at its snapshot instant. */
  public static FuturesFile futures(LocalDate date) {
    ChainReader reader = new ChainReader(snapshotTime(date));
    String resource = futuresResource(date);
    return read(resource, in -> reader.readFutures(resource, in));
  }

  /** The whole shipped market of {@code date}, fitted, at rate 0. */
  public static ImportedMarket market(LocalDate date) {
    return ChainMarketBuilder.DEFAULT.build(snapshotTime(date), chains(date), futures(date), 0.0);
  }

  private static <T> T read(String resource, Function<Reader, T> parse) {
    try (InputStream in = ShippedChains.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing shipped chain " + resource);
      }
      return parse.apply(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
