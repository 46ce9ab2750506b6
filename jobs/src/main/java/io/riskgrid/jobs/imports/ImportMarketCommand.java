package io.riskgrid.jobs.imports;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.chain.ChainFile;
import io.riskgrid.market.chain.ChainFormat;
import io.riskgrid.market.chain.ChainMarketBuilder;
import io.riskgrid.market.chain.ChainReader;
import io.riskgrid.market.chain.FuturesFile;
import io.riskgrid.market.chain.ImportedMarket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code riskgrid import market}: option chains (and a futures file) at one valuation instant become the
 * market of its UTC date: index, forwards, basis, mark IVs, one SVI slice per expiry with its RMSE and
 * arbitrage flags, and the instruments seen. Bad rows go to {@code rejects}; bad market data makes its
 * underlying DATA_ERROR, never the import fail.
 */
@Command(name = "market", mixinStandardHelpOptions = true,
    description = "Import option chains and futures at one instant as the market of its UTC date, with an SVI fit per expiry.")
public final class ImportMarketCommand implements Callable<Integer> {
  @Mixin
  SparkOptions spark;

  @Option(names = "--as-of-ts", required = true, paramLabel = "INSTANT",
      description = "Valuation instant with a zone, e.g. 2026-02-05T21:29:38Z: every T is measured from it; "
          + "the date written is its UTC day.")
  String asOfTs;

  @Option(names = "--chain", required = true, paramLabel = "FILE",
      description = "An option-chain CSV; repeat for several files (e.g. one per underlying).")
  List<Path> chains = new ArrayList<>();

  @Option(names = "--futures", paramLabel = "FILE",
      description = "Futures CSV (instrument, underlying, kind = index|perpetual|future|synthetic, expiry, price): "
          + "listed futures give the forwards; its index row is used where the chain has no index price.")
  Path futures;

  @Option(names = "--format", defaultValue = "chain", paramLabel = "FORMAT",
      description = "chain (book summary, as the shipped Deribit files) or options-chain (vendor format) "
          + "(default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
      description = "Discount rate, decimal per year (default: ${DEFAULT-VALUE}, as on crypto venues).")
  double rate;

  @Override
  public Integer call() {
    Instant asOf;
    ChainFormat chainFormat;
    try {
      asOf = TimeConventions.parseInstant("--as-of-ts", asOfTs);
      chainFormat = ChainFormat.parse("--format", format);
    } catch (InvalidInputException e) {
      System.err.println("import market: " + e.getMessage());
      return 2;
    }
    ImportedMarket market;
    try {
      market = read(asOf, chainFormat);
    } catch (InvalidInputException e) {
      System.err.println("import market: " + e.getMessage());
      return 2;
    }
    SparkSession session = spark.session("riskgrid import market");
    long t = System.currentTimeMillis();
    ImportMarketJob.Result result = ImportMarketJob.run(session, spark.warehouse(session), market);
    ImportReport.print(System.out, market, result, System.currentTimeMillis() - t);
    return 0;
  }

  /** Reads and fits on the driver: the engine's job, no Spark needed. */
  private ImportedMarket read(Instant asOf, ChainFormat chainFormat) {
    ChainReader reader = new ChainReader(asOf);
    List<ChainFile> files = new ArrayList<>();
    for (Path chain : chains) {
      files.add(reader.readChain(chainFormat, chain));
    }
    FuturesFile futuresFile = futures == null ? null : reader.readFutures(futures);
    return ChainMarketBuilder.DEFAULT.build(asOf, files, futuresFile, rate);
  }
}
