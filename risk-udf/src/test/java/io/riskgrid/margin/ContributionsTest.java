package io.riskgrid.margin;

import static io.riskgrid.margin.Fixtures.AS_OF;
import static io.riskgrid.margin.Fixtures.EXPIRY_30D;
import static io.riskgrid.margin.Fixtures.EXPIRY_90D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Contributions (DESIGN §7.3) sum to each underlying's MM for every account of random books, every
 * preset and both CPU kernels, within the agreement tolerance of §3.4; hedges contribute with opposite
 * signs; the SOM attribution is checked by hand.
 */
class ContributionsTest {
  private static final double BTC = 94_000;
  private static final double ETH = 3_200;
  private static final Instant EXPIRY_7D = AS_OF.plusSeconds(7 * 86_400);

  private static MarketSnapshot market() {
    return Fixtures.snapshot(Fixtures.flat("BTC", BTC, 0.55), Fixtures.flat("ETH", ETH, 0.7));
  }

  private static List<Instrument> instruments(SplittableRandom rnd) {
    List<Instrument> out = new ArrayList<>();
    Instant[] expiries = {EXPIRY_7D, EXPIRY_30D, EXPIRY_90D};
    for (String u : new String[] {"BTC", "ETH"}) {
      double s = u.equals("BTC") ? BTC : ETH;
      out.add(Instrument.perpetual(u + "-PERP", u, Settlement.INVERSE, 10));
      out.add(Instrument.perpetual(u + "_USDC-PERP", u, Settlement.LINEAR, 0.01));
      for (Instant e : expiries) {
        out.add(Instrument.future(u + "-F" + e.getEpochSecond(), u, Settlement.INVERSE, e, 10));
        out.add(Instrument.future(u + "_USDC-F" + e.getEpochSecond(), u, Settlement.LINEAR, e, 0.1));
        for (int k = 0; k < 4; k++) {
          double strike = Math.round(s * Math.exp(rnd.nextDouble(-0.4, 0.4)));
          for (OptionType t : OptionType.values()) {
            out.add(Instrument.option(u + "-O" + e.getEpochSecond() + "-" + strike + t, u, Settlement.INVERSE, t, strike,
                e, 1));
            out.add(Instrument.option(u + "_USDC-O" + e.getEpochSecond() + "-" + strike + t, u, Settlement.LINEAR, t,
                strike, e, 0.1));
          }
        }
      }
    }
    return out;
  }

  /** A USD account of linear instruments and coin collateral, or a coin account of its own inverse instruments. */
  private static Account account(SplittableRandom rnd, int id, List<Instrument> instruments) {
    boolean coin = rnd.nextInt(3) == 0;
    String currency = coin ? (rnd.nextBoolean() ? "BTC" : "ETH") : "USD";
    List<Position> positions = new ArrayList<>();
    int n = 1 + rnd.nextInt(12);
    for (int k = 0; k < n; k++) {
      Instrument ins = instruments.get(rnd.nextInt(instruments.size()));
      boolean fits = coin ? ins.isInverse() && ins.underlying().equals(currency) : !ins.isInverse();
      if (!fits) {
        continue;
      }
      double q = Math.round(rnd.nextDouble(-20, 20) * 10) / 10.0;
      double price = ins.underlying().equals("BTC") ? BTC : ETH;
      positions.add(new Position(ins.id(), q == 0 ? 1 : q, ins.isOption() ? Double.NaN : price * rnd.nextDouble(0.9, 1.1)));
    }
    List<CollateralBalance> collateral = new ArrayList<>();
    if (coin) {
      collateral.add(new CollateralBalance(currency, rnd.nextDouble(0, 50)));
    } else {
      collateral.add(new CollateralBalance("USDC", rnd.nextDouble(0, 500_000)));
      if (rnd.nextBoolean()) {
        collateral.add(new CollateralBalance(rnd.nextBoolean() ? "BTC" : "ETH", rnd.nextDouble(-5, 30)));
      }
    }
    return new Account("a" + id, null, "PORTFOLIO", currency, positions, collateral);
  }

