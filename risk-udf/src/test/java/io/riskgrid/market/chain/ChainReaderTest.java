package io.riskgrid.market.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.OptionType;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Reading chain and futures files: every row becomes a quote or a reject with file, line and reason. */
class ChainReaderTest {
  private static final Instant AS_OF = Instant.parse("2026-02-05T21:29:38Z");
  private static final ChainReader READER = new ChainReader(AS_OF);
  private static final String HEADER =
      "instrument,underlying,expiry,strike,option_type,mark_iv,mark_price,underlying_price,index_price,open_interest\n";

  @Test
  void theShippedChainsReadWithoutRejectsAndWithTheReadmeCounts() {
    Map<String, Integer> expected = Map.of("deribit_BTC_20260105.csv", 636, "deribit_ETH_20260105.csv", 676,
        "deribit_BTC_20260205.csv", 902, "deribit_ETH_20260205.csv", 938);
    for (var date : ShippedChains.dates()) {
      for (ChainFile f : ShippedChains.chains(date)) {
        String name = f.source().substring(f.source().lastIndexOf('/') + 1);
        assertEquals(List.of(), f.rejects(), name);
        assertEquals(expected.get(name), f.options().size(), name);
        assertEquals(f.rowsRead(), f.options().size(), name);
      }
      FuturesFile futures = ShippedChains.futures(date);
      assertEquals(List.of(), futures.rejects());
      assertTrue(futures.quotes().size() >= 26 && futures.quotes().size() <= 28);
    }
  }

  @Test
  void aRowIsReadWithUnitsConverted() {
    ChainFile f = READER.readChain(ChainFormat.CHAIN, "t.csv", new StringReader(HEADER
        + "BTC-27MAR26-60000-P,BTC,2026-03-27T08:00:00Z,60000,put,85.5,0.0612,63971.95,63858.35,1234.5\n"));
    OptionQuote q = f.options().get(0);
    assertEquals("BTC-27MAR26-60000-P", q.instrument());
    assertEquals(Instant.parse("2026-03-27T08:00:00Z"), q.expiry());
    assertEquals(OptionType.PUT, q.type());
    assertEquals(0.855, q.markIv(), 1e-16);
    assertEquals(60000, q.strike());
    assertEquals(63971.95, q.underlyingPrice());
    assertEquals(63858.35, q.indexPrice());
    assertEquals(1234.5, q.openInterest());
    assertEquals(2, q.line());
  }

