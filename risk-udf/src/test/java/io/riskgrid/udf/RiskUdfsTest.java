package io.riskgrid.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.pricing.Black76;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL functions run in a real local Spark session and match the engine called directly. */
class RiskUdfsTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[1]").appName("RiskUdfsTest").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1").getOrCreate();
    Instant asOf = Instant.parse("2026-01-05T08:00:00Z");
    UnderlyingMarket btc = new UnderlyingMarket("BTC", asOf, 60_000, 0, 0, Map.of(),
        List.of(SviSlice.flat(asOf.plusSeconds(30 * 86400L), 0.5, 30 / 365.0)));
    InstrumentBook book = InstrumentBook.build(new MarketSnapshot(asOf, Map.of("BTC", btc), Map.of()),
        List.of(Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, 1)), PolicyLoader.preset("seed-default"),
        SimdKernel.INSTANCE);
    RiskUdfs.register(spark, book, SimdKernel.INSTANCE);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void black76PriceMatchesTheEngineAndGivesNullForBadInput() {
    Row r = spark.sql("select black76_price('call', 19d, 19d, 0.75d, 0.28d, 0.10d), black76_price('put', 19d, -1d, 0.75d, 0.28d, 0.10d)")
        .first();
    assertEquals(Black76.price(true, 19, 19, 0.75, 0.28, 0.10), r.getDouble(0), 0.0);
    assertTrue(r.isNullAt(1));
  }

  @Test
  void portfolioMarginReproducesTheWorkedExample() {
    Row r = spark.sql("select portfolio_margin(array(named_struct('instrument_id', 'BTC-PERP-L', 'quantity', 1d, 'entry_price', 60000d)),"
        + " array(named_struct('asset', 'USDC', 'quantity', 20000d)), 'USD', 'PORTFOLIO') as m").first().getStruct(0);
    assertEquals("OK", r.getString(0));
    assertEquals(20_000, r.getDouble(2), 1e-9);
    assertEquals(12_168, r.getDouble(3), 1e-9);
    assertEquals(9_360, r.getDouble(4), 1e-9);
    Row bad = spark.sql("select portfolio_margin(array(named_struct('instrument_id', 'NOPE', 'quantity', 1d, 'entry_price', 1d)),"
        + " cast(array() as array<struct<asset:string,quantity:double>>), 'USD', 'PORTFOLIO')").first().getStruct(0);
    assertEquals("REJECTED", bad.getString(0));
    assertTrue(bad.getString(1).contains("NOPE"));
    assertTrue(bad.isNullAt(3));
  }
}
