package io.riskgrid.policy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A policy states every parameter: each field that once had a default in code is required by
 * {@code policy.schema.json}, and leaving it out is an error naming its JSON path.
 */
class PolicyRequiredFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** JSON pointers (into seed-default) of every field that used to fall back to a value in PolicyLoader. */
  static Stream<String> formerlyDefaulted() {
    return Stream.of(
        "/margin/c_opt", "/margin/c_fut", "/margin/som_rate",
        "/collateral/stablecoins",
        "/backtest", "/backtest/confidence", "/backtest/iv_over_rv",
        "/anti_procyclicality", "/anti_procyclicality/buffer", "/anti_procyclicality/stressed_floor",
        "/anti_procyclicality/stressed_window",
        "/stress", "/stress/default_vol_shock", "/stress/default_fund_usd", "/stress/insurance_fund_usd",
        "/vol_scaling", "/vol_scaling/ref_days", "/vol_scaling/power", "/vol_scaling/min_days", "/vol_scaling/vol_floor",
        "/standard_margin", "/standard_margin/future_im", "/standard_margin/future_mm",
        "/standard_margin/short_option_im_base", "/standard_margin/short_option_im_floor",
        "/standard_margin/short_option_mm",
        "/vol_dynamics",
        "/scenarios/horizon_days", "/scenarios/extremes");
  }

  static ObjectNode seedDefault() {
    try (InputStream in = PolicyRequiredFieldsTest.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json")) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes the field at {@code pointer} and returns the schema message's expected path and property. */
  private static String[] remove(ObjectNode doc, String pointer) {
    int slash = pointer.lastIndexOf('/');
    String parent = pointer.substring(0, slash);
    String field = pointer.substring(slash + 1);
    ((ObjectNode) (parent.isEmpty() ? doc : doc.at(parent))).remove(field);
    String parentPath = "$" + parent.replace('/', '.');
    return new String[] {parentPath, field};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formerlyDefaulted")
  void aMissingFieldIsASchemaErrorNamingIt(String pointer) {
    ObjectNode doc = seedDefault();
    String[] where = remove(doc, pointer);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(doc));
    assertTrue(e.getMessage().contains(where[0] + ": required property '" + where[1] + "'"), e.getMessage());
  }

  @Test
  void theUntouchedPresetIsAccepted() {
    assertDoesNotThrow(() -> PolicyLoader.fromJson(seedDefault()));
  }

  private static ObjectNode withCustomSolGrid(String scenariosJson) throws IOException {
    ObjectNode doc = seedDefault();
    JsonNode grid = JSON.readTree("{\"vol_mode\":\"relative\",\"horizon_days\":1,\"custom\":" + scenariosJson + "}");
    doc.putObject("scenarios_by_underlying").set("SOL", grid);
    return doc;
  }

  @Test
  void aCustomScenarioStatesItsKindAndAnExtremeItsCover() throws IOException {
    assertDoesNotThrow(() -> PolicyLoader.fromJson(withCustomSolGrid(
        "[{\"p\":-0.4,\"v\":0.5,\"kind\":\"REGULAR\"},{\"p\":-0.8,\"v\":1,\"kind\":\"EXTREME\",\"cover\":0.25}]")));

    ObjectNode noKind = withCustomSolGrid("[{\"p\":-0.4,\"v\":0.5}]");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(noKind));
    assertTrue(e.getMessage().contains("$.scenarios_by_underlying.SOL.custom[0]: required property 'kind'"), e.getMessage());

    ObjectNode noCover = withCustomSolGrid(
        "[{\"p\":-0.4,\"v\":0.5,\"kind\":\"REGULAR\"},{\"p\":-0.8,\"v\":1,\"kind\":\"EXTREME\"}]");
    e = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(noCover));
    assertTrue(e.getMessage().contains("$.scenarios_by_underlying.SOL.custom[1]: required property 'cover'"), e.getMessage());

    ObjectNode regularWithCover = withCustomSolGrid("[{\"p\":-0.4,\"v\":0.5,\"kind\":\"REGULAR\",\"cover\":0.5}]");
    e = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(regularWithCover));
    assertTrue(e.getMessage().contains("$.scenarios_by_underlying.SOL.custom[0].cover"), e.getMessage());

    ObjectNode noHorizon = withCustomSolGrid("[{\"p\":-0.4,\"v\":0.5,\"kind\":\"REGULAR\"}]");
    ((ObjectNode) noHorizon.at("/scenarios_by_underlying/SOL")).remove("horizon_days");
    e = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(noHorizon));
    assertTrue(e.getMessage().contains("$.scenarios_by_underlying.SOL: required property 'horizon_days'"), e.getMessage());
  }

  @Test
  void aCustomGridTakesNoSeparateExtremes() throws IOException {
    ObjectNode doc = withCustomSolGrid("[{\"p\":-0.4,\"v\":0.5,\"kind\":\"REGULAR\"}]");
    ((ObjectNode) doc.at("/scenarios_by_underlying/SOL")).putArray("extremes");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(doc));
    assertTrue(e.getMessage().contains("$.scenarios_by_underlying.SOL"), e.getMessage());
  }
}
