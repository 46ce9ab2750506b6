package io.riskgrid.margin;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.policy.StandardMarginRates;
import io.riskgrid.valuation.ContractValue;
import io.riskgrid.valuation.ValuedBook;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-instrument rule tables that stage 2 sums over positions (DESIGN §3.4), built from a
 * {@link ValuedBook}: the standard (per-position) margin per contract, and the contingency bucket of
 * each instrument. Figures are per contract in the instrument's settlement currency; NaN where the
 * instrument could not be valued.
 */
final class RuleTables implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Standard margin per contract for a long and a short position. */
  final double[] standardImLong;
  final double[] standardMmLong;
  final double[] standardImShort;
  final double[] standardMmShort;
  /**
   * Contingency bucket of each instrument: futures and perpetuals by (underlying, expiry or PERP) for
   * C_fut, options by (underlying, expiry, strike) for C_opt.
   */
  final int[] bucket;
  final int bucketCount;
  /** Underlying index of each bucket, and whether it is an option (expiry, strike) bucket. */
  final int[] bucketUnderlying;
  final boolean[] bucketIsOption;

  private RuleTables(int n, int[] bucket, int bucketCount, int[] bucketUnderlying, boolean[] bucketIsOption) {
    this.standardImLong = nan(n);
    this.standardMmLong = nan(n);
    this.standardImShort = nan(n);
    this.standardMmShort = nan(n);
    this.bucket = bucket;
    this.bucketCount = bucketCount;
    this.bucketUnderlying = bucketUnderlying;
    this.bucketIsOption = bucketIsOption;
  }

  static RuleTables build(ValuedBook valued, StandardMarginRates rates) {
    int n = valued.instrumentCount();
    int[] bucket = new int[n];
    Map<String, Integer> ids = new HashMap<>();
    int[] bucketUnderlying = new int[n];
    boolean[] bucketIsOption = new boolean[n];
    for (int i = 0; i < n; i++) {
      Instrument ins = valued.instrument(i);
      String expiry = ins.expiry() == null ? "PERP" : ins.expiry().toString();
      String key = ins.isOption() ? "O|" + ins.underlying() + "|" + expiry + "|" + Double.toString(ins.strike())
          : "F|" + ins.underlying() + "|" + expiry;
      Integer id = ids.get(key);
      if (id == null) {
        id = ids.size();
        ids.put(key, id);
        bucketUnderlying[id] = valued.underlyingOf(i);
        bucketIsOption[id] = ins.isOption();
      }
      bucket[i] = id;
    }
    int count = ids.size();
    RuleTables t = new RuleTables(n, bucket, count, Arrays.copyOf(bucketUnderlying, count),
        Arrays.copyOf(bucketIsOption, count));
    for (int i = 0; i < n; i++) {
      if (valued.isValued(i)) {
        t.fillStandardMargin(i, valued.instrument(i), valued.forward(i), valued.optionPrice(i), rates);
      }
    }
    return t;
  }

  /**
   * Standard margin per contract (DESIGN §3.4 "standard margin"): futures IM/MM rates on the notional
   * m·F (linear) or N/F (inverse, coin) for either side; options nothing long, and short
   * MM = (mm_rate·F + V)·m and IM = max((max(base − OTM/F, floor)·F + V)·m, MM), in coin (÷F) for inverse.
   */
  private void fillStandardMargin(int i, Instrument ins, double fwd, double v, StandardMarginRates rates) {
    double m = ins.multiplier();
    if (ins.isOption()) {
      double otm = ins.isCall() ? Math.max(0, ins.strike() - fwd) : Math.max(0, fwd - ins.strike());
      double shortMm = (rates.shortOptionMm() * fwd + v) * m;
      double shortIm = Math.max((Math.max(rates.shortOptionImBase() - otm / fwd, rates.shortOptionImFloor()) * fwd + v) * m,
          shortMm);
      double toSettlement = ContractValue.toSettlement(ins, fwd);
      standardImLong[i] = 0.0;
      standardMmLong[i] = 0.0;
      standardImShort[i] = shortIm * toSettlement;
      standardMmShort[i] = shortMm * toSettlement;
      return;
    }
    double im;
    double mm;
    if (ins.isInverse()) {
      im = rates.futureIm() * m / fwd;
      mm = rates.futureMm() * m / fwd;
    } else {
      im = rates.futureIm() * m * fwd;
      mm = rates.futureMm() * m * fwd;
    }
    standardImLong[i] = Math.max(im, mm);
    standardMmLong[i] = mm;
    standardImShort[i] = Math.max(im, mm);
    standardMmShort[i] = mm;
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }
}
