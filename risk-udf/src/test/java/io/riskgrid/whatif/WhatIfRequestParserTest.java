package io.riskgrid.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The parser hands out one market snapshot and one instrument per equal JSON document, and no more. */
class WhatIfRequestParserTest {
  private final WhatIfRequestParser parser = new WhatIfRequestParser();

  @Test
  void equalDocumentsShareTheParsedMarketAndInstruments() {
    WhatIfRequestParser.Parsed first = parser.parse(WhatIfFixtures.request());
    WhatIfRequestParser.Parsed second = parser.parse(WhatIfFixtures.request());
    assertSame(first.market(), second.market());
    assertEquals(4, second.instruments().size());
    first.instruments().forEach((id, ins) -> assertSame(ins, second.instruments().get(id), id));
  }

  @Test
  void aChangedMarketOrInstantGetsItsOwnSnapshot() {
    ObjectNode request = WhatIfFixtures.request();
    WhatIfRequestParser.Parsed first = parser.parse(request);
    WhatIfFixtures.underlying(request).put("basis", 0.002);
    WhatIfRequestParser.Parsed moved = parser.parse(request);
    assertNotSame(first.market(), moved.market());
    assertEquals(0.002, moved.market().underlying("BTC").basis());
    request.put("as_of", "2026-01-06T08:00:00Z");
    WhatIfRequestParser.Parsed later = parser.parse(request);
    assertNotSame(moved.market(), later.market());
    assertEquals(Instant.parse("2026-01-06T08:00:00Z"), later.asOf());
  }
}
