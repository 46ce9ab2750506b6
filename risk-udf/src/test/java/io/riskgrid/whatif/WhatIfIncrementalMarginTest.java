package io.riskgrid.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.Position;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The incremental margin of a position (DESIGN §7.3) is MM(account) − MM(account without it). Under a
 * scan policy in portfolio mode the service margins only the removed position's underlying again; here
 * that figure is checked, for every position of random three-underlying accounts with coin collateral
 * and a coin loan, against the whole account without the position margined on a calculator of its own:
 * the same double, with either kernel. Under historical ES and in standard mode (where the shortcut would
 * be wrong) it must take the whole-account path, which the same comparison catches.
 */
class WhatIfIncrementalMarginTest {
  private static final String[] UNDERLYINGS = {"BTC", "ETH", "SOL"};
  private static final double[] INDEX = {94128.89, 3210.5, 141.25};
  private static final String[] EXPIRIES = {"2026-01-30T08:00:00Z", "2026-03-27T08:00:00Z"};

  @Test
  void scanPortfolioShortcutEqualsTheWholeAccountWithoutThePositionForEveryPosition() {
    for (RiskKernel kernel : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
      for (long seed = 1; seed <= 6; seed++) {
        int compared = checkEveryPosition(request(seed, "seed-default", "PORTFOLIO"), kernel);
        assertTrue(compared >= 20, "positions compared: " + compared);
      }
    }
  }

  @Test
  void historicalEsAndStandardModeTakeTheWholeAccountPath() {
    checkEveryPosition(request(7, "es-hist-1d", "PORTFOLIO"), ScalarKernel.INSTANCE);
    checkEveryPosition(request(8, "seed-default", "STANDARD"), ScalarKernel.INSTANCE);
  }

  @Test
  void theResponseCarriesTheSameIncrementalMarginAsARequestWithoutThePosition() {
    ObjectNode request = request(3, "seed-default", "PORTFOLIO");
    JsonNode response = new WhatIfService(ScalarKernel.INSTANCE).evaluate(request);
    double mm = response.get("mm").asDouble();
    JsonNode top = response.get("top_positions");
    assertEquals(WhatIfService.TOP_POSITIONS, top.size(), response.toPrettyString());
    for (JsonNode p : top) {
      String id = p.get("instrument_id").asText();
      ObjectNode without = WhatIfFixtures.withoutInstrument(request, id);
      double mmWithout = new WhatIfService(ScalarKernel.INSTANCE).evaluate(without).get("mm").asDouble();
      assertEquals(mm - mmWithout, p.get("incremental_mm").asDouble(), 0.0, id);
    }
  }

  /** Compares, for each instrument of the account, the service's MM without it with the whole-account one. */
  private static int checkEveryPosition(ObjectNode request, RiskKernel kernel) {
    WhatIfRequestParser.Parsed req = new WhatIfRequestParser(false).parse(request);
    InstrumentBook book = InstrumentBook.build(req.market(), req.instruments().values(), req.policy(), kernel);
    MarginCalculator calc = new MarginCalculator(book, kernel, true, true);
    Account account = req.account();
    AccountMargin margin = calc.margin(account);
    assertTrue(margin.isValid() && margin.mm() > 0, margin.status() + " " + margin.reason());
    int[] rows = calc.instrumentRows(0).clone();
    Set<String> ids = new LinkedHashSet<>();
    account.positions().forEach(p -> ids.add(p.instrumentId()));
    int compared = 0;
    int moved = 0;
    for (String id : ids) {
      List<Position> without = new ArrayList<>();
      for (Position p : account.positions()) {
        if (!p.instrumentId().equals(id)) {
          without.add(p);
        }
      }
      AccountMargin whole = new MarginCalculator(book, kernel).margin(new Account(account.accountId(),
          account.parentId(), account.marginMode(), account.marginCurrency(), without, account.collateral()));
      Double fast = IncrementalMargin.mmWithout(calc, account, rows, margin, id);
      assertEquals(Double.valueOf(whole.mm()), fast, () -> kernel.name() + " " + request.get("policy") + " without " + id);
      moved += fast.doubleValue() != margin.mm() ? 1 : 0;
      compared++;
    }
    // Not a comparison of equal figures: most removals move MM (a short option minimum can hold it).
    assertTrue(moved * 2 > compared, moved + " of " + compared + " removals moved MM");
    return compared;
  }

