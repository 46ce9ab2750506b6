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
import io.riskgrid.margin.Position;
import io.riskgrid.margin.UnderlyingMargin;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

  /** Customers 0..n-1 and the providers that close them, as GenerateJob builds an exchange of {@code total} accounts. */
  private static List<Account> closedExchange(MarginCalculator calc, long total) {
    AccountGenerator gen = new AccountGenerator(42, calc.book(), calc);
    long customers = total - ClosingSide.providerCount(calc.book().valued(), total);
    List<Account> all = new ArrayList<>();
    ClosingSide closing = new ClosingSide();
    for (long i = 0; i < customers; i++) {
      Account a = gen.generate(i);
      all.add(a);
      closing.add(a);
    }
    all.addAll(closing.providers(gen, calc.book().valued(), customers, total, 42));
    return all;
  }

  @Test
  void theExchangeIsClosedSeveralUnderlyingsAndAboutTwentyPositionsPerAccount() {
    ExchangeUniverse u = ExchangeUniverse.of(AS_OF);
    MarginCalculator calc = calculator(u);
    int total = 4_000;
    List<Account> all = closedExchange(calc, total);
    assertEquals(total, all.size());
    Map<String, Double> openQuantity = new HashMap<>();
    Map<String, Double> grossQuantity = new HashMap<>();
    int multi = 0;
    int maxLegs = 0;
    long legs = 0;
    for (Account a : all) {
      Set<String> instruments = new HashSet<>();
      Set<String> underlyings = new HashSet<>();
      for (Position p : a.positions()) {
        assertTrue(instruments.add(p.instrumentId()), a.accountId() + " holds " + p.instrumentId() + " in two rows");
        assertTrue(p.quantity() != 0, a.accountId() + " has a flat row");
        underlyings.add(calc.book().valued().instruments().get(calc.book().valued().indexOf(p.instrumentId())).underlying());
        openQuantity.merge(p.instrumentId(), p.quantity(), Double::sum);
        grossQuantity.merge(p.instrumentId(), Math.abs(p.quantity()), Double::sum);
      }
      assertEquals(a.collateral().size(), a.collateral().stream().map(c -> c.asset()).distinct().count(),
          a.accountId() + " has two balances of one asset");
      multi += underlyings.size() >= 2 ? 1 : 0;
      maxLegs = Math.max(maxLegs, a.positions().size());
      legs += a.positions().size();
    }
    // Zero open interest per instrument: the sum of doubles of whole tenths, so only rounding noise remains.
    openQuantity.forEach((id, q) -> assertEquals(0.0, q, 1e-12 * grossQuantity.get(id), id + " does not net to 0"));
    double average = legs / (double) total;
    double multiShare = multi / (double) total;
    System.out.printf("closed exchange of %,d accounts: %.2f positions per account (largest %,d), %.1f%% hold two or more"
        + " underlyings%n", total, average, maxLegs, 100 * multiShare);
    assertTrue(average > 15 && average < 28, "average positions " + average);
    assertTrue(maxLegs > 20 * average, "heavy tail: largest account " + maxLegs + " positions");
    assertTrue(multiShare > 0.24 && multiShare < 0.36, "share holding two or more underlyings " + multiShare);
    for (Account p : all.subList(all.size() - ClosingSide.providerCount(calc.book().valued(), total), all.size())) {
      assertEquals(AccountStatus.OK, calc.margin(p).status(), p.accountId() + " (a liquidity provider)");
    }
  }

  @Test
  void everyJointScenarioMovesNoMoneyOutOfTheExchangeBeforeCollateral() {
    ExchangeUniverse u = ExchangeUniverse.of(AS_OF);
    MarginCalculator calc = calculator(u);
    var book = calc.book().valued();
    Map<String, double[]> pnlUsd = new TreeMap<>(); // underlying|scenario label -> {sum P&L, sum |P&L|}
    for (Account a : closedExchange(calc, 3_000)) {
      // Positions only (no collateral), in portfolio mode, so each risk array is the positions' P&L.
      AccountMargin m = calc.margin(new Account(a.accountId(), null, "PORTFOLIO", a.marginCurrency(), a.positions(), List.of()));
      assertTrue(m.isValid(), m.reason());
      double toUsd = a.marginCurrency().equals("USD") ? 1 : book.spot(book.underlyingIndexOf(a.marginCurrency()));
      for (UnderlyingMargin um : m.byUnderlying()) {
        for (int j = 0; j < um.riskArray().length; j++) {
          double[] acc = pnlUsd.computeIfAbsent(um.underlying() + "|" + um.scenarioLabels().get(j), k -> new double[2]);
          acc[0] += um.riskArray()[j] * toUsd;
          acc[1] += Math.abs(um.riskArray()[j] * toUsd);
        }
      }
    }
    assertTrue(pnlUsd.size() > 30, "scenarios seen " + pnlUsd.size());
    pnlUsd.forEach((scenario, acc) -> {
      assertTrue(acc[1] > 0, scenario + " moves nothing");
      assertEquals(0.0, acc[0], 1e-9 * acc[1], scenario + ": exchange P&L " + acc[0] + " USD of gross " + acc[1]);
    });
  }
}
