package io.riskgrid.margin;

import static io.riskgrid.margin.Fixtures.AS_OF;
import static io.riskgrid.margin.Fixtures.EXPIRY_30D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #18's property: an extreme value (±1e308, 1e-308, a subnormal, ±0) in any one input column never
 * gives a non-finite figure and never stops the batch. Either the input is refused where it enters (an
 * {@link InvalidInputException} naming it, which the importers turn into a reject row), or the accounts
 * touching it are REJECTED or DATA_ERROR with a reason, or every figure is finite. The accounts that do
 * not touch the spoiled input keep exactly the margin of the clean run.
 */
class ExtremeValuesTest {
  private static final MarginPolicy POLICY = PolicyLoader.preset("seed-default");
  private static final double[] EXTREMES = {1e308, -1e308, 1e-308, Double.MIN_VALUE, 0.0, -0.0, 1e300};
  private static final String[] COLUMNS = {"multiplier", "strike", "quantity", "entry_price", "collateral", "index",
      "rate", "basis", "vol"};

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String column : COLUMNS) {
      for (double v : EXTREMES) {
        all.add(Arguments.of(column, v));
      }
    }
    return all.stream();
  }

  /** The clean inputs with {@code value} in {@code column} (BTC side only; ETH is the untouched control). */
  private record Inputs(MarketSnapshot market, List<Instrument> instruments, List<Account> accounts) {}

  private static Inputs inputs(String column, double value) {
    double mult = column.equals("multiplier") ? value : 1.0;
    double strike = column.equals("strike") ? value : 62_000;
    double q = column.equals("quantity") ? value : 3;
    double entry = column.equals("entry_price") ? value : 59_000;
    double coll = column.equals("collateral") ? value : 2.0;
    double index = column.equals("index") ? value : 60_000;
    double rate = column.equals("rate") ? value : 0.01;
    double basis = column.equals("basis") ? value : 0.0;
    double vol = column.equals("vol") ? value : 0.5;
    double tau = TimeConventions.yearFraction(AS_OF, EXPIRY_30D);
    Map<String, UnderlyingMarket> m = new LinkedHashMap<>();
    m.put("BTC", new UnderlyingMarket("BTC", AS_OF, index, rate, basis, Map.of(),
        List.of(new SviSlice(EXPIRY_30D, vol * vol * tau, 0.0, 0.0, 0.0, 1.0))));
    m.put("ETH", Fixtures.flat("ETH", 3_000, 0.6));
    MarketSnapshot market = new MarketSnapshot(AS_OF, m, Map.of());
    List<Instrument> instruments = List.of(
        Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, mult),
        Instrument.option("BTC-CALL", "BTC", Settlement.LINEAR, OptionType.CALL, strike, EXPIRY_30D, 1.0),
        Instrument.perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE, 10.0),
        Instrument.perpetual("ETH-PERP-L", "ETH", Settlement.LINEAR, 1.0));
    List<Account> accounts = List.of(
        new Account("usd", null, "PORTFOLIO", "USD", List.of(new Position("BTC-PERP-L", q, entry),
            new Position("BTC-CALL", -2, 0)), List.of(new CollateralBalance("BTC", coll), new CollateralBalance("USDC", 50_000))),
        new Account("coin", null, "PORTFOLIO", "BTC", List.of(new Position("BTC-PERPETUAL", 1_000, 60_000)),
            List.of(new CollateralBalance("BTC", 1.5))),
        new Account("control", null, "PORTFOLIO", "USD", List.of(new Position("ETH-PERP-L", -4, 3_000)),
            List.of(new CollateralBalance("USDC", 9_000))));
    return new Inputs(market, instruments, accounts);
  }

  private static List<AccountMargin> margin(Inputs in, RiskKernel kernel) {
    MarginCalculator calc = new MarginCalculator(InstrumentBook.build(in.market(), in.instruments(), POLICY, kernel), kernel,
        true, true);
    return calc.marginAll(in.accounts());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("cases")
  void anExtremeInputIsRefusedOrNamedNeverAnInfiniteFigure(String column, double value) {
    List<AccountMargin> clean = margin(inputs("none", 0), ScalarKernel.INSTANCE);
    for (RiskKernel kernel : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
      Inputs spoiled;
      try {
        spoiled = inputs(column, value);
      } catch (InvalidInputException refusedWhereItEnters) {
        assertTrue(refusedWhereItEnters.getMessage().length() > 0);
        return;
      }
      List<AccountMargin> out;
      try {
        out = margin(spoiled, kernel);
      } catch (InvalidInputException refused) {
        assertTrue(refused.getMessage().contains("BTC") || refused.getMessage().contains("instrument"), refused.getMessage());
        continue;
      } catch (RuntimeException e) {
        fail(column + " = " + value + " stopped the batch on " + kernel.name() + ": " + e);
        return;
      }
      assertEquals(3, out.size());
      for (AccountMargin m : out) {
        if (m.isValid()) {
          assertEveryFigureFinite(m, column + " = " + value + ", " + kernel.name());
        } else {
          assertTrue(m.reason() != null && !m.reason().isBlank(), m.toString());
          assertEquals(null, m.im(), "an invalid account has no figures");
        }
      }
      AccountMargin control = out.get(2);
      assertEquals(clean.get(2).mm(), control.mm(), 1e-9, "the ETH account does not touch the spoiled input");
    }
  }

  private static void assertEveryFigureFinite(AccountMargin m, String what) {
    for (Double d : new Double[] {m.equity(), m.im(), m.mm(), m.pmIm(), m.pmMm(), m.standardIm(), m.standardMm()}) {
      assertTrue(d != null && Double.isFinite(d), what + ": " + m);
    }
    for (Double d : new Double[] {m.pmSaving(), m.liqMoveDown(), m.liqMoveUp()}) {
      assertTrue(d == null || Double.isFinite(d), what + ": " + m);
    }
    for (UnderlyingMargin u : m.byUnderlying()) {
      for (double d : new double[] {u.scanLoss(), u.optionContingency(), u.futuresContingency(), u.shortOptionMinimum(),
          u.mm(), u.delta(), u.gamma(), u.vega(), u.theta()}) {
        assertTrue(Double.isFinite(d), what + ": " + u);
      }
      for (double r : u.riskArray()) {
        assertTrue(Double.isFinite(r), what + ": risk array of " + u.underlying());
      }
      for (Contribution c : u.contributions()) {
        assertTrue(Double.isFinite(c.amount()), what + ": contribution " + c);
      }
    }
  }
}
