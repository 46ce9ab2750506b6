package io.riskgrid.jobs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.jobs.Riskgrid;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.margin.MarginSlices;
import io.riskgrid.jobs.margin.TwoPolicyBook;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code riskgrid compare} against a separate calculation: the two margins slices, computed by independent
 * margin runs, collected and compared here in plain Java (join, quantiles, flips, totals, largest increases).
 */
class CompareJobTest {
  private static final LocalDate AS_OF = TwoPolicyBook.AS_OF;
  private static final MarginPolicy SEED = TwoPolicyBook.SEED;
  private static final MarginPolicy DERIBIT = TwoPolicyBook.DERIBIT;
  private static final long ACCOUNTS = TwoPolicyBook.ACCOUNTS;
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static Path dir;
  private static MarginJob.Result deribitRun;

  @BeforeAll
  static void marginBothPolicies() throws Exception {
    TwoPolicyBook book = TwoPolicyBook.start("compare-test", 3);
    spark = book.spark();
    warehouse = book.warehouse();
    dir = book.dir();
    deribitRun = book.deribit();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static String[] compare(String a, String b) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Riskgrid());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("compare", "--warehouse", warehouse.location(), "--as-of", AS_OF.toString(), "--policy", a,
        "--policy", b, "--kernel", "simd");
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  /** A margins row's figures, as the comparison should carry them. */
  private record Figures(String ccy, Double im, Double mm, String status, String runId) {}

  private static Map<String, Figures> slice(String policy) {
    Map<String, Figures> rows = new HashMap<>();
    for (Row r : MarginSlices.read(warehouse, AS_OF, policy).collectAsList()) {
      rows.put(r.getAs("account_id"), new Figures(r.getAs("margin_currency"), r.getAs("im"), r.getAs("mm"),
          r.getAs("status"), r.getAs("run_id")));
    }
    return rows;
  }

  private static double usdPerUnit(Map<String, Double> index, String ccy) {
    return index.getOrDefault(ccy, 1.0);
  }

