package io.riskgrid.valuation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Hand-worked contract values: each expected figure is worked out in the comment beside it. */
class ContractValueTest {
  private static final Instant EXPIRY = Instant.parse("2026-03-27T08:00:00Z");
  private static final Instrument LINEAR_CALL =
      Instrument.option("C", "BTC", Settlement.LINEAR, OptionType.CALL, 100_000, EXPIRY, 0.1);
  private static final Instrument INVERSE_PUT =
      Instrument.option("P", "BTC", Settlement.INVERSE, OptionType.PUT, 80_000, EXPIRY, 1);
  private static final Instrument INVERSE_FUTURE = Instrument.future("F", "BTC", Settlement.INVERSE, EXPIRY, 10);
  private static final Instrument LINEAR_PERP = Instrument.perpetual("L", "ETH", Settlement.LINEAR, 0.5);

  @Test
  void optionMarkIsMTimesVInUsdAndVOverFInCoin() {
    // 0.1 BTC of a call worth 2,500 USD per coin: 250 USD.
    assertEquals(250.0, ContractValue.optionMark(LINEAR_CALL, 2_500, 95_000), 1e-12);
    // One inverse put worth 1,900 USD per coin at F = 95,000: 0.02 BTC.
    assertEquals(0.02, ContractValue.optionMark(INVERSE_PUT, 1_900, 95_000), 1e-15);
    assertEquals(1.0, ContractValue.toSettlement(LINEAR_CALL, 95_000));
    assertEquals(1.0 / 95_000, ContractValue.toSettlement(INVERSE_FUTURE, 95_000));
  }

  @Test
  void deltaOneValueIsUnrealisedPnlAgainstEntry() {
    // 3 inverse contracts of N = 10 USD from 40,000 to 50,000: 30·(1/40,000 − 1/50,000) = 0.00015 BTC.
    assertEquals(0.00015, ContractValue.deltaOneValue(INVERSE_FUTURE, 3, 40_000, 50_000), 1e-18);
    // Short 4 ETH perps of 0.5 ETH from 3,000 to 3,300: −4·0.5·300 = −600 USD.
    assertEquals(-600.0, ContractValue.deltaOneValue(LINEAR_PERP, -4, 3_000, 3_300), 1e-12);
    // At the entry price nothing is owed either way.
    assertEquals(0.0, ContractValue.deltaOneValue(INVERSE_FUTURE, 7, 61_000, 61_000));
  }

  @Test
  void optionPnlIsTheChangeInMark() {
    // Linear: 0.1·(3,100 − 2,500) = 60 USD.
    assertEquals(60.0, ContractValue.optionPnl(LINEAR_CALL, 2_500, 95_000, 3_100, 99_000), 1e-12);
    // Inverse: 1·(4,000/80,000 − 1,900/95,000) = 0.05 − 0.02 = 0.03 BTC.
    assertEquals(0.03, ContractValue.optionPnl(INVERSE_PUT, 1_900, 95_000, 4_000, 80_000), 1e-15);
  }

  @Test
  void settledOptionPaysIntrinsicOnTheSettlementIndex() {
    // Call K = 100,000 settled at 112,000: 0.1·12,000 = 1,200 USD; out of the money pays nothing.
    assertEquals(1_200.0, ContractValue.settledOption(LINEAR_CALL, 112_000), 1e-9);
    assertEquals(0.0, ContractValue.settledOption(LINEAR_CALL, 99_000));
    // Inverse put K = 80,000 settled at 64,000: 16,000/64,000 = 0.25 BTC.
    assertEquals(0.25, ContractValue.settledOption(INVERSE_PUT, 64_000), 1e-15);
  }
}
