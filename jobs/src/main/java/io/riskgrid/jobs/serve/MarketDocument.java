package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;

/**
 * A {@link MarketSnapshot} as the market document {@code serve} reads ({@code --market FILE},
 * {@code PUT /v1/market}): {@code {"as_of": ..., "market": {"underlyings": [...], "option_marks": [...]}}},
 * the {@code as_of} and {@code market} of a what-if request. Used for a market read from the warehouse.
 */
public final class MarketDocument {
  private MarketDocument() {}

  public static ObjectNode of(MarketSnapshot snapshot) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("as_of", snapshot.asOf().toString());
    ObjectNode market = doc.putObject("market");
    ArrayNode underlyings = market.putArray("underlyings");
    for (UnderlyingMarket u : snapshot.underlyings().values()) {
      ObjectNode n = underlyings.addObject().put("underlying", u.underlying()).put("index_price", u.index())
          .put("rate", u.rate()).put("basis", u.basis());
      if (!u.listedForwards().isEmpty()) {
        ArrayNode forwards = n.putArray("forwards");
        u.listedForwards().forEach((expiry, f) -> forwards.addObject().put("expiry", expiry.toString()).put("forward", f));
      }
      ArrayNode slices = n.putArray("vol_slices");
      for (SviSlice s : u.slices()) {
        slices.addObject().put("expiry", s.expiry().toString()).put("a", s.a()).put("b", s.b()).put("rho", s.rho())
            .put("m", s.m()).put("sigma_svi", s.sigma());
      }
    }
    if (!snapshot.markIvs().isEmpty()) {
      ArrayNode marks = market.putArray("option_marks");
      snapshot.markIvs().forEach((id, iv) -> marks.addObject().put("instrument_id", id).put("mark_iv", iv));
    }
    return doc;
  }
}
