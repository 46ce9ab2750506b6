package io.riskgrid.udf;

import io.riskgrid.instrument.OptionType;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.Position;
import io.riskgrid.pricing.Black76;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark SQL functions for notebooks and ad-hoc SQL, registered by one call:
 * <ul>
 *   <li>{@code black76_price(option_type, forward, strike, expiry_years, vol, rate)}: discounted
 *       Black-76 value in the units of forward and strike; null for invalid input.</li>
 *   <li>{@code portfolio_margin(positions, collateral, margin_currency, margin_mode)}: the margin of
 *       one account against the book (market snapshot and policy) given at registration. Positions are
 *       {@code array<struct<instrument_id:string, quantity:double, entry_price:double>>} and
 *       collateral {@code array<struct<asset:string, quantity:double>>}. Returns
 *       {@code struct<status, reason, equity, im, mm, standard_im, standard_mm>}.</li>
 * </ul>
 */
public final class RiskUdfs {
  /** The struct {@code portfolio_margin} returns. */
  public static final StructType MARGIN_TYPE = new StructType()
      .add("status", DataTypes.StringType)
      .add("reason", DataTypes.StringType)
      .add("equity", DataTypes.DoubleType)
      .add("im", DataTypes.DoubleType)
      .add("mm", DataTypes.DoubleType)
      .add("standard_im", DataTypes.DoubleType)
      .add("standard_mm", DataTypes.DoubleType);

  private RiskUdfs() {}

  /** Registers both functions; {@code book} and {@code kernel} travel to executors with the function. */
  public static void register(SparkSession spark, InstrumentBook book, RiskKernel kernel) {
    spark.udf().register("black76_price", (UDF6<String, Double, Double, Double, Double, Double, Double>) RiskUdfs::black76,
        DataTypes.DoubleType);
    spark.udf().register("portfolio_margin", new PortfolioMargin(book, kernel), MARGIN_TYPE);
  }

  static Double black76(String type, Double forward, Double strike, Double expiryYears, Double vol, Double rate) {
    if (type == null || forward == null || strike == null || expiryYears == null || vol == null || rate == null) {
      return null;
    }
    try {
      return Black76.price(OptionType.parse("option_type", type) == OptionType.CALL, forward, strike, expiryYears, vol, rate);
    } catch (IllegalArgumentException e) {
      return null; // SQL convention: invalid input gives NULL, never a silent 0
    }
  }

  /** The per-account UDF; one calculator per executor thread, since calculators reuse scratch arrays. */
  static final class PortfolioMargin implements UDF4<Seq<Row>, Seq<Row>, String, String, Row> {
    private static final long serialVersionUID = 1L;
    private final InstrumentBook book;
    private final RiskKernel kernel;
    private transient ThreadLocal<MarginCalculator> calculators;

    PortfolioMargin(InstrumentBook book, RiskKernel kernel) {
      this.book = book;
      this.kernel = kernel;
    }

    @Override
    public Row call(Seq<Row> positions, Seq<Row> collateral, String currency, String mode) {
      if (calculators == null) {
        calculators = ThreadLocal.withInitial(() -> new MarginCalculator(book, kernel));
      }
      List<Position> ps = new ArrayList<>();
      if (positions != null) {
        for (Row r : CollectionConverters.asJava(positions)) {
          ps.add(new Position(r.getString(0), number(r, 1), number(r, 2)));
        }
      }
      List<CollateralBalance> cs = new ArrayList<>();
      if (collateral != null) {
        for (Row r : CollectionConverters.asJava(collateral)) {
          cs.add(new CollateralBalance(r.getString(0), number(r, 1)));
        }
      }
      AccountMargin m = calculators.get().margin(new Account("udf", null, mode, currency, ps, cs));
      return RowFactory.create(m.status().name(), m.reason(), m.equity(), m.im(), m.mm(), m.standardIm(), m.standardMm());
    }

    /** A null number is NaN, which validation turns into REJECTED with a reason, never a zero. */
    private static double number(Row r, int i) {
      return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
    }
  }
}
