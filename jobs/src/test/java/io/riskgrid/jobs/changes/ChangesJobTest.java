package io.riskgrid.jobs.changes;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.Position;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two days built by hand (a position added, an account opened and one closed, the indices and vol moved,
 * a contingency rate changed), margined by the margin job on real Delta tables; each effect of
 * {@code margin_changes} is checked against the engine run directly on the hand-built accounts, markets
 * and policies, and the three effects against ΔMM for every account. Day D₀'s market is reloaded after
 * its margin run: the split must still use the market that run read (time travel by version).
 */
class ChangesJobTest {
  private static final LocalDate D0 = LocalDate.of(2026, 1, 5);
  private static final LocalDate D1 = LocalDate.of(2026, 1, 6);
  private static final Instant EXPIRY = Instant.parse("2026-02-27T08:00:00Z");
  private static final Instrument BTC_PERP = Instrument.perpetual("BTC_USDC-PERPETUAL", "BTC", Settlement.LINEAR, 1.0);
  private static final Instrument ETH_PERP = Instrument.perpetual("ETH_USDC-PERPETUAL", "ETH", Settlement.LINEAR, 1.0);
  private static final Instrument BTC_PUT = Instrument.option("BTC_USDC-27FEB26-55000-P", "BTC", Settlement.LINEAR,
      OptionType.PUT, 55_000, EXPIRY, 1.0);
  private static final List<Instrument> INSTRUMENTS = List.of(BTC_PERP, ETH_PERP, BTC_PUT);
  private static final MarginPolicy BEFORE = PolicyLoader.preset("seed-default");
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static MarginPolicy after;
  private static Path afterFile;
  private static Map<String, Account> day0;
  private static Map<String, Account> day1;

