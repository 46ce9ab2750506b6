package io.riskgrid.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.riskgrid.InvalidInputException;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import io.riskgrid.scenario.VolDynamics;
import io.riskgrid.scenario.VolMode;
import io.riskgrid.scenario.VolShockScaling;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads a policy: a shipped preset by name ({@code seed-default}, {@code deribit-like}, {@code span16},
 * {@code aevo-like}), a JSON file, or an inline JSON object. Every document is validated against
 * {@code policy.schema.json} first, so an error names the JSON path.
 */
public final class PolicyLoader {
  public static final List<String> PRESETS = List.of("seed-default", "deribit-like", "span16", "aevo-like",
      "es-hist-1d");
  private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final JsonSchema SCHEMA = loadSchema("/io/riskgrid/json-schema/policy.schema.json");
  private static final java.util.concurrent.ConcurrentMap<String, MarginPolicy> PRESET_CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private PolicyLoader() {}

  /** A preset name, or a path to a policy JSON file. */
  public static MarginPolicy load(String presetOrPath) {
    if (PRESETS.contains(presetOrPath)) {
      return preset(presetOrPath);
    }
    Path path = Path.of(presetOrPath);
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException("policy", "'" + presetOrPath + "' is neither a preset " + PRESETS + " nor a readable file");
    }
    try {
      return fromJson(JSON.readTree(Files.readAllBytes(path)));
    } catch (IOException e) {
      throw new InvalidInputException("policy", "cannot read " + path + " as JSON: " + e.getMessage());
    }
  }

  /** A shipped preset; each is read and validated once per JVM (policies are immutable). */
  public static MarginPolicy preset(String name) {
    MarginPolicy cached = PRESET_CACHE.get(name);
    if (cached != null) {
      return cached;
    }
    MarginPolicy loaded = readPreset(name);
    PRESET_CACHE.putIfAbsent(name, loaded);
    return loaded;
  }

  private static MarginPolicy readPreset(String name) {
    try (InputStream in = PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/" + name + ".json")) {
      if (in == null) {
        throw new InvalidInputException("policy", "no preset '" + name + "'; presets are " + PRESETS);
      }
      return fromJson(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Validates a policy document against the JSON schema, then builds it. */
  public static MarginPolicy fromJson(JsonNode doc) {
    Set<ValidationMessage> errors = SCHEMA.validate(doc);
    if (!errors.isEmpty()) {
      String all = errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
      throw new InvalidInputException("policy", "does not match policy.schema.json: " + all);
    }
    boolean historicalEs = "historical-es".equals(doc.get("methodology").asText());
    ScenarioGrid defaultGrid = historicalEs ? null : grid(doc.get("scenarios"), "scenarios");
    Map<String, ScenarioGrid> byUnderlying = new TreeMap<>();
    JsonNode per = doc.path("scenarios_by_underlying");
    for (Iterator<Map.Entry<String, JsonNode>> it = per.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      byUnderlying.put(e.getKey(), grid(e.getValue(), "scenarios_by_underlying." + e.getKey()));
    }
    JsonNode vs = doc.get("vol_scaling");
    VolShockScaling scaling = new VolShockScaling(num(vs, "ref_days"), num(vs, "power"), num(vs, "min_days"),
        num(vs, "vol_floor"));
    VolDynamics dynamics = VolDynamics.valueOf(doc.get("vol_dynamics").asText().toUpperCase(Locale.ROOT));
    JsonNode st = doc.get("stress");
    StressParameters stress = new StressParameters(num(st, "default_vol_shock"), num(st, "default_fund_usd"),
        num(st, "insurance_fund_usd"));
    JsonNode es = doc.get("historical_es");
    ScenarioPolicy scenarios = new ScenarioPolicy(defaultGrid, byUnderlying, scaling, dynamics, historicalEs
        ? new ScenarioPolicy.JointHistory(es.get("horizon_days").asInt(), stress.defaultVolShock()) : null);

    JsonNode m = doc.get("margin");
    MarginRules margin = new MarginRules(num(m, "im_multiplier"), num(m, "c_opt"), num(m, "c_fut"), num(m, "som_rate"));
    if (historicalEs && (margin.optionContingencyRate() != 0 || margin.futuresContingencyRate() != 0)) {
      // DESIGN §7.6: MM = max(ES, Σ SOM); contingencies belong to the scan method and are not added to ES.
      throw new InvalidInputException(margin.optionContingencyRate() != 0 ? "margin.c_opt" : "margin.c_fut",
          "must be 0 under methodology historical-es: the expected shortfall replaces the scan loss and its contingencies");
    }

    JsonNode c = doc.get("collateral");
    Set<String> stablecoins = new HashSet<>();
    c.get("stablecoins").forEach(n -> stablecoins.add(n.asText()));
    Map<String, Double> haircuts = new HashMap<>();
    c.get("haircuts").fields().forEachRemaining(e -> haircuts.put(e.getKey(), e.getValue().asDouble()));
    CollateralRules collateral = new CollateralRules(stablecoins, haircuts);

    JsonNode sm = doc.get("standard_margin");
    StandardMarginRates standard = new StandardMarginRates(num(sm, "future_im"), num(sm, "future_mm"),
        num(sm, "short_option_im_base"), num(sm, "short_option_im_floor"), num(sm, "short_option_mm"));
    BacktestParameters backtest = new BacktestParameters(num(doc.get("backtest"), "confidence"),
        num(doc.get("backtest"), "iv_over_rv"));
    JsonNode apc = doc.get("anti_procyclicality");
    AntiProcyclicality antiProcyclicality = new AntiProcyclicality(num(apc, "buffer"), num(apc, "stressed_floor"),
        windowDay(apc, 0), windowDay(apc, 1));
    return new MarginPolicy(doc.get("name").asText(), PolicyHash.ofDocument(canonical(doc)), scenarios, margin,
        collateral, standard, stress, backtest, antiProcyclicality,
        historicalEs ? new ExpectedShortfall(es.get("confidence").asDouble()) : null);
  }

  private static LocalDate windowDay(JsonNode antiProcyclicality, int i) {
    String day = antiProcyclicality.get("stressed_window").get(i).asText();
    try {
      return LocalDate.parse(day);
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidInputException("anti_procyclicality.stressed_window[" + i + "]", "is not a date: " + day);
    }
  }

  /** The canonical JSON of a policy document (keys sorted), as hashed into {@link MarginPolicy#hash()}. */
  public static String canonical(JsonNode doc) {
    try {
      Object tree = JSON.treeToValue(doc, Object.class);
      return JSON.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ScenarioGrid grid(JsonNode g, String where) {
    ScenarioGrid grid = unchecked(g, where);
    if (grid.scenarios().stream().allMatch(s -> s.priceShock() == 0)) {
      // A grid without a price move values every future, perpetual and coin balance at no loss: most of an
      // exchange would be margined at 0, the worst outcome a margin system can have (issue #18).
      throw new InvalidInputException(where + (g.has("custom") ? ".custom" : ".price_shocks"),
          "the grid has no price move (every scenario has p = 0), so futures, perpetuals and coin collateral would "
              + "carry no margin; give at least one non-zero price shock");
    }
    return grid;
  }

  private static ScenarioGrid unchecked(JsonNode g, String where) {
    VolMode mode = VolMode.valueOf(g.get("vol_mode").asText().toUpperCase(Locale.ROOT));
    double horizon = num(g, "horizon_days");
    if (g.has("custom")) {
      List<Scenario> list = new ArrayList<>();
      for (JsonNode s : g.get("custom")) {
        ScenarioKind kind = ScenarioKind.valueOf(s.get("kind").asText());
        // h_days is the scenario's own horizon where it states one (schema: an override of horizon_days);
        // a REGULAR scenario has no cover (the schema allows only 1), an EXTREME one must state it.
        double h = s.has("h_days") ? num(s, "h_days") : horizon;
        double cover = kind == ScenarioKind.EXTREME ? num(s, "cover") : 1.0;
        list.add(Scenario.of(s.get("p").asDouble(), s.get("v").asDouble(), h, kind, cover));
      }
      return new ScenarioGrid(mode, list);
    }
    List<double[]> extremes = new ArrayList<>();
    for (JsonNode x : g.get("extremes")) {
      extremes.add(new double[] {x.get("p").asDouble(), x.get("v").asDouble(), x.get("cover").asDouble()});
    }
    try {
      return ScenarioGrid.cartesian(mode, doubles(g.get("price_shocks")), doubles(g.get("vol_shocks")), horizon, extremes);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(where, e.getMessage());
    }
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  /** A number the schema has already required; there is no fallback value. */
  private static double num(JsonNode node, String field) {
    return node.get(field).asDouble();
  }

  /** Loads a JSON schema (draft 2020-12) from the classpath. */
  public static JsonSchema loadSchema(String resource) {
    try (InputStream in = PolicyLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing JSON schema resource " + resource);
      }
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
