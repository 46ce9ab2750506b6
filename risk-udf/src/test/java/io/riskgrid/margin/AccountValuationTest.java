package io.riskgrid.margin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MarginCalculator#valueAll}, what a stress run reads instead of margins, against
 * {@link MarginCalculator#marginAll} on the same accounts: each account's valuation is the one its
 * margin implies (equity to the bit, or the same REJECTED/DATA_ERROR status and reason). On random
 * accounts, and on positions swept through the magnitudes where figures overflow, so that some accounts
 * are DATA_ERROR, some valid, and some valid only after their bounds overflowed and the calculator
 * margined them in full to decide.
 */
class AccountValuationTest {
  /** A calculator on {@code book}: both sides of a comparison share one ({@link RiskArraysCarriedTest#book}). */
  private static MarginCalculator calculator(InstrumentBook book, RiskKernel kernel, boolean riskArrays) {
    return new MarginCalculator(book, kernel, false, false, riskArrays);
  }

  @ParameterizedTest
  @ValueSource(strings = {"es-hist-1d", "deribit-like"})
  void aValuationIsWhatTheAccountsMarginSays(String preset) {
    MarginPolicy policy = PolicyLoader.preset(preset);
    List<Account> accounts = new ArrayList<>(RiskArraysCarriedTest.accounts(20261207L, 64));
    accounts.add(Fixtures.usd("rejected", List.of(new Position("NO-SUCH", 1, 1)), List.of()));
    for (RiskKernel kernel : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
      InstrumentBook book = RiskArraysCarriedTest.book(policy, kernel);
      List<AccountMargin> margins = calculator(book, kernel, false).marginAll(accounts);
      MarginCalculator valuer = calculator(book, kernel, false);
      for (int round = 0; round < 2; round++) {
        List<AccountValuation> values = valuer.valueAll(accounts);
        int valid = 0;
        for (int k = 0; k < accounts.size(); k++) {
          assertEquals(AccountValuation.of(margins.get(k)), values.get(k), preset + " " + kernel.name() + " " + k);
          valid += values.get(k).isValid() ? 1 : 0;
        }
        assertEquals(accounts.size() - 1, valid, "every random account valid, the unknown instrument REJECTED");
        assertEquals(AccountStatus.REJECTED, values.get(accounts.size() - 1).error());
      }
    }
  }

  /**
   * Quantities from 1e290 to 1e308 of a perpetual, a put and a call, long and short: where the
   * margin's figures are all finite the valuation is valid with its equity, where one is not it is
   * DATA_ERROR with the margin's reason. The sweep must reach each of the three outcomes.
   */
  @ParameterizedTest
  @ValueSource(strings = {"es-hist-1d", "deribit-like"})
  void atTheEdgeOfOverflowTheValuationStillAgreesWithTheMargin(String preset) {
    MarginPolicy policy = PolicyLoader.preset(preset);
    int valid = 0;
    int dataError = 0;
    int decidedInFull = 0;
    for (RiskKernel kernel : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
      InstrumentBook book = RiskArraysCarriedTest.book(policy, kernel);
      MarginCalculator withArrays = calculator(book, kernel, true);
      MarginCalculator valuer = calculator(book, kernel, false);
      int tail = policy.expectedShortfall() == null ? 1
          : policy.expectedShortfall().tailSize(withArrays.book().valued().grid(0).size());
      for (String instrument : List.of("BTC-PERP-L", "BTC-PUT-40K", "BTC-CALL")) {
        for (int exponent = 290; exponent <= 308; exponent++) {
          for (double mantissa : new double[] {1, -1, 3, -3}) {
            double q = mantissa * Math.pow(10, exponent);
            if (!Double.isFinite(q)) {
              continue; // 3e308: REJECTED where it enters, never valued
            }
            Account a = Fixtures.usd("q" + q, List.of(new Position(instrument, q, 60_000)),
                List.of(new CollateralBalance("USDC", 1e6)));
            AccountMargin m = withArrays.margin(a);
            AccountValuation v = valuer.valueAll(List.of(a)).get(0);
            String what = preset + " " + kernel.name() + " " + instrument + " q = " + q;
            assertEquals(AccountValuation.of(m), v, what);
            if (m.isValid()) {
              valid++;
              double largest = 0;
              for (UnderlyingMargin u : m.byUnderlying()) {
                for (double r : u.riskArray()) {
                  largest = Math.max(largest, Math.abs(r));
                }
              }
              decidedInFull += Double.isFinite(largest * 2 * tail) ? 0 : 1;
            } else {
              assertEquals(AccountStatus.DATA_ERROR, v.error(), what);
              dataError++;
            }
          }
        }
      }
    }
    assertTrue(valid > 0 && dataError > 0, "valid " + valid + ", DATA_ERROR " + dataError);
    assertTrue(decidedInFull > 0, "some valid account's bound overflowed, so it was margined in full to decide");
  }

  @Test
  void aCalculatorWithContributionsOrLiquidationDistancesRefusesToValue() {
    MarginPolicy policy = PolicyLoader.preset("deribit-like");
    InstrumentBook book = InstrumentBook.build(RiskArraysCarriedTest.market(), RiskArraysCarriedTest.INSTRUMENTS, policy,
        ScalarKernel.INSTANCE);
    List<Account> accounts = RiskArraysCarriedTest.accounts(1, 2);
    assertThrows(IllegalStateException.class,
        () -> new MarginCalculator(book, ScalarKernel.INSTANCE, true).valueAll(accounts));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new MarginCalculator(book, ScalarKernel.INSTANCE, false, true).valueAll(accounts));
    assertTrue(e.getMessage().contains("liquidation"), e.getMessage());
  }

  @Test
  void aValuationHasAnEquityOrAnErrorNeverBothNorNeither() {
    assertThrows(IllegalArgumentException.class, () -> new AccountValuation("a", "USD", null, null, null));
    assertThrows(IllegalArgumentException.class,
        () -> new AccountValuation("a", "USD", 1.0, AccountStatus.DATA_ERROR, "why"));
    assertThrows(IllegalArgumentException.class,
        () -> new AccountValuation("a", "USD", null, AccountStatus.MARGIN_CALL, "why"));
    assertTrue(new AccountValuation("a", "USD", 0.0, null, null).isValid());
  }
}