  @Test
  void contributionsSumToEachUnderlyingsMmOnRandomBooks() {
    SplittableRandom rnd = new SplittableRandom(7);
    List<Instrument> instruments = instruments(rnd);
    List<Account> accounts = new ArrayList<>();
    for (int k = 0; k < 400; k++) {
      accounts.add(account(rnd, k, instruments));
    }
    int checked = 0;
    for (String preset : PolicyLoader.PRESETS) {
      MarginPolicy policy = PolicyLoader.preset(preset);
      for (RiskKernel kernel : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
        MarginCalculator calc = new MarginCalculator(InstrumentBook.build(market(), instruments, policy, kernel), kernel, true);
        for (AccountMargin m : calc.marginAll(accounts)) {
          assertTrue(m.isValid(), m.accountId() + ": " + m.reason());
          for (UnderlyingMargin um : m.byUnderlying()) {
            double sum = um.contributions().stream().mapToDouble(Contribution::amount).sum();
            // Tighter than §3.4's agreement (no notional term): contributions are taken at the scenario that
            // attains L exactly, so only the rounding of the sum remains, on the scale of Σ|c|.
            double scale = um.contributions().stream().mapToDouble(c -> Math.abs(c.amount())).sum();
            double tolerance = 1e-9 * Math.max(Math.abs(um.mm()), scale) + 1e-12;
            assertEquals(um.mm(), sum, tolerance, preset + " " + kernel + " " + m.accountId() + " " + um.underlying()
                + " " + um.contributions());
            List<Contribution> top = Contribution.top(um.contributions(), 5);
            assertTrue(top.size() <= 6);
            assertEquals(sum, top.stream().mapToDouble(Contribution::amount).sum(), 1e-12 * (1 + Math.abs(sum)));
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 2_000, "checked " + checked);
  }

  @Test
  void aHedgePairContributesWithOppositeSigns() {
    Instrument perp = Instrument.perpetual("BTC_USDC-PERP", "BTC", Settlement.LINEAR, 1);
    MarginCalculator calc = new MarginCalculator(InstrumentBook.build(market(), List.of(perp),
        PolicyLoader.preset("deribit-like"), ScalarKernel.INSTANCE), ScalarKernel.INSTANCE, true);
    // Short 2 BTC perpetual against 2 BTC collateral: the haircut leaves the book short, so the up move binds.
    AccountMargin m = calc.margin(Fixtures.usd("carry", List.of(new Position(perp.id(), -2, BTC)),
        List.of(new CollateralBalance("BTC", 2), new CollateralBalance("USDC", 100_000))));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    double perpPart = btc.contributions().stream().filter(c -> c.source().equals(perp.id())).findFirst().orElseThrow()
        .amount();
    double collateralPart = btc.contributions().stream().filter(c -> c.source().equals("BTC")).findFirst().orElseThrow()
        .amount();
    assertTrue(perpPart > 0 && collateralPart < 0, btc.contributions().toString());
    assertEquals(btc.mm(), perpPart + collateralPart, 1e-9 * btc.mm());
  }

  /**
   * An instrument held in two position rows is one source, the sum of what each row contributes, and the
   * sources stay one per instrument when the account's rows of another underlying come between them.
   */
  @Test
  void anInstrumentHeldTwiceIsOneSource() {
    Instrument perp = Instrument.perpetual("BTC_USDC-PERP", "BTC", Settlement.LINEAR, 1);
    Instrument ethPerp = Instrument.perpetual("ETH_USDC-PERP", "ETH", Settlement.LINEAR, 1);
    Instrument call = Instrument.option("BTC_USDC-C", "BTC", Settlement.LINEAR, OptionType.CALL, 100_000, EXPIRY_30D, 1);
    MarginCalculator calc = new MarginCalculator(InstrumentBook.build(market(), List.of(perp, ethPerp, call),
        PolicyLoader.preset("deribit-like"), ScalarKernel.INSTANCE), ScalarKernel.INSTANCE, true);
    List<CollateralBalance> cash = List.of(new CollateralBalance("USDC", 1e6));
    UnderlyingMargin split = Fixtures.only(calc.margin(Fixtures.usd("split", List.of(new Position(perp.id(), -1.5, BTC),
        new Position(call.id(), -2, Double.NaN), new Position(ethPerp.id(), 3, ETH), new Position(perp.id(), -0.5, BTC)),
        cash)), "BTC");
    UnderlyingMargin alone1 = Fixtures.only(calc.margin(Fixtures.usd("a", List.of(new Position(perp.id(), -1.5, BTC),
        new Position(call.id(), -2, Double.NaN), new Position(perp.id(), -0.5, BTC)), cash)), "BTC");
    assertEquals(2, split.contributions().size(), split.contributions().toString());
    assertEquals(alone1.contributions(), split.contributions(), "the ETH row between them changes nothing");
    double perpPart = split.contributions().stream().filter(c -> c.source().equals(perp.id())).findFirst().orElseThrow()
        .amount();
    double callPart = split.contributions().stream().filter(c -> c.source().equals(call.id())).findFirst().orElseThrow()
        .amount();
    assertEquals(split.mm(), perpPart + callPart, 1e-9 * split.mm());
    UnderlyingMargin merged = Fixtures.only(calc.margin(Fixtures.usd("merged", List.of(new Position(perp.id(), -2, BTC),
        new Position(call.id(), -2, Double.NaN)), cash)), "BTC");
    assertEquals(merged.mm(), split.mm(), 1e-12 * merged.mm());
    assertEquals(merged.contributions().get(0).source(), split.contributions().get(0).source());
    for (int k = 0; k < 2; k++) {
      assertEquals(merged.contributions().get(k).amount(), split.contributions().get(k).amount(),
          1e-12 * merged.mm(), "two rows of -1.5 and -0.5 contribute as one of -2");
    }
  }

  /** seed-default with a short option minimum rate (every preset has 0). */
  private static MarginPolicy withSomRate(double rate) {
    try (InputStream in = PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json")) {
      ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(in);
      doc.put("name", "seed-default-som");
      ((ObjectNode) doc.get("margin")).put("som_rate", rate);
      return PolicyLoader.fromJson(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theShortOptionMinimumGoesToTheShortOptionsOfItsSide() {
    // Far out-of-the-money short calls: no scenario loses much, so SOM = rate·S·Σ|q|·m binds.
    Instrument c1 = Instrument.option("C1", "BTC", Settlement.LINEAR, OptionType.CALL, 400_000, EXPIRY_7D, 1);
    Instrument c2 = Instrument.option("C2", "BTC", Settlement.LINEAR, OptionType.CALL, 500_000, EXPIRY_7D, 1);
    Instrument p1 = Instrument.option("P1", "BTC", Settlement.LINEAR, OptionType.PUT, 10_000, EXPIRY_7D, 1);
    MarginPolicy policy = withSomRate(0.1);
    MarginCalculator calc = new MarginCalculator(InstrumentBook.build(market(), List.of(c1, c2, p1), policy,
        ScalarKernel.INSTANCE), ScalarKernel.INSTANCE, true);
    AccountMargin m = calc.margin(Fixtures.usd("som", List.of(new Position("C1", -3, Double.NaN),
        new Position("C2", -1, Double.NaN), new Position("P1", -1, Double.NaN)), List.of(new CollateralBalance("USDC", 1e6))));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    double som = policy.margin().shortOptionMinimumRate() * BTC * 4; // calls: 3 + 1 contracts of 1 BTC
    assertEquals(som, btc.shortOptionMinimum(), 1e-9 * som);
    assertTrue(som > btc.scanLoss() + btc.optionContingency() + btc.futuresContingency(), "SOM binds: " + btc);
    assertEquals(List.of(new Contribution("C1", som * 3 / 4), new Contribution("C2", som / 4),
        new Contribution("P1", 0.0)), btc.contributions());
  }
}
