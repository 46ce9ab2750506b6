package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.backtest.history.HistoryImporter;
import io.riskgrid.backtest.history.PanelArchetypes;
import io.riskgrid.jobs.backtest.BacktestJob;
import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.report.chart.Numbers;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.stress.StressJob;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code riskgrid report} over a small real exchange (300 generated accounts, margin, stress, a year's
 * backtest on the shipped history), opened in headless Chromium: no script error, every chart drawn, the
 * figures equal to independent computations over the tables, and a screenshot kept in
 * {@code jobs/target/report-screenshot.png}. Skipped, saying why, only where no chromium binary exists.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HtmlReportBrowserTest {
  static final LocalDate AS_OF = LocalDate.of(2026, 1, 5);
  static final MarginPolicy POLICY = PolicyLoader.preset("seed-default");
  static final Pattern SVG = Pattern.compile("<svg[^>]*>(.*?)</svg>", Pattern.DOTALL);

  @TempDir
  static Path folder;

  private static Chromium chromium;
  private static SparkSession spark;
  private static Warehouse warehouse;

  @BeforeAll
  static void buildAnExchange() {
    chromium = Chromium.onPath().orElse(null);
    Assumptions.assumeTrue(chromium != null, "no chromium binary on the PATH: the report's browser check is skipped. "
        + "Install Debian's chromium (apt-get install -y chromium), as .ci/run does, to run it.");
    spark = SparkSessions.getOrCreate("report-test", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false",
        "spark.databricks.delta.snapshotPartitions", "2", "spark.sql.adaptive.enabled", "false"));
    warehouse = Warehouse.at(spark, folder.resolve("warehouse").toString());
    Kernels.Choice kernel = Kernels.select("scalar");
    GenerateJob.run(spark, warehouse, AS_OF, 300, 7, POLICY, kernel.kernel());
    MarginJob.run(spark, warehouse, AS_OF, POLICY, kernel, false);
    StressJob.run(spark, warehouse, AS_OF, POLICY, POLICY.name(), kernel);
    StressJob.run(spark, warehouse, AS_OF, POLICY, StressJob.HISTORICAL, kernel);
    BacktestJob.run(spark, warehouse, new BacktestJob.Request(HistoryImporter.shipped(POLICY.backtest().ivOverRv()),
        "real shipped closes + DVOL", PanelArchetypes.panel(3), List.of(POLICY), LocalDate.of(2022, 1, 1),
        LocalDate.of(2022, 12, 31), 1, kernel, Map.of()));
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  @Order(1)
  void thePageIsSelfContainedAndRendersWithoutErrorsWithEveryChartDrawn() throws Exception {
    Path page = folder.resolve("report.html");
    HtmlReport.write(warehouse, AS_OF, page, false);
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertFalse(html.contains("<script") || html.contains("<link") || html.contains("<img"), "no script or external resource");
    assertEquals(List.of(), externalReferences(html));
    Chromium.Rendering rendering = chromium.render(page, folder.resolve("report.png"), 1280, 2400);
    assertEquals(List.of(), rendering.consoleMessages(), "the browser logged errors");
    List<String> charts = svgs(rendering.dom());
    // margin 4, largest 1, stress 3, exposures 3, backtest 2 (a year: the traffic light has windows),
    // liquidation curve 2 (the margin run writes liquidation_curve)
    assertEquals(15, charts.size(), "charts rendered");
    for (String chart : charts) {
      assertTrue(chart.contains("class=\"mark\""), "a chart without a drawn mark: " + chart.substring(0, Math.min(300, chart.length())));
    }
    assertTrue(rendering.dom().contains(curveAt(-20)), "the curve at -20% as liquidation_curve has it: " + curveAt(-20));
    assertTrue(rendering.dom().contains("Not computed for " + AS_OF + ": run `riskgrid compare"), "comparison says how");
    assertDrawn(rendering.screenshot());
  }

  @Test
  @Order(2)
  void figuresEqualIndependentComputationsOverTheTables() throws Exception {
    String html = Files.readString(HtmlReport.write(warehouse, AS_OF, folder.resolve("figures.html"), false).file());
    // Accounts by status: one bar per status, its hover text the exact count.
    Map<String, Long> byStatus = new HashMap<>();
    Map<String, Double> index = new HashMap<>();
    warehouse.read(InputTables.MARKET_UNDERLYINGS, AS_OF).collectAsList()
        .forEach(r -> index.put(r.getAs("underlying"), r.getAs("index_price")));
    String largest = null;
    double largestUsd = -1;
    double imUsd = 0;
    for (Row r : warehouse.read(OutputTables.MARGINS, AS_OF).collectAsList()) {
      byStatus.merge(r.getAs("status"), 1L, Long::sum);
      String ccy = r.getAs("margin_currency");
      Double im = r.getAs("im");
      if (im != null) {
        double usd = im * (ccy.equals("USD") ? 1 : index.get(ccy));
        imUsd += usd;
        if (usd > largestUsd || (usd == largestUsd && r.<String>getAs("account_id").compareTo(largest) < 0)) {
          largest = r.getAs("account_id");
          largestUsd = usd;
        }
      }
    }
    byStatus.forEach((status, n) -> assertTrue(html.contains("<title>" + status + ": " + String.format("%,d", n)
        + " accounts</title>"), status + " " + n));
    assertTrue(html.contains("<b>" + Numbers.compact(imUsd) + " USD</b><span>initial margin (IM) required"), "total IM");
    assertTrue(html.contains("<title>" + largest + ", IM: " + Numbers.grouped(largestUsd) + " USD</title>"),
        "largest IM " + largest);
    // Cover-2 headline: the maximum over every scenario of every set.
    double cover2 = warehouse.read(OutputTables.STRESS_RESULTS, AS_OF).agg(org.apache.spark.sql.functions.max("cover2_usd"))
        .first().getDouble(0);
    assertTrue(html.contains("<b>" + Numbers.compact(cover2) + " USD</b><span>Cover-2, in "), "Cover-2");
    // Exposure heatmap: the BTC perpetual cell is net delta × index.
    Row perp = warehouse.read(OutputTables.EXPOSURES, AS_OF).filter(col("underlying").equalTo("BTC")
        .and(col("bucket").equalTo("PERP"))).first();
    assertTrue(html.contains("<title>BTC PERP: " + Numbers.grouped(perp.<Double>getAs("net_delta") * index.get("BTC"))
        + " net delta, USD"), "BTC PERP delta");
    // Backtest: one marker per MM breach of the portfolio with the most breaches.
    Matcher portfolio = Pattern.compile("Portfolio (\\S+) \\(most MM breaches").matcher(html);
    assertTrue(portfolio.find(), "backtest chart");
    long breaches = spark.read().format("delta").load(warehouse.location() + "/backtest_daily")
        .filter(col("portfolio_id").equalTo(portfolio.group(1)).and(col("breach_mm"))).count();
    assertEquals(breaches, Pattern.compile("&gt; MM [-0-9,.]+</title></circle>").matcher(html).results().count());
  }

  /** The report's figure for the curve at {@code percent}, from the margin run's liquidation_curve row. */
  private static String curveAt(int percent) {
    Row r = warehouse.read(OutputTables.LIQUIDATION_CURVE, AS_OF).filter(col("move").equalTo(percent / 100.0)).first();
    return String.format(java.util.Locale.ROOT, "<b>%,.0f accts</b><span>%+d%%: below MM; shortfall %s USD",
        (double) r.<Long>getAs("accounts_liquidated"), percent, Numbers.compact(r.<Double>getAs("shortfall_usd")));
  }

  /** A status the first compared account does not have under policy A, whatever the generator gave it. */
  private static String flipped(String status) {
    return "LIQUIDATION".equals(status) ? "OK" : "LIQUIDATION";
  }

  @Test
  @Order(3)
  void liquidationCurveAndPolicyComparisonAppearOnceTheirTablesExist() throws Exception {
    List<Row> accounts = warehouse.read(OutputTables.MARGINS, AS_OF).filter(col("im").isNotNull())
        .filter(col("margin_currency").equalTo("USD")).select("account_id", "im", "mm", "status").limit(40).collectAsList();
    List<Row> compared = new ArrayList<>();
    double imA = 0;
    double imB = 0;
    for (int i = 0; i < accounts.size(); i++) {
      Row a = accounts.get(i);
      double factor = 1 + 0.02 * (i % 10); // 0% to +18%
      imA += a.getDouble(1);
      imB += a.getDouble(1) * factor;
      // The table's own schema (the margin run created it empty): as riskgrid compare writes it.
      compared.add(RowFactory.create(Date.valueOf(AS_OF), "compare-test", "seed-default", "candidate", a.getString(0), "USD",
          a.getDouble(1), a.getDouble(1) * factor, a.getDouble(2), a.getDouble(2) * factor, a.getString(3),
          i == 0 ? flipped(a.getString(3)) : a.getString(3), "run-a", "run-b"));
    }
    warehouse.append(spark.createDataFrame(compared, OutputTables.POLICY_COMPARISON.schema()), OutputTables.POLICY_COMPARISON);

    Path page = folder.resolve("full.html");
    HtmlReport.write(warehouse, AS_OF, page, false);
    Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
    Files.createDirectories(screenshot.getParent());
    Chromium.Rendering rendering = chromium.render(page, screenshot, 1280, 2400);
    assertEquals(List.of(), rendering.consoleMessages());
    List<String> charts = svgs(rendering.dom());
    assertEquals(16, charts.size(), "13 charts, the curve's 2 and the comparison's histogram");
    charts.forEach(chart -> assertTrue(chart.contains("class=\"mark\""), "empty chart"));
    String dom = rendering.dom();
    assertTrue(dom.contains(curveAt(-20)), "curve at -20%");
    assertTrue(dom.contains(Numbers.percent(imB / imA - 1) + "</b><span>total IM change"), "total IM change");
    assertTrue(dom.contains(accounts.get(0).getString(3) + " → " + flipped(accounts.get(0).getString(3))), "status flip");
    assertDrawn(screenshot);
    System.out.println("report screenshot: " + screenshot);
  }

  @Test
  @Order(4)
  void theBrowserCheckCatchesAScriptError() throws Exception {
    Path page = folder.resolve("broken.html");
    Files.writeString(page, "<html><body><svg></svg><script>notDefinedAnywhere();</script></body></html>");
    Chromium.Rendering rendering = chromium.render(page, folder.resolve("broken.png"), 400, 300);
    assertEquals(1, rendering.consoleMessages().size(), rendering.consoleMessages().toString());
    assertTrue(rendering.consoleMessages().get(0).contains("Uncaught ReferenceError"));
    assertFalse(svgs(rendering.dom()).get(0).contains("class=\"mark\""), "an empty chart is seen as empty");
  }

  private static List<String> svgs(String dom) {
    List<String> found = new ArrayList<>();
    Matcher m = SVG.matcher(dom);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }

  /** Every http(s) reference but the SVG namespace: the page must load nothing. */
  private static List<String> externalReferences(String html) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile("https?://[^\"' )<]+").matcher(html);
    while (m.find()) {
      if (!m.group().equals("http://www.w3.org/2000/svg")) {
        found.add(m.group());
      }
    }
    return found;
  }

  /** The screenshot shows a page, not a blank: at least 5% of its pixels differ from the background. */
  private static void assertDrawn(Path png) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    int background = image.getRGB(image.getWidth() - 1, image.getHeight() - 1);
    long drawn = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        drawn += image.getRGB(x, y) != background ? 1 : 0;
      }
    }
    double share = drawn / (image.getWidth() * image.getHeight() / 4.0);
    assertTrue(share > 0.05, png + ": only " + share + " of the pixels are drawn");
  }
}
