package io.riskgrid.market.chain;

import java.util.List;

/**
 * One option-chain file read at a valuation instant: the options that passed, the rows that did not,
 * and for the {@code options-chain} format the rows not taken because a later update of the same
 * symbol (at or before the instant) replaced them or because they came after the instant.
 */
public record ChainFile(String source, ChainFormat format, long rowsRead, List<OptionQuote> options,
    List<RowReject> rejects, long superseded, long afterAsOf) {

  public ChainFile {
    options = List.copyOf(options);
    rejects = List.copyOf(rejects);
  }
}
