package io.riskgrid.margin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import org.junit.jupiter.api.Test;

class MarginCurrencyTest {
  @Test
  void normalisesOnceAndDecidesCoinAccounts() {
    assertSame(MarginCurrency.USD, MarginCurrency.parse(" usd "));
    assertFalse(MarginCurrency.parse("USD").isCoin());
    MarginCurrency btc = MarginCurrency.parse(" btc");
    assertEquals("BTC", btc.code());
    assertTrue(btc.isCoin());
    assertEquals(btc, MarginCurrency.parse("BTC"));
  }

  @Test
  void aMissingCurrencyIsAnErrorNamingTheColumn() {
    for (String raw : new String[] {null, "", "  "}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> MarginCurrency.parse(raw));
      assertTrue(e.getMessage().contains("margin_currency"), e.getMessage());
    }
    assertThrows(InvalidInputException.class, () -> new MarginCurrency("btc"), "only normalised codes are values");
  }
}