  /** Spark's percentile: linear interpolation at position q·(n−1) of the sorted values. */
  private static double percentile(List<Double> sorted, double q) {
    double pos = q * (sorted.size() - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
  }

  private static void close(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
  }

  @Test
  void theComparisonAgreesWithASeparateCalculationOverBothSlices() {
    String[] r = compare("seed-default", "deribit-like");
    assertEquals("0", r[0], r[2]);
    String out = r[1];
    String seedRunNow = MarginSlices.read(warehouse, AS_OF, "seed-default").select("run_id").first().getString(0);
    assertTrue(out.contains("A = seed-default (run " + seedRunNow + ", reused)"), out);
    assertTrue(out.contains("B = deribit-like (run " + deribitRun.runId() + ", reused)"), out);

    Map<String, Figures> a = slice("seed-default");
    Map<String, Figures> b = slice("deribit-like");
    Map<String, Double> index = new HashMap<>();
    for (Row m : warehouse.read(InputTables.MARKET_UNDERLYINGS, AS_OF).collectAsList()) {
      index.put(m.getAs("underlying"), m.getAs("index_price"));
    }
    List<Row> table = warehouse.read(OutputTables.POLICY_COMPARISON, AS_OF).collectAsList();
    assertEquals(ACCOUNTS, table.size());
    for (Row t : table) {
      String id = t.getAs("account_id");
      Figures fa = a.get(id);
      Figures fb = b.get(id);
      assertEquals(List.of("seed-default", "deribit-like"), List.of(t.getAs("policy_a"), t.getAs("policy_b")));
      assertEquals(fa, new Figures(t.getAs("margin_currency"), t.getAs("im_a"), t.getAs("mm_a"), t.getAs("status_a"),
          t.getAs("run_id_a")), id);
      assertEquals(fb, new Figures(t.getAs("margin_currency"), t.getAs("im_b"), t.getAs("mm_b"), t.getAs("status_b"),
          t.getAs("run_id_b")), id);
    }

    List<Double> changes = new ArrayList<>();
    List<Double> relative = new ArrayList<>();
    Map<String, Long> flips = new TreeMap<>();
    Map<String, double[]> perCcy = new TreeMap<>();
    List<Map.Entry<String, Double>> increases = new ArrayList<>();
    for (Map.Entry<String, Figures> e : a.entrySet()) {
      Figures fa = e.getValue();
      Figures fb = b.get(e.getKey());
      double rate = usdPerUnit(index, fa.ccy());
      if (fa.im() != null && fb.im() != null) {
        double change = (fb.im() - fa.im()) * rate;
        changes.add(change);
        increases.add(Map.entry(e.getKey(), change));
        if (fa.im() > 0) {
          relative.add(fb.im() / fa.im() - 1);
        }
      }
      if (!fa.status().equals(fb.status())) {
        flips.merge(fa.status() + " -> " + fb.status(), 1L, Long::sum);
      }
      double[] t = perCcy.computeIfAbsent(fa.ccy(), k -> new double[2]);
      t[0] += fa.im() == null ? 0 : fa.im() * rate;
      t[1] += fb.im() == null ? 0 : fb.im() * rate;
    }
    changes.sort(Comparator.naturalOrder());
    relative.sort(Comparator.naturalOrder());
    CompareJob.Result result = CompareJob.run(spark, warehouse, AS_OF, SEED, DERIBIT, Kernels.select("simd"), 10);
    assertTrue(result.a().reused() && result.b().reused());
    assertEquals(ACCOUNTS - changes.size(), result.withoutIm());
    for (int i = 0; i < CompareJob.QUANTILES.length; i++) {
      close(percentile(changes, CompareJob.QUANTILES[i]), result.changeQuantilesUsd()[i], "change q" + i);
      close(percentile(relative, CompareJob.QUANTILES[i]), result.relativeQuantiles()[i], "relative q" + i);
    }
    Map<String, Long> shown = new TreeMap<>();
    result.flips().forEach(f -> shown.put(f.statusA() + " -> " + f.statusB(), f.accounts()));
    assertEquals(flips, shown);
    assertFalse(flips.isEmpty() && out.contains("status flips: none"), out);
    for (CompareJob.CurrencyTotal c : result.byCurrency()) {
      close(perCcy.get(c.marginCurrency())[0], c.imAUsd(), c.marginCurrency() + " A");
      close(perCcy.get(c.marginCurrency())[1], c.imBUsd(), c.marginCurrency() + " B");
    }
    assertEquals(perCcy.keySet(), new java.util.TreeSet<>(result.byCurrency().stream().map(CompareJob.CurrencyTotal::marginCurrency).toList()));
    increases.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    List<String> top = increases.subList(0, 10).stream().map(Map.Entry::getKey).toList();
    assertEquals(top, result.largestIncreases().stream().map(CompareJob.Increase::accountId).toList());
    assertTrue(out.contains(top.get(0)), out);
  }

  @Test
  void theHistoricalEsPresetRunsThroughCompareAndItsMarginsAreTheEnginesOwn() {
    MarginPolicy es = io.riskgrid.policy.PolicyLoader.preset("es-hist-1d");
    CompareJob.Result result = CompareJob.run(spark, warehouse, AS_OF, SEED, es, Kernels.select("simd"), 3);
    assertEquals(ACCOUNTS, warehouse.read(io.riskgrid.schemas.OutputTables.POLICY_COMPARISON, AS_OF)
        .where("policy_b = 'es-hist-1d'").count());
    assertEquals(3, result.largestIncreases().size());
    io.riskgrid.margin.MarginCalculator engine = new io.riskgrid.margin.MarginCalculator(
        io.riskgrid.jobs.valuation.StageOne.book(io.riskgrid.jobs.input.MarketTables.read(warehouse, AS_OF), es,
            io.riskgrid.kernel.ScalarKernel.INSTANCE), io.riskgrid.kernel.ScalarKernel.INSTANCE);
    Map<String, Figures> written = slice("es-hist-1d");
    int checked = 0;
    for (Row g : io.riskgrid.jobs.input.AccountInputs.read(warehouse, AS_OF).accounts().filter("account_id like '%3'")
        .collectAsList()) {
      io.riskgrid.margin.AccountMargin m = engine.margin(io.riskgrid.jobs.input.AccountInputs.toAccount(g));
      Figures f = written.get(m.accountId());
      assertEquals(m.status().name(), f.status(), m.accountId());
      if (m.isValid()) {
        close(m.mm(), f.mm(), m.accountId() + " ES mm");
        checked++;
      }
    }
    assertTrue(checked > 10, "sampled accounts: " + checked);
  }

  @Test
  void portfolioImPerUnderlyingIsTheSumOfEachUnderlyingsMmTimesTheMultiplier() {
    CompareJob.Result result = CompareJob.run(spark, warehouse, AS_OF, SEED, DERIBIT, Kernels.select("simd"), 3);
    Map<String, Double> index = new HashMap<>();
    for (Row m : warehouse.read(InputTables.MARKET_UNDERLYINGS, AS_OF).collectAsList()) {
      index.put(m.getAs("underlying"), m.getAs("index_price"));
    }
    Map<String, double[]> expected = new TreeMap<>();
    MarginPolicy[] policies = {SEED, DERIBIT};
    for (int side = 0; side < 2; side++) {
      for (Row r : MarginSlices.read(warehouse, AS_OF, policies[side].name()).collectAsList()) {
        double rate = usdPerUnit(index, r.getAs("margin_currency"));
        for (Row u : r.<Row>getList(r.fieldIndex("by_underlying"))) {
          expected.computeIfAbsent(u.getAs("underlying"), k -> new double[2])[side] +=
              (Double) u.getAs("mm") * rate * policies[side].margin().imMultiplier();
        }
      }
    }
    assertEquals(expected.keySet().stream().toList(), result.byUnderlying().stream().map(CompareJob.UnderlyingTotal::underlying).toList());
    for (CompareJob.UnderlyingTotal u : result.byUnderlying()) {
      close(expected.get(u.underlying())[0], u.imAUsd(), u.underlying() + " A");
      close(expected.get(u.underlying())[1], u.imBUsd(), u.underlying() + " B");
    }
    assertEquals(3, result.largestIncreases().size());
  }

  @Test
  void aPolicyWhoseContentsChangedIsMarginedAgainNotReused() throws Exception {
    ObjectNode changed = (ObjectNode) new ObjectMapper().readTree(
        PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    ((ObjectNode) changed.get("margin")).put("im_multiplier", 1.5);
    Path file = dir.resolve("seed-default-1.5.json");
    Files.writeString(file, changed.toString());
    String[] r = compare(file.toString(), "deribit-like");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("A = seed-default (run ") && r[1].contains(", margined now), B = deribit-like (run "
        + deribitRun.runId() + ", reused)"), r[1]);
    MarginPolicy stiffer = PolicyLoader.load(file.toString());
    List<Row> hashes = MarginSlices.read(warehouse, AS_OF, "seed-default").select("policy_hash").distinct().collectAsList();
    assertEquals(List.of(stiffer.hash()), hashes.stream().map(h -> h.getString(0)).toList());
    Map<String, Figures> stifferRows = slice("seed-default");
    for (Row t : warehouse.read(OutputTables.POLICY_COMPARISON, AS_OF).where("policy_b = 'deribit-like'").collectAsList()) {
      assertEquals(stifferRows.get((String) t.getAs("account_id")).im(), (Double) t.getAs("im_a"));
    }
    // The slice now holds the stiffer policy's rows; the preset's again for the other tests.
    MarginJob.run(spark, warehouse, AS_OF, SEED, Kernels.select("simd"), false);
  }

  @Test
  void twoPoliciesOfOneNameOrOnlyOnePolicyAreRefused() {
    String[] same = compare("seed-default", "seed-default");
    assertEquals("2", same[0]);
    assertTrue(same[2].contains("both policies are named 'seed-default', and are the same policy"), same[2]);
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Riskgrid());
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("compare", "--warehouse", warehouse.location(), "--as-of", AS_OF.toString(),
        "--policy", "seed-default"));
    assertTrue(err.toString().contains("give exactly two policies"), err.toString());
  }
}
