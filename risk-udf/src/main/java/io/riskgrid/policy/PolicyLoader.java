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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
  public static final List<String> PRESETS = List.of("seed-default", "deribit-like", "span16", "aevo-like");
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
    ScenarioGrid defaultGrid = grid(doc.get("scenarios"), "scenarios");
    Map<String, ScenarioGrid> byUnderlying = new TreeMap<>();
    JsonNode per = doc.path("scenarios_by_underlying");
    for (Iterator<Map.Entry<String, JsonNode>> it = per.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      byUnderlying.put(e.getKey(), grid(e.getValue(), "scenarios_by_underlying." + e.getKey()));
    }
    JsonNode vs = doc.path("vol_scaling");
    VolShockScaling d = VolShockScaling.DEFAULT;
    VolShockScaling scaling = new VolShockScaling(num(vs, "ref_days", d.refDays()), num(vs, "power", d.power()),
        num(vs, "min_days", d.minDays()), num(vs, "vol_floor", d.volFloor()));
    VolDynamics dynamics = VolDynamics.valueOf(doc.path("vol_dynamics").asText("sticky_strike").toUpperCase(Locale.ROOT));
    JsonNode margin = doc.get("margin");
    JsonNode collateral = doc.get("collateral");
    Set<String> stablecoins = new HashSet<>();
    if (collateral.has("stablecoins")) {
      collateral.get("stablecoins").forEach(n -> stablecoins.add(n.asText()));
    } else {
      stablecoins.addAll(List.of("USD", "USDC", "USDT"));
    }
    Map<String, Double> haircuts = new HashMap<>();
    collateral.get("haircuts").fields().forEachRemaining(e -> haircuts.put(e.getKey(), e.getValue().asDouble()));
    JsonNode sm = doc.path("standard_margin");
    StandardMarginRates s = StandardMarginRates.DEFAULT;
    StandardMarginRates rates = new StandardMarginRates(num(sm, "future_im", s.futureIm()), num(sm, "future_mm", s.futureMm()),
        num(sm, "short_option_im_base", s.shortOptionImBase()), num(sm, "short_option_im_floor", s.shortOptionImFloor()),
        num(sm, "short_option_mm", s.shortOptionMm()));
    return new MarginPolicy(doc.get("name").asText(), hash(doc), defaultGrid, byUnderlying, scaling, dynamics,
        margin.get("im_multiplier").asDouble(), num(margin, "c_opt", 0.01), num(margin, "c_fut", 0.006),
        num(margin, "som_rate", 0.0), stablecoins, haircuts, rates,
        num(doc.path("backtest"), "confidence", 0.99), num(doc.path("backtest"), "iv_over_rv", 1.2),
        num(doc.path("stress"), "default_vol_shock", 0.30));
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
    VolMode mode = VolMode.valueOf(g.get("vol_mode").asText().toUpperCase(Locale.ROOT));
    double horizon = num(g, "horizon_days", 1.0);
    if (g.has("custom")) {
      List<Scenario> list = new ArrayList<>();
      for (JsonNode s : g.get("custom")) {
        ScenarioKind kind = ScenarioKind.valueOf(s.path("kind").asText("REGULAR"));
        list.add(Scenario.of(s.get("p").asDouble(), s.get("v").asDouble(), num(s, "h_days", horizon), kind,
            num(s, "cover", 1.0)));
      }
      return new ScenarioGrid(mode, list);
    }
    List<double[]> extremes = new ArrayList<>();
    for (JsonNode x : g.path("extremes")) {
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

  private static double num(JsonNode node, String field, double fallback) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? fallback : v.asDouble();
  }

  private static String hash(JsonNode doc) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical(doc).getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
