package io.riskgrid.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountStatus;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.policy.PolicyLoader;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountGeneratorTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 1, 5);

  private static MarginCalculator calculator(ExchangeUniverse u) {
    InstrumentBook book = StageOne.book(u.market(), u.instruments(), PolicyLoader.preset("deribit-like"), SimdKernel.INSTANCE);
    return new MarginCalculator(book, SimdKernel.INSTANCE);
  }

  @Test
  void universeLooksLikeADeribitListing() {
    ExchangeUniverse u = ExchangeUniverse.of(AS_OF);
    int n = u.instruments().size();
    assertTrue(n > 1_500 && n < 4_000, "instrument count " + n);
    assertTrue(u.instruments().stream().anyMatch(i -> i.id().equals("BTC-PERPETUAL") && i.multiplier() == 10));
    assertTrue(u.instruments().stream().anyMatch(i -> i.id().equals("BTC-30JAN26")), "monthly inverse future");
    assertTrue(u.instruments().stream().noneMatch(i -> i.underlying().equals("SOL") && i.isInverse()));
    u.market().underlyings().values().forEach(m -> assertEquals(null, m.dataError(), m.underlying()));
  }

  @Test
  void accountsAreDeterministicValidAndMostlyOk() {
    ExchangeUniverse u = ExchangeUniverse.of(AS_OF);
    MarginCalculator calc = calculator(u);
    AccountGenerator gen = new AccountGenerator(42, calc.book(), calc);
    assertEquals(gen.generate(17), new AccountGenerator(42, calc.book(), calculator(u)).generate(17));
    Map<AccountStatus, Integer> counts = new EnumMap<>(AccountStatus.class);
    int legs = 0;
    int coin = 0;
    int n = 3_000;
    for (long i = 0; i < n; i++) {
      Account a = gen.generate(i);
      legs += a.positions().size();
      coin += a.marginCurrency().equals("USD") ? 0 : 1;
      AccountMargin m = calc.margin(a);
      counts.merge(m.status(), 1, Integer::sum);
    }
    assertEquals(0, counts.getOrDefault(AccountStatus.REJECTED, 0) + counts.getOrDefault(AccountStatus.DATA_ERROR, 0));
    assertTrue(counts.get(AccountStatus.OK) > 0.75 * n, counts.toString());
    assertTrue(counts.get(AccountStatus.MARGIN_CALL) > 0.03 * n, counts.toString());
    assertTrue(counts.get(AccountStatus.LIQUIDATION) > 0.01 * n, counts.toString());
    assertTrue(coin > 0.1 * n && coin < 0.5 * n, "coin accounts " + coin);
    double avg = legs / (double) n;
    assertTrue(avg > 5 && avg < 60, "average positions " + avg);
  }
}
