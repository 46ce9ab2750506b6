package io.riskgrid.market.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.market.fit.SliceFlag;
import io.riskgrid.market.fit.SviFit;
import io.riskgrid.pricing.Black76;
import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The market built from chains (DESIGN §7.1), checked against the shipped files' own futures file (which
 * lists the index and every expiry's forward as the data's README defines them) and against Deribit's
 * mark prices; bad market data makes one underlying DATA_ERROR, never the import fail.
 */
class ChainMarketBuilderTest {
  private static final LocalDate CRASH = ShippedChains.CRASH;
  private static final Instant AS_OF = ShippedChains.snapshotTime(CRASH);
  private static final String HEADER =
      "instrument,underlying,expiry,strike,option_type,mark_iv,mark_price,underlying_price,index_price,open_interest\n";

  @Test
  void indexAndForwardsAreTheFuturesFilesValues() {
    ImportedMarket m = ShippedChains.market(CRASH);
    FuturesFile futures = ShippedChains.futures(CRASH);
    assertEquals(Map.of(), m.dataErrors());
    for (FuturesQuote f : futures.quotes()) {
      UnderlyingMarket u = m.snapshot().underlying(f.underlying());
      switch (f.kind()) {
        // The README: the index row is the median of the chain's index_price, printed to the cent.
        case INDEX -> assertEquals(f.price(), u.index(), 0.005, f.instrument());
        // A listed future's price is the forward itself.
        case FUTURE -> assertEquals(f.price(), u.listedForwards().get(f.expiry()), 0.0, f.instrument());
        // A synthetic row is the median underlying_price of its expiry, which the builder takes from the chain.
        case SYNTHETIC -> assertEquals(f.price(), u.listedForwards().get(f.expiry()), 0.005, f.instrument());
        default -> { }
      }
    }
    for (String name : ShippedChains.UNDERLYINGS) {
      UnderlyingMarket u = m.snapshot().underlying(name);
      assertEquals(12, u.listedForwards().size(), name);
      assertEquals(12, u.slices().size(), name);
      assertEquals(0.0, u.rate());
      assertNull(u.dataError(), name);
    }
  }

  @Test
  void basisIsTheLeastSquaresFitOfLogForwardOverSpot() {
    ImportedMarket m = ShippedChains.market(CRASH);
    for (String name : ShippedChains.UNDERLYINGS) {
      UnderlyingMarket u = m.snapshot().underlying(name);
      double sumTy = 0;
      double sumTt = 0;
      for (var f : u.listedForwards().entrySet()) {
        double t = TimeConventions.yearFraction(AS_OF, f.getKey());
        sumTy += t * Math.log(f.getValue() / u.index());
        sumTt += t * t;
      }
      assertEquals(sumTy / sumTt, u.basis(), 1e-15, name);
      // Contango on both coins: the December future is above the index.
      assertTrue(u.basis() > 0 && u.basis() < 0.1, name + " basis " + u.basis());
    }
  }

  @Test
  void marksInstrumentsAndDeribitsMarkPricesAgree() {
    ImportedMarket m = ShippedChains.market(CRASH);
    List<OptionQuote> options = new ArrayList<>();
    ShippedChains.chains(CRASH).forEach(c -> options.addAll(c.options()));
    assertEquals(902 + 938, options.size());
    assertEquals(options.size(), m.optionCount());
    Map<String, Instrument> instruments = m.instruments().stream().collect(Collectors.toMap(Instrument::id, i -> i));
    double[] relativeErrors = new double[options.size()];
    for (int i = 0; i < options.size(); i++) {
      OptionQuote q = options.get(i);
      assertEquals(q.markIv(), m.snapshot().markIv(q.instrument()), 0.0);
      Instrument inst = instruments.get(q.instrument());
      assertEquals(InstrumentKind.OPTION, inst.kind());
      assertEquals(Settlement.INVERSE, inst.settlement());
      assertEquals(1.0, inst.multiplier());
      assertEquals(q.strike(), inst.strike());
      // Deribit's coin mark is Black-76 at mark_iv on the expiry's forward, divided by that forward (DESIGN §3.2).
      double forward = m.snapshot().underlying(q.underlying()).forward(q.expiry());
      double tau = TimeConventions.yearFraction(AS_OF, q.expiry());
      double coin = Black76.price(q.type() == io.riskgrid.instrument.OptionType.CALL, forward, q.strike(), tau, q.markIv(), 0)
          / forward;
      relativeErrors[i] = q.markPrice() > 1e-4 ? Math.abs(coin / q.markPrice() - 1) : 0;
    }
    Arrays.sort(relativeErrors);
    assertTrue(relativeErrors[relativeErrors.length / 2] < 1e-3, "median " + relativeErrors[relativeErrors.length / 2]);
    // Futures and perpetuals of the futures file: inverse, 10 USD (BTC) and 1 USD (ETH) per contract.
    assertEquals(10.0, instruments.get("BTC-PERPETUAL").multiplier());
    assertEquals(InstrumentKind.PERPETUAL, instruments.get("BTC-PERPETUAL").kind());
    assertEquals(1.0, instruments.get("ETH-27MAR26").multiplier());
    assertEquals(Instant.parse("2026-03-27T08:00:00Z"), instruments.get("ETH-27MAR26").expiry());
    long futures = ShippedChains.futures(CRASH).quotes().stream()
        .filter(f -> f.kind() == FuturesKind.FUTURE || f.kind() == FuturesKind.PERPETUAL).count();
    assertEquals(options.size() + futures, m.instruments().size());
    assertTrue(m.instruments().stream().noneMatch(i -> i.id().startsWith("SYN.") || i.id().endsWith("_usd")));
  }