  @Test
  void badRowsBecomeRejectsWithLineAndReasonAndGoodRowsAreKept() {
    String csv = HEADER
        + "BTC-27MAR26-60000-C,BTC,2026-03-27T08:00:00Z,60000,call,80,0.1,64000,63858,10\n" // 2 good
        + "BTC-27MAR26-61000-C,BTC,2026-03-27T08:00:00Z,61000,call,NaN,0.1,64000,63858,10\n" // 3
        + "BTC-27MAR26-62000-C,BTC,2026-03-27T08:00:00Z,62000,call,-5,0.1,64000,63858,10\n" // 4
        + "BTC-27MAR26-0-C,BTC,2026-03-27T08:00:00Z,0,call,80,0.1,64000,63858,10\n" // 5
        + "BTC-5FEB26-60000-C,BTC,2026-02-05T08:00:00Z,60000,call,80,0.1,64000,63858,10\n" // 6
        + "BTC-27MAR26-63000-C,BTC,2026-03-27T08:00:00Z,63000,call,80,abc,64000,63858,10\n" // 7
        + "BTC-27MAR26-64000-C,BTC,2026-03-27T08:00:00Z,64000,call,80,0.1,64000,,10\n" // 8
        + "BTC-27MAR26-60000-C,BTC,2026-03-27T08:00:00Z,60000,call,80,0.1,64000,63858,10\n" // 9 duplicate
        + "BTC-27MAR26-65000-C,BTC,2026-03-27T08:00:00,65000,call,80,0.1,64000,63858,10\n" // 10 no zone
        + "BTC-27MAR26-66000-X,BTC,2026-03-27T08:00:00Z,66000,straddle,80,0.1,64000,63858,10\n" // 11
        + "BTC-27MAR26-67000-C,BTC,2026-03-27T08:00:00Z,67000\n" // 12 short row
        + "\n"
        + "BTC-27MAR26-68000-P,BTC,2026-03-27,68000,p,80,0.1,64000,63858,\n"; // 14 good: bare date, blank OI
    ChainFile f = READER.readChain(ChainFormat.CHAIN, "bad.csv", new StringReader(csv));
    assertEquals(List.of("BTC-27MAR26-60000-C", "BTC-27MAR26-68000-P"),
        f.options().stream().map(OptionQuote::instrument).toList());
    assertEquals(Instant.parse("2026-03-27T08:00:00Z"), f.options().get(1).expiry());
    assertTrue(Double.isNaN(f.options().get(1).openInterest()));
    assertEquals(12, f.rowsRead());
    Map<Long, String> reasons = f.rejects().stream().collect(Collectors.toMap(RowReject::line, RowReject::reason));
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), f.rejects().stream().map(RowReject::line).toList());
    assertTrue(reasons.get(3L).contains("mark_iv is not a number: 'NaN'"), reasons.get(3L));
    assertTrue(reasons.get(4L).contains("mark_iv must be finite and > 0"), reasons.get(4L));
    assertTrue(reasons.get(5L).contains("strike must be finite and > 0"), reasons.get(5L));
    assertTrue(reasons.get(6L).contains("is at or before the valuation instant"), reasons.get(6L));
    assertTrue(reasons.get(7L).contains("mark_price is not a number: 'abc'"), reasons.get(7L));
    assertTrue(reasons.get(8L).contains("index_price is missing"), reasons.get(8L));
    assertTrue(reasons.get(9L).contains("duplicate instrument, first on line 2"), reasons.get(9L));
    assertTrue(reasons.get(10L).contains("without a zone"), reasons.get(10L));
    assertTrue(reasons.get(11L).contains("unknown option type 'straddle'"), reasons.get(11L));
    assertTrue(reasons.get(12L).contains("option_type is missing"), reasons.get(12L));
    RowReject first = f.rejects().get(0);
    assertEquals("bad.csv", first.source());
    assertEquals("BTC-27MAR26-61000-C", first.key());
    assertTrue(first.toString().startsWith("bad.csv line 3 (BTC-27MAR26-61000-C): "));
  }

  @Test
  void aFileWithoutTheFormatsColumnsIsAnErrorNamingThem() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> READER.readChain(ChainFormat.CHAIN,
        "cols.csv", new StringReader("instrument,underlying,expiry,strike,option_type,mark_price\nx,BTC,2026-03-27,1,call,1\n")));
    assertTrue(e.getMessage().startsWith("cols.csv: missing column(s) [mark_iv, underlying_price, index_price, open_interest]"),
        e.getMessage());
    // Column names are case-insensitive.
    ChainFile upper = READER.readChain(ChainFormat.CHAIN, "upper.csv", new StringReader(HEADER.toUpperCase()
        + "BTC-27MAR26-60000-C,BTC,2026-03-27T08:00:00Z,60000,call,80,0.1,64000,63858,10\n"));
    assertEquals(1, upper.options().size());
  }

  @Test
  void optionsChainTakesEachSymbolsLatestRowAtOrBeforeTheInstant() {
    long asOf = AS_OF.getEpochSecond() * 1_000_000;
    long expiration = Instant.parse("2026-03-27T08:00:00Z").getEpochSecond() * 1_000_000;
    String header = "exchange,symbol,timestamp,local_timestamp,type,strike_price,expiration,open_interest,last_price,"
        + "bid_price,bid_amount,bid_iv,ask_price,ask_amount,ask_iv,mark_price,mark_iv,underlying_index,underlying_price,"
        + "delta,gamma,vega,theta,rho\n";
    String csv = header
        + row("BTC-27MAR26-60000-P", asOf - 5_000_000, expiration, "put", "60000", "80.1", "") // 2 superseded
        + row("BTC-27MAR26-60000-P", asOf - 1_000_000, expiration, "put", "60000", "81.2", "12") // 3 taken
        + row("BTC-27MAR26-60000-P", asOf + 1_000_000, expiration, "put", "60000", "99.9", "12") // 4 after
        + row("BTC-27MAR26-70000-C", asOf, expiration, "call", "70000", "", "3") // 5 no iv
        + row("BTC_USDC-27MAR26-70000-C", asOf, expiration, "call", "70000", "70", "3") // 6 linear
        + row("ETH-27MAR26-2000-C", asOf, expiration, "call", "2000", "95", "3").replace("deribit", "okex") // 7
        + row("ETH-27MAR26-2100-C", asOf, expiration, "call", "2100", "95", "3"); // 8 taken
    ChainFile f = READER.readChain(ChainFormat.OPTIONS_CHAIN, "oc.csv", new StringReader(csv));
    assertEquals(7, f.rowsRead());
    assertEquals(1, f.superseded());
    assertEquals(1, f.afterAsOf());
    assertEquals(List.of("BTC-27MAR26-60000-P", "ETH-27MAR26-2100-C"), f.options().stream().map(OptionQuote::instrument).toList());
    OptionQuote q = f.options().get(0);
    assertEquals(0.812, q.markIv(), 1e-15);
    assertEquals(3, q.line());
    assertEquals("BTC", q.underlying());
    assertEquals(Instant.parse("2026-03-27T08:00:00Z"), q.expiry());
    assertTrue(Double.isNaN(q.indexPrice()), "the format has no index price");
    assertEquals("ETH", f.options().get(1).underlying());
    assertEquals(List.of(5L, 6L, 7L), f.rejects().stream().map(RowReject::line).toList());
    assertTrue(f.rejects().get(0).reason().contains("mark_iv is missing"));
    assertTrue(f.rejects().get(1).reason().contains("linear USDC options are not imported"));
    assertTrue(f.rejects().get(2).reason().contains("exchange 'okex' is not supported"));
  }

  @Test
  void futuresRowsWithAnUnusablePriceAreRejectsAndKeptAsNaN() {
    String csv = "instrument,underlying,kind,expiry,price,note\n"
        + "btc_usd,BTC,index,,63858.35,median\n"
        + "BTC-PERPETUAL,BTC,perpetual,,63844.5,\"a note, with a comma\"\n"
        + "BTC-27MAR26,BTC,future,2026-03-27T08:00:00Z,-1,bad\n"
        + "SYN.BTC-24APR26,BTC,synthetic,2026-04-24T08:00:00Z,64195.93,\n"
        + "BTC-X,BTC,spread,,1,\n"
        + "BTC-26JUN26,BTC,future,,64649.64,\n";
    FuturesFile f = READER.readFutures("fut.csv", new StringReader(csv));
    assertEquals(6, f.rowsRead());
    assertEquals(List.of(FuturesKind.INDEX, FuturesKind.PERPETUAL, FuturesKind.FUTURE, FuturesKind.SYNTHETIC),
        f.quotes().stream().map(FuturesQuote::kind).toList());
    assertNull(f.quotes().get(0).expiry());
    assertTrue(Double.isNaN(f.quotes().get(2).price()));
    assertEquals(Instant.parse("2026-03-27T08:00:00Z"), f.quotes().get(2).expiry());
    assertEquals(List.of(4L, 6L, 7L), f.rejects().stream().map(RowReject::line).toList());
    assertTrue(f.rejects().get(0).reason().contains("price must be finite and > 0, got -1.0; BTC has no usable future price"));
    assertTrue(f.rejects().get(1).reason().contains("kind 'spread' is unknown"));
    assertTrue(f.rejects().get(2).reason().contains("expiry is missing"));
  }

  private static String row(String symbol, long ts, long expiration, String type, String strike, String iv, String oi) {
    return String.join(",", "deribit", symbol, Long.toString(ts), Long.toString(ts + 500), type, strike,
        Long.toString(expiration), oi, "", "", "", "", "", "", "", "0.05", iv, "SYN.BTC-27MAR26", "63971.95",
        "", "", "", "", "") + "\n";
  }
}
