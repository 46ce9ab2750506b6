package io.riskgrid.market.chain;

import java.util.List;

/** One futures file: its rows (unusable prices kept as NaN, see {@link FuturesQuote}) and rejects. */
public record FuturesFile(String source, long rowsRead, List<FuturesQuote> quotes, List<RowReject> rejects) {

  public FuturesFile {
    quotes = List.copyOf(quotes);
    rejects = List.copyOf(rejects);
  }
}
