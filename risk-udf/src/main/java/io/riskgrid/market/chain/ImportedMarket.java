package io.riskgrid.market.chain;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.fit.SviFit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A market snapshot built from chain files: the snapshot itself (index, rate, basis, forwards, SVI
 * slices, mark IVs per underlying), the instruments seen, every expiry's fit (with RMSE and flags,
 * also for expiries without a slice), the rejected rows, the reasons an underlying is DATA_ERROR,
 * and how many rows came in.
 */
public record ImportedMarket(MarketSnapshot snapshot, List<Instrument> instruments, Map<String, List<SviFit>> fits,
    List<RowReject> rejects, Map<String, String> dataErrors, long rowsIn) {

  public ImportedMarket {
    instruments = List.copyOf(instruments);
    Map<String, List<SviFit>> copy = new LinkedHashMap<>();
    fits.forEach((u, f) -> copy.put(u, List.copyOf(f)));
    fits = Collections.unmodifiableMap(copy);
    rejects = List.copyOf(rejects);
    dataErrors = Collections.unmodifiableMap(new LinkedHashMap<>(dataErrors));
  }

  /** Option marks written (one per accepted option). */
  public int optionCount() {
    return snapshot.markIvs().size();
  }
}
