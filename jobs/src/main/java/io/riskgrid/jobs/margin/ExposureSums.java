package io.riskgrid.jobs.margin;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.valuation.ValuedBook;
import io.riskgrid.margin.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Exchange exposures (DESIGN §3.5) summed inside a partition while its accounts are margined, so the
 * run reads positions once: per underlying × expiry bucket (PERP for perpetuals, SPOT for collateral
 * coins), USD-basis net delta and gamma, USD vega and theta, and long and short open interest in coin.
 * Only margined accounts count (not REJECTED or DATA_ERROR). The job adds the partitions' sums up.
 */
final class ExposureSums {
  static final StructType ROW = new StructType()
      .add("underlying", DataTypes.StringType)
      .add("bucket", DataTypes.StringType)
      .add("net_delta", DataTypes.DoubleType)
      .add("gamma", DataTypes.DoubleType)
      .add("vega", DataTypes.DoubleType)
      .add("theta", DataTypes.DoubleType)
      .add("long_oi", DataTypes.DoubleType)
      .add("short_oi", DataTypes.DoubleType);
  static final String SPOT = "SPOT";
  static final String PERP = "PERP";

  private static final int DELTA = 0;
  private static final int GAMMA = 1;
  private static final int VEGA = 2;
  private static final int THETA = 3;
  private static final int LONG_OI = 4;
  private static final int SHORT_OI = 5;

  private final ValuedBook book;
  /** Per instrument index, its bucket's sums; filled on first use. */
  private final double[][] byInstrument;
  private final Map<String, double[]> spotByCoin = new LinkedHashMap<>();

  ExposureSums(InstrumentBook book) {
    this.book = book.valued();
    this.byInstrument = new double[this.book.instrumentCount()][];
  }

  /** Adds a margined account; {@code rows} are its positions' book rows (null when it was not margined). */
  void add(Account account, AccountMargin margin, int[] rows) {
    if (!margin.isValid()) {
      return;
    }
    List<Position> positions = account.positions();
    for (int j = 0; j < positions.size(); j++) {
      int i = rows[j];
      double q = positions.get(j).quantity();
      double[] sums = byInstrument[i];
      if (sums == null) {
        sums = new double[6];
        byInstrument[i] = sums;
      }
      sums[DELTA] += q * book.usdBasisDelta(i);
      sums[GAMMA] += q * book.usdBasisGamma(i);
      sums[VEGA] += q * book.vegaUsd(i);
      sums[THETA] += q * book.thetaUsd(i);
      sums[LONG_OI] += Math.max(q, 0.0) * book.coinPerContract(i);
      sums[SHORT_OI] += Math.max(-q, 0.0) * book.coinPerContract(i);
    }
    for (CollateralBalance c : account.collateral()) {
      if (book.underlyingIndexOf(c.asset()) >= 0) {
        double[] sums = spotByCoin.computeIfAbsent(c.asset(), k -> new double[6]);
        sums[DELTA] += c.quantity();
        sums[LONG_OI] += Math.max(c.quantity(), 0.0);
        sums[SHORT_OI] += Math.max(-c.quantity(), 0.0);
      }
    }
  }

  /** One row per instrument held and per collateral coin; the job sums them by underlying and bucket. */
  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < byInstrument.length; i++) {
      double[] s = byInstrument[i];
      if (s != null) {
        Instrument ins = book.instruments().get(i);
        rows.add(row(ins.underlying(), ins.expiry() == null ? PERP : ins.expiry().toString(), s));
      }
    }
    spotByCoin.forEach((coin, s) -> rows.add(row(coin, SPOT, s)));
    return rows;
  }

  private static Row row(String underlying, String bucket, double[] s) {
    return RowFactory.create(underlying, bucket, s[DELTA], s[GAMMA], s[VEGA], s[THETA], s[LONG_OI], s[SHORT_OI]);
  }
}
