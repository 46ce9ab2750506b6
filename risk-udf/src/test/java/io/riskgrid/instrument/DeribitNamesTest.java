package io.riskgrid.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Deribit names → instruments (DESIGN §3.2, §7.1), every form by hand, then every name of the shipped chains. */
class DeribitNamesTest {
  private static final Instant MAR27 = Instant.parse("2026-03-27T08:00:00Z");

  @Test
  void anInverseOptionIsOneCoinPerContractExpiringAtEightUtc() {
    assertEquals(Instrument.option("BTC-27MAR26-60000-C", "BTC", Settlement.INVERSE, OptionType.CALL, 60000, MAR27, 1),
        DeribitNames.parse("BTC-27MAR26-60000-C"));
    assertEquals(Instrument.option("ETH-6FEB26-1900-P", "ETH", Settlement.INVERSE, OptionType.PUT, 1900,
        Instant.parse("2026-02-06T08:00:00Z"), 1), DeribitNames.parse("ETH-6FEB26-1900-P"));
  }

  @Test
  void inverseFuturesAndPerpetualsHaveDeribitsUsdFaceValue() {
    assertEquals(Instrument.perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE, 10), DeribitNames.parse("BTC-PERPETUAL"));
    assertEquals(Instrument.perpetual("ETH-PERPETUAL", "ETH", Settlement.INVERSE, 1), DeribitNames.parse("ETH-PERPETUAL"));
    assertEquals(Instrument.future("BTC-27MAR26", "BTC", Settlement.INVERSE, MAR27, 10), DeribitNames.parse("BTC-27MAR26"));
  }

  @Test
  void usdcNamesAreLinearOneCoinPerContract() {
    assertEquals(Instrument.perpetual("BTC_USDC-PERPETUAL", "BTC", Settlement.LINEAR, 1),
        DeribitNames.parse("BTC_USDC-PERPETUAL"));
    assertEquals(Instrument.option("ETH_USDC-27MAR26-3000-P", "ETH", Settlement.LINEAR, OptionType.PUT, 3000, MAR27, 1),
        DeribitNames.parse("ETH_USDC-27MAR26-3000-P"));
    assertEquals(Instrument.future("SOL_USDC-27MAR26", "SOL", Settlement.LINEAR, MAR27, 1),
        DeribitNames.parse("SOL_USDC-27MAR26"));
    assertEquals(0.625, DeribitNames.parse("XRP_USDC-27MAR26-0d625-C").strike());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|is missing",
      "BTC|not of a known form",
      "BTC-27MAR26-60000|not of a known form",
      "BTC-27MAR26-60000-C-X|not of a known form",
      "btc-PERPETUAL|not of a known form",
      "BTC_USDT-PERPETUAL|not of a known form",
      "BTC-PERP|neither PERPETUAL nor a date",
      "BTC-27XYZ26|unknown month 'XYZ'",
      "BTC-31FEB26|not a calendar date",
      "BTC-27MAR26-60k-C|strike '60k' is not a number",
      "BTC-27MAR26-0-C|strike must be > 0",
      "BTC-27MAR26-60000-X|option type 'X' must be C or P",
      "SOL-PERPETUAL|no known USD face value per contract for inverse futures on SOL"})
  void aMalformedNameIsAClearError(String name, String why) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> DeribitNames.parse(name));
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertTrue(name.isEmpty() || e.getMessage().contains("'" + name + "'"), "names the instrument: " + e.getMessage());
  }

  /** Every option of the shipped chains: the name alone gives the chain's own expiry, strike and type. */
  @Test
  void everyShippedChainNameParsesToItsOwnColumns() throws IOException {
    int checked = 0;
    for (String file : List.of("deribit_BTC_20260105.csv", "deribit_ETH_20260105.csv", "deribit_BTC_20260205.csv",
        "deribit_ETH_20260205.csv")) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(
          getClass().getResourceAsStream("/io/riskgrid/data/chains/" + file), StandardCharsets.UTF_8))) {
        in.readLine();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          String[] f = line.split(",");
          Instrument i = DeribitNames.parse(f[0]);
          assertEquals(f[1], i.underlying(), line);
          assertEquals(Instant.parse(f[2]), i.expiry(), line);
          assertEquals(Double.parseDouble(f[3]), i.strike(), line);
          assertEquals(OptionType.parse("type", f[4]), i.optionType(), line);
          assertEquals(Settlement.INVERSE, i.settlement(), line);
          checked++;
        }
      }
    }
    assertTrue(checked > 3000, "checked " + checked);
  }
}
