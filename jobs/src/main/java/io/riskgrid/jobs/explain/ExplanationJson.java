package io.riskgrid.jobs.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of an {@link Explanation} ({@code explain --json}); the fields are listed in the README.
 * Names follow the {@code margins} columns and the what-if response, in snake case; absent figures are
 * JSON null, never 0.
 */
public final class ExplanationJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExplanationJson() {}

  public static ObjectNode render(Explanation x) {
    ObjectNode out = JSON.createObjectNode();
    out.put("account_id", x.accountId());
    out.put("as_of_date", x.asOf().toString());
    out.put("run_id", x.runId());
    Explanation.PolicyUsed p = x.policy();
    out.putObject("policy").put("name", p.name()).put("hash", p.hash()).put("run_name", p.runName())
        .put("run_hash", p.runHash()).put("matches_run", p.matchesRun());
    out.put("kernel", x.kernel());
    Explanation.RowFigures r = x.row();
    out.put("margin_mode", r.marginMode());
    out.put("margin_currency", r.marginCurrency());
    out.put("status", r.status());
    out.put("reason", r.reason());
    out.put("equity", r.equity());
    out.put("im", r.im());
    out.put("mm", r.mm());
    out.put("pm_im", r.pmIm());
    out.put("pm_mm", r.pmMm());
    out.put("standard_im", r.standardIm());
    out.put("standard_mm", r.standardMm());
    out.put("pm_saving", r.pmSaving());
    out.put("liq_move_down", r.liqMoveDown());
    out.put("liq_move_up", r.liqMoveUp());
    ArrayNode by = out.putArray("by_underlying");
    for (Explanation.UnderlyingPart u : x.underlyings()) {
      underlying(by.addObject(), u);
    }
    ArrayNode collateral = out.putArray("collateral");
    for (Explanation.CollateralPart c : x.collateral()) {
      collateral.addObject().put("asset", c.asset()).put("quantity", c.quantity()).put("haircut", c.haircut())
          .put("equity_value", c.equityValue()).put("mm_contribution", c.mmContribution());
    }
    Explanation.Recomputed c = x.recomputed();
    if (c == null) {
      out.putNull("recomputed");
    } else {
      out.putObject("recomputed").put("status", c.status()).put("reason", c.reason()).put("equity", c.equity())
          .put("im", c.im()).put("mm", c.mm()).put("notional", c.notional()).put("mm_tolerance", c.mmTolerance())
          .put("agrees", c.agrees());
    }
    ArrayNode warnings = out.putArray("warnings");
    x.warnings().forEach(warnings::add);
    ArrayNode files = out.putArray("files_read");
    x.filesRead().forEach((table, f) -> files.addObject().put("table", table).put("read", f.read()).put("of_date", f.ofDate()));
    ObjectNode timings = out.putObject("timings_ms");
    x.timingsMs().forEach(timings::put);
    return out;
  }

  private static void underlying(ObjectNode n, Explanation.UnderlyingPart u) {
    n.put("underlying", u.underlying());
    n.put("index_price", u.indexPrice());
    n.put("scan_loss", u.scanLoss());
    n.put("binding_scenario", u.bindingScenario());
    Explanation.ScenarioMove m = u.move();
    if (m == null) {
      n.putNull("scenario");
    } else {
      n.putObject("scenario").put("label", m.label()).put("p", m.priceShock()).put("v", m.volShock())
          .put("vol_mode", m.volMode()).put("h_days", m.horizonDays()).put("kind", m.kind()).put("cover", m.cover());
    }
    n.put("c_opt", u.cOpt());
    n.put("c_fut", u.cFut());
    n.put("som", u.som());
    n.put("mm", u.mm());
    n.put("delta", u.delta());
    n.put("gamma", u.gamma());
    n.put("vega", u.vega());
    n.put("theta", u.theta());
    ArrayNode parts = n.putArray("contributions");
    for (Explanation.ContributionPart c : u.contributions()) {
      parts.addObject().put("source", c.source()).put("kind", c.kind().name()).put("quantity", c.quantity())
          .put("contribution", c.contribution()).put("incremental_mm", c.incrementalMm());
    }
  }
}
