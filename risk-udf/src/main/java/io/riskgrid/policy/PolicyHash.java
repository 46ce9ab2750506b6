package io.riskgrid.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of a policy: a SHA-256, as 64 lowercase hex digits.
 *
 * <ul>
 *   <li>A loaded policy: the SHA-256 of its canonical JSON document ({@link PolicyLoader#canonical}:
 *       keys sorted, no whitespace).
 *   <li>A policy whose grids were replaced ({@link MarginPolicy#withGrids}): the SHA-256 of the UTF-8 text
 *       {@code baseHash + "\n" + gridsJson}, where {@code gridsJson} is the canonical JSON (keys sorted at
 *       every level, no whitespace, numbers as Java's Double.toString, which round-trips exactly) of
 *       {@code {"scenarios": GRID, "scenarios_by_underlying": {UNDERLYING: GRID, ...}}}, each GRID written
 *       as a custom grid in policy order: {@code {"vol_mode": "additive"|"relative", "custom": [{"label",
 *       "p", "v", "h_days", "kind", "cover"}, ...]}}. So the hash changes with the grids, does not depend
 *       on map iteration order, and still identifies the policy the grids were put into.
 * </ul>
 */
public final class PolicyHash {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private PolicyHash() {}

  /** The hash of a policy document, given its canonical JSON. */
  public static String ofDocument(String canonicalJson) {
    return sha256(canonicalJson);
  }

  /** The hash of the policy {@code baseHash} identifies, with its grids replaced by those of {@code scenarios}. */
  public static String withGrids(String baseHash, ScenarioPolicy scenarios) {
    return sha256(baseHash + "\n" + gridsJson(scenarios));
  }

  /** The canonical JSON of a policy's grids, as hashed by {@link #withGrids}. */
  static String gridsJson(ScenarioPolicy scenarios) {
    Map<String, Object> byUnderlying = new TreeMap<>();
    scenarios.gridByUnderlying().forEach((u, g) -> byUnderlying.put(u, grid(g)));
    Map<String, Object> grids = new TreeMap<>();
    grids.put("scenarios", grid(scenarios.defaultGrid()));
    grids.put("scenarios_by_underlying", byUnderlying);
    try {
      return CANONICAL.writeValueAsString(grids);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> grid(ScenarioGrid g) {
    List<Map<String, Object>> custom = new ArrayList<>();
    for (Scenario s : g.scenarios()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("label", s.label());
      one.put("p", s.priceShock());
      one.put("v", s.volShock());
      one.put("h_days", s.horizonDays());
      one.put("kind", s.kind().name());
      one.put("cover", s.cover());
      custom.add(one);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("vol_mode", g.volMode().name().toLowerCase(Locale.ROOT));
    out.put("custom", custom);
    return out;
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(64);
      for (byte b : digest) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