  @BeforeAll
  static void twoDays() throws Exception {
    spark = SparkSessions.getOrCreate("changes-job-test", Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions",
        "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false"));
    Path dir = Files.createTempDirectory("riskgrid-changes-test");
    warehouse = Warehouse.at(spark, dir.resolve("w").toString());
    // The policy of D: seed-default with a higher futures contingency rate, under the same name.
    String json = new String(PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    String changed = json.replaceFirst("\"c_fut\": 0.006", "\"c_fut\": 0.02");
    assertTrue(!changed.equals(json), "the preset names c_fut");
    afterFile = dir.resolve("seed-default-d1.json");
    Files.writeString(afterFile, changed);
    after = PolicyLoader.load(afterFile.toString());
    assertEquals(BEFORE.name(), after.name());
    assertTrue(!BEFORE.hash().equals(after.hash()));

    MarketTables.mergeInstruments(spark, warehouse, INSTRUMENTS);
    MarketTables.writeSnapshot(spark, warehouse, D0, market(D0, 60_000, 3_000, 0.50));
    MarketTables.writeSnapshot(spark, warehouse, D1, market(D1, 56_400, 3_090, 0.58));
    day0 = accounts(
        usd("A", List.of(new Position(BTC_PERP.id(), 1, 60_000)), 30_000),
        usd("B", List.of(new Position(BTC_PUT.id(), -2, 0)), 40_000),
        usd("C", List.of(new Position(ETH_PERP.id(), -10, 3_000)), 5_000),
        usd("E", List.of(new Position(ETH_PERP.id(), 4, 3_000), new Position(BTC_PERP.id(), -1, 60_000)), 25_000));
    day1 = accounts(
        usd("A", List.of(new Position(BTC_PERP.id(), 1, 60_000), new Position(ETH_PERP.id(), 5, 3_090)), 30_000),
        usd("B", List.of(new Position(BTC_PUT.id(), -2, 0)), 40_000),
        usd("D", List.of(new Position(BTC_PERP.id(), 2, 56_400)), 20_000),
        usd("E", List.of(new Position(ETH_PERP.id(), 4, 3_000), new Position(BTC_PERP.id(), -1, 60_000)), 25_000));
    write(D0, day0);
    write(D1, day1);
    MarginJob.run(spark, warehouse, D0, BEFORE, Kernels.select("simd"), false);
    MarginJob.run(spark, warehouse, D1, after, Kernels.select("simd"), false);
    // A reload of D0's market after its margin run: the split must not see it.
    MarketTables.writeSnapshot(spark, warehouse, D0, market(D0, 10_000, 100, 1.5));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static MarketSnapshot market(LocalDate date, double btc, double eth, double vol) {
    Instant asOf = date.atTime(8, 0).toInstant(java.time.ZoneOffset.UTC);
    double tau = TimeConventions.yearFraction(asOf, EXPIRY);
    Map<String, UnderlyingMarket> m = new LinkedHashMap<>();
    m.put("BTC", new UnderlyingMarket("BTC", asOf, btc, 0.0, 0.0, Map.of(), List.of(SviSlice.flat(EXPIRY, vol, tau))));
    m.put("ETH", new UnderlyingMarket("ETH", asOf, eth, 0.0, 0.0, Map.of(), List.of(SviSlice.flat(EXPIRY, vol + 0.1, tau))));
    return new MarketSnapshot(asOf, m, Map.of());
  }

  private static Account usd(String id, List<Position> positions, double usdc) {
    return new Account(id, null, "PORTFOLIO", "USD", positions, List.of(new CollateralBalance("USDC", usdc)));
  }

  private static Map<String, Account> accounts(Account... accounts) {
    Map<String, Account> byId = new LinkedHashMap<>();
    for (Account a : accounts) {
      byId.put(a.accountId(), a);
    }
    return byId;
  }

  private static void write(LocalDate date, Map<String, Account> accounts) {
    Date d = Date.valueOf(date);
    List<Row> acc = new ArrayList<>();
    List<Row> pos = new ArrayList<>();
    List<Row> col = new ArrayList<>();
    for (Account a : accounts.values()) {
      acc.add(RowFactory.create(d, a.accountId(), null, a.marginMode(), a.marginCurrency()));
      a.positions().forEach(p -> pos.add(RowFactory.create(d, a.accountId(), p.instrumentId(), p.quantity(), p.entryPrice())));
      a.collateral().forEach(c -> col.add(RowFactory.create(d, a.accountId(), c.asset(), c.quantity())));
    }
    warehouse.replaceSlice(spark.createDataFrame(acc, InputTables.ACCOUNTS.schema()), InputTables.ACCOUNTS, date);
    warehouse.replaceSlice(spark.createDataFrame(pos, InputTables.POSITIONS.schema()), InputTables.POSITIONS, date);
    warehouse.replaceSlice(spark.createDataFrame(col, InputTables.COLLATERAL.schema()), InputTables.COLLATERAL, date);
  }

  private static MarginCalculator engine(MarketSnapshot market, MarginPolicy policy) {
    return new MarginCalculator(InstrumentBook.build(market, INSTRUMENTS, policy, ScalarKernel.INSTANCE), ScalarKernel.INSTANCE);
  }

  private static void assertClose(double expected, Double actual, String what) {
    assertTrue(actual != null && Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected)),
        what + ": expected " + expected + ", got " + actual);
  }

  @Test
  void eachEffectIsTheEngineOnTheHandBuiltDaysAndTheyAddUpToTheChange() {
    ChangesJob.Result r = ChangesJob.run(spark, warehouse, D1, after, BEFORE, Kernels.select("simd"));
    assertEquals(D0, r.previous());
    Map<String, Row> rows = new HashMap<>();
    r.changes().collectAsList().forEach(x -> rows.put(x.getAs("account_id"), x));
    assertEquals(java.util.Set.of("A", "B", "C", "D", "E"), rows.keySet());
    MarginCalculator m0p0 = engine(market(D0, 60_000, 3_000, 0.50), BEFORE);
    MarginCalculator m1p0 = engine(market(D1, 56_400, 3_090, 0.58), BEFORE);
    MarginCalculator m1p1 = engine(market(D1, 56_400, 3_090, 0.58), after);
    for (String id : List.of("A", "B", "D", "E")) {
      Account p1 = day1.get(id);
      double mmPrev = day0.containsKey(id) ? m0p0.margin(day0.get(id)).mm() : 0.0;
      double onPrevMarket = m0p0.margin(p1).mm();
      double underPrevPolicy = m1p0.margin(p1).mm();
      double mm = m1p1.margin(p1).mm();
      Row row = rows.get(id);
      assertEquals(Date.valueOf(D0), row.getAs("prev_as_of_date"));
      assertClose(mmPrev, row.getAs("mm_prev"), id + " mm_prev");
      assertClose(mm, row.getAs("mm"), id + " mm");
      assertClose(onPrevMarket - mmPrev, row.getAs("positions_effect"), id + " positions effect");
      assertClose(underPrevPolicy - onPrevMarket, row.getAs("market_effect"), id + " market effect");
      assertClose(mm - underPrevPolicy, row.getAs("policy_effect"), id + " policy effect");
      double sum = row.<Double>getAs("positions_effect") + row.<Double>getAs("market_effect") + row.<Double>getAs("policy_effect");
      assertClose(row.<Double>getAs("mm") - row.<Double>getAs("mm_prev"), sum, id + " effects sum to the change");
    }
    // Each cause shows where it should: only A changed its positions; E's book is the same; D is new.
    assertEquals(0.0, rows.get("E").<Double>getAs("positions_effect"), 1e-9);
    assertEquals(0.0, rows.get("B").<Double>getAs("positions_effect"), 1e-9);
    assertTrue(Math.abs(rows.get("A").<Double>getAs("positions_effect")) > 100, "A added an ETH perpetual");
    assertTrue(Math.abs(rows.get("B").<Double>getAs("market_effect")) > 100, "the short puts feel the fall and the vol");
    assertTrue(Math.abs(rows.get("E").<Double>getAs("policy_effect")) > 1, "futures contingency changed for E's futures");
    assertTrue(((String) rows.get("D").getAs("note")).startsWith("new on D"), rows.get("D").toString());
    Row closed = rows.get("C");
    double mmC = m0p0.margin(day0.get("C")).mm();
    assertClose(mmC, closed.getAs("mm_prev"), "C mm_prev");
    assertEquals(0.0, closed.<Double>getAs("mm"), 0.0);
    assertClose(-mmC, closed.getAs("positions_effect"), "a closed account's MM goes as a positions effect");
    assertNull(rows.get("A").getAs("note"));
    Row run = warehouse.read(OutputTables.RUNS).filter(col("run_id").equalTo(r.runId())).first();
    Map<String, Long> versions = run.getJavaMap(run.fieldIndex("input_versions"));
    assertTrue(versions.containsKey("previous:market_underlyings") && versions.containsKey("market_underlyings"), versions.toString());
  }

  @Test
  void samePolicyHasNoPolicyEffectAndAMissingEarlierDateIsAClearError() {
    MarginJob.run(spark, warehouse, D1, BEFORE, Kernels.select("simd"), false);
    ChangesJob.Result r = ChangesJob.run(spark, warehouse, D1, BEFORE, null, Kernels.select("simd"));
    assertTrue(r.samePolicy());
    for (Row row : r.changes().collectAsList()) {
      assertEquals(0.0, row.<Double>getAs("policy_effect"), 0.0, row.toString());
    }
    InvalidInputException none = assertThrows(InvalidInputException.class,
        () -> ChangesJob.run(spark, warehouse, D0, BEFORE, null, Kernels.select("simd")));
    assertTrue(none.getMessage().contains("no margins of policy 'seed-default' before 2026-01-05"), none.getMessage());
    InvalidInputException wrongHash = assertThrows(InvalidInputException.class,
        () -> ChangesJob.run(spark, warehouse, D1, after, null, Kernels.select("simd")));
    assertTrue(wrongHash.getMessage().contains("were computed with policy"), wrongHash.getMessage());
    // Put D's margins back under the changed policy for the other test (order is not fixed).
    MarginJob.run(spark, warehouse, D1, after, Kernels.select("simd"), false);
  }
}