  @Test
  void everyExpiryHasAFitWithItsRmseAndFlags() {
    ImportedMarket m = ShippedChains.market(CRASH);
    for (String name : ShippedChains.UNDERLYINGS) {
      List<SviFit> fits = m.fits().get(name);
      assertEquals(12, fits.size());
      for (SviFit f : fits) {
        assertTrue(f.hasSlice());
        assertTrue(f.rmse() >= 0);
        assertEquals(f.rmse() > 0.01, f.flags().contains(SliceFlag.POOR_FIT));
      }
    }
  }

  @Test
  void anUnderlyingWithoutAnIndexIsDataErrorAndTheOthersAreNot() {
    ChainReader reader = new ChainReader(AS_OF);
    ChainFile btc = reader.readChain(ChainFormat.CHAIN, "btc.csv", new StringReader(HEADER
        + "BTC-27MAR26-60000-C,BTC,2026-03-27T08:00:00Z,60000,call,80,0.1,64000,,10\n"
        + "BTC-27MAR26-60000-P,BTC,2026-03-27T08:00:00Z,60000,put,80,0.1,64000,,10\n"));
    ChainFile eth = reader.readChain(ChainFormat.CHAIN, "eth.csv", new StringReader(HEADER
        + "ETH-27MAR26-2000-C,ETH,2026-03-27T08:00:00Z,2000,call,90,0.1,1890,1874,10\n"));
    FuturesFile futures = reader.readFutures("fut.csv", new StringReader("instrument,underlying,kind,expiry,price\n"
        + "BTC-27MAR26,BTC,future,2026-03-27T08:00:00Z,63971.95\n"));
    ImportedMarket m = ChainMarketBuilder.DEFAULT.build(AS_OF, List.of(btc, eth), futures, 0.0);
    assertEquals(2, m.rejects().size(), "both BTC rows lack index_price");
    assertNotNull(m.snapshot().underlying("BTC").dataError());
    assertTrue(m.dataErrors().get("BTC").contains("no usable index price"), m.dataErrors().toString());
    assertNull(m.snapshot().underlying("ETH").dataError());
    assertEquals(1874, m.snapshot().underlying("ETH").index());
    assertEquals(4, m.rowsIn(), "two BTC rows, one ETH row, one futures row");
  }

  @Test
  void aBadListedFuturePriceMakesItsUnderlyingDataErrorInsteadOfFallingBack() {
    MarketSnapshot good = ShippedChains.market(CRASH).snapshot();
    ChainReader reader = new ChainReader(AS_OF);
    String futures = "instrument,underlying,kind,expiry,price\nBTC-27MAR26,BTC,future,2026-03-27T08:00:00Z,0\n";
    ImportedMarket m = ChainMarketBuilder.DEFAULT.build(AS_OF, ShippedChains.chains(CRASH),
        reader.readFutures("fut.csv", new StringReader(futures)), 0.0);
    assertTrue(m.snapshot().underlying("BTC").dataError().contains("forward for 2026-03-27T08:00:00Z"),
        m.snapshot().underlying("BTC").dataError());
    assertNull(m.snapshot().underlying("ETH").dataError());
    assertEquals(1, m.rejects().size());
    // The expiry without a forward is not fitted; the other BTC expiries are.
    List<SviFit> btc = m.fits().get("BTC");
    assertEquals(1, btc.stream().filter(f -> f.flags().contains(SliceFlag.NO_FIT)).count());
    assertEquals(good.underlying("ETH").index(), m.snapshot().underlying("ETH").index());
  }

  @Test
  void theOptionsChainFormatTakesItsIndexFromTheFuturesFile() {
    ChainReader reader = new ChainReader(AS_OF);
    long ts = AS_OF.getEpochSecond() * 1_000_000;
    long exp = Instant.parse("2026-03-27T08:00:00Z").getEpochSecond() * 1_000_000;
    StringBuilder csv = new StringBuilder("exchange,symbol,timestamp,type,strike_price,expiration,open_interest,"
        + "mark_price,mark_iv,underlying_index,underlying_price\n");
    double[] strikes = {50_000, 55_000, 60_000, 65_000, 70_000, 75_000};
    double[] ivs = {95, 90, 86, 84, 85, 88};
    for (int i = 0; i < strikes.length; i++) {
      csv.append(String.format("deribit,BTC-27MAR26-%.0f-C,%d,call,%.0f,%d,1,0.1,%.2f,BTC-27MAR26,63971.95%n",
          strikes[i], ts, strikes[i], exp, ivs[i]));
    }
    ChainFile chain = reader.readChain(ChainFormat.OPTIONS_CHAIN, "oc.csv", new StringReader(csv.toString()));
    ImportedMarket without = ChainMarketBuilder.DEFAULT.build(AS_OF, List.of(chain), null, 0.0);
    assertTrue(without.dataErrors().get("BTC").contains("no usable index price"));
    FuturesFile futures = reader.readFutures("fut.csv", new StringReader(
        "instrument,underlying,kind,expiry,price\nbtc_usd,BTC,index,,63858.35\n"));
    ImportedMarket with = ChainMarketBuilder.DEFAULT.build(AS_OF, List.of(chain), futures, 0.0);
    assertEquals(Map.of(), with.dataErrors());
    assertEquals(63858.35, with.snapshot().underlying("BTC").index());
    assertEquals(63971.95, with.snapshot().underlying("BTC").forward(Instant.parse("2026-03-27T08:00:00Z")));
    assertEquals(0.86, with.snapshot().markIv("BTC-27MAR26-60000-C"), 1e-15);
    assertEquals(1, with.fits().get("BTC").size());
  }
}