  /**
   * A USD account in {@code mode} of 30 to 45 linear options and futures on BTC, ETH and SOL (no id twice),
   * holding USDC, BTC coin and an ETH loan, on a three-underlying market, under {@code policy}.
   */
  static ObjectNode request(long seed, String policy, String mode) {
    SplittableRandom rnd = new SplittableRandom(seed);
    ObjectNode req = WhatIfFixtures.JSON.createObjectNode();
    req.put("as_of", "2026-01-05T08:00:00Z").put("policy", policy);
    ArrayNode underlyings = req.putObject("market").putArray("underlyings");
    for (int u = 0; u < UNDERLYINGS.length; u++) {
      ArrayNode slices = underlyings.addObject().put("underlying", UNDERLYINGS[u]).put("index_price", INDEX[u])
          .put("rate", 0).put("basis", 0.001 * (u + 1)).putArray("vol_slices");
      slices.addObject().put("expiry", EXPIRIES[0]).put("a", 0.0028 + 0.001 * u).put("b", 0.042).put("rho", -0.25)
          .put("m", 0.02).put("sigma_svi", 0.12);
      slices.addObject().put("expiry", EXPIRIES[1]).put("a", 0.009 + 0.001 * u).put("b", 0.08).put("rho", -0.3)
          .put("m", 0.03).put("sigma_svi", 0.18);
    }
    ObjectNode account = req.putObject("account").put("account_id", "inc-" + seed).put("margin_mode", mode)
        .put("margin_currency", "USD");
    ArrayNode positions = account.putArray("positions");
    Set<String> used = new LinkedHashSet<>();
    int count = rnd.nextInt(30, 46);
    while (used.size() < count) {
      int u = rnd.nextInt(UNDERLYINGS.length);
      int e = rnd.nextInt(EXPIRIES.length);
      String expiry = EXPIRIES[e];
      String day = e == 0 ? "30JAN26" : "27MAR26";
      ObjectNode def = WhatIfFixtures.JSON.createObjectNode();
      double quantity = (rnd.nextBoolean() ? 1 : -1) * (0.5 + rnd.nextInt(40));
      if (rnd.nextInt(5) == 0) {
        String id = UNDERLYINGS[u] + "-" + day;
        if (!used.add(id)) {
          continue;
        }
        def.put("instrument_id", id).put("underlying", UNDERLYINGS[u]).put("kind", "FUTURE").put("settlement", "LINEAR")
            .put("expiry", expiry).put("multiplier", 1);
        positions.addObject().<ObjectNode>set("instrument", def).put("quantity", quantity)
            .put("entry_price", INDEX[u] * (0.95 + 0.1 * rnd.nextDouble()));
      } else {
        long strike = Math.round(INDEX[u] * (0.7 + 0.05 * rnd.nextInt(13)));
        boolean call = rnd.nextBoolean();
        String id = UNDERLYINGS[u] + "-" + day + "-" + strike + (call ? "-C" : "-P");
        if (!used.add(id)) {
          continue;
        }
        def.put("instrument_id", id).put("underlying", UNDERLYINGS[u]).put("kind", "OPTION").put("settlement", "LINEAR")
            .put("option_type", call ? "CALL" : "PUT").put("strike", strike).put("expiry", expiry).put("multiplier", 1);
        positions.addObject().<ObjectNode>set("instrument", def).put("quantity", quantity);
      }
    }
    ArrayNode collateral = account.putArray("collateral");
    collateral.addObject().put("asset", "USDC").put("quantity", 5_000_000);
    collateral.addObject().put("asset", "BTC").put("quantity", 3.5);
    collateral.addObject().put("asset", "ETH").put("quantity", -20);
    return req;
  }
}
