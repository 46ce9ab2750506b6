package io.riskgrid.market.fit;

import io.riskgrid.market.SviSlice;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of fitting one expiry: the raw SVI slice (null when {@link SliceFlag#NO_FIT}), its
 * RMSE in decimal vol (unweighted, over the fitted options; NaN without a slice), the flags, how many
 * options the expiry had and how many the fit used, and the weighted least-squares objective in
 * total variance that the fit minimised (for comparing fits of the same options).
 */
public record SviFit(Instant expiry, SviSlice slice, double rmse, Set<SliceFlag> flags, int options, int fitted,
    double objective) {

  public SviFit {
    flags = flags.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(SliceFlag.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(flags));
  }

  /** Whether the expiry has a usable slice. */
  public boolean hasSlice() {
    return slice != null;
  }

  /** The same fit with one more flag. */
  public SviFit withFlag(SliceFlag flag) {
    EnumSet<SliceFlag> more = flags.isEmpty() ? EnumSet.noneOf(SliceFlag.class) : EnumSet.copyOf(flags);
    more.add(flag);
    return new SviFit(expiry, slice, rmse, more, options, fitted, objective);
  }

  /** Flag names in declaration order, as stored in {@code arbitrage_flags}. */
  public List<String> flagNames() {
    return flags.stream().map(Enum::name).toList();
  }
}
