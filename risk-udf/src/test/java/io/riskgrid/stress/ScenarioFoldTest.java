package io.riskgrid.stress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ScenarioFold} in vector lanes against the scalar loop it replaced, written out here: the same
 * totals to the bit and the same scenarios in deficit in the same order, over accounts of every kind
 * (USD and coin, healthy, in deficit in some scenarios or all, nets of exactly ±0) and scenario counts
 * that are and are not multiples of the vector length.
 */
class ScenarioFoldTest {
  private record Deficit(int j, double shortfallUsd, double netUsd) {}

  @Test
  void soloAccountsGiveTheScalarLoopsTotalsAndDeficitsToTheBit() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int n : new int[] {0, 1, 3, 4, 7, 64, 3_063}) {
      ScenarioFold.Totals vector = totals(n);
      ScenarioFold.Totals scalar = totals(n);
      List<Deficit> vectorDeficits = new ArrayList<>();
      List<Deficit> scalarDeficits = new ArrayList<>();
      int inDeficit = 0;
      for (int a = 0; a < 200; a++) {
        Account acc = account(rnd, n, a);
        ScenarioFold.addAccount(acc.pnl, n, acc.equity, acc.usd, acc.shocked, vector,
            (j, s, net) -> vectorDeficits.add(new Deficit(j, s, net)));
        scalarSolo(acc, n, scalar, scalarDeficits);
        inDeficit += scalarDeficits.isEmpty() ? 0 : 1;
      }
      assertSame(scalar, vector, n);
      assertEquals(scalarDeficits, vectorDeficits, "deficits, n = " + n);
      assertTrue(n == 0 || inDeficit > 0, "some accounts in deficit at n = " + n);
    }
  }

  @Test
  void withoutADeficitSinkTheTotalsAreTheSame() {
    SplittableRandom rnd = new SplittableRandom(12);
    int n = 101;
    ScenarioFold.Totals reported = totals(n);
    ScenarioFold.Totals unreported = totals(n);
    for (int a = 0; a < 100; a++) {
      Account acc = account(rnd, n, a);
      ScenarioFold.addAccount(acc.pnl, n, acc.equity, acc.usd, acc.shocked, reported, (j, s, net) -> { });
      ScenarioFold.addAccount(acc.pnl, n, acc.equity, acc.usd, acc.shocked, unreported, null);
    }
    assertSame(reported, unreported, n);
  }

  @Test
  void membersAccountsGiveTheScalarLoopsTotalsAndMemberSumsToTheBit() {
    SplittableRandom rnd = new SplittableRandom(13);
    for (int n : new int[] {1, 5, 8, 3_063}) {
      ScenarioFold.Totals vector = totals(n);
      ScenarioFold.Totals scalar = totals(n);
      double[] vectorShortfall = new double[n];
      double[] vectorNet = new double[n];
      double[] scalarShortfall = new double[n];
      double[] scalarNet = new double[n];
      for (int a = 0; a < 200; a++) {
        Account acc = account(rnd, n, a);
        ScenarioFold.addMemberAccount(acc.pnl, n, acc.equity, acc.usd, acc.shocked, vector, vectorShortfall, vectorNet);
        scalarMember(acc, n, scalar, scalarShortfall, scalarNet);
      }
      assertSame(scalar, vector, n);
      assertArrayEquals(bits(scalarShortfall), bits(vectorShortfall), "member shortfall, n = " + n);
      assertArrayEquals(bits(scalarNet), bits(vectorNet), "member net, n = " + n);
      assertTrue(java.util.Arrays.stream(scalarShortfall).anyMatch(s -> s > 0), "a member in deficit at n = " + n);
    }
  }

  /** One account: P&amp;L per scenario, equity, USD per unit, and shocked USD per unit (null: USD). */
  private record Account(double[] pnl, double equity, double usd, double[] shocked) {}

  /**
   * Kinds by {@code a}: USD or coin; healthy, in deficit in part of the scenarios, or in all; with
   * scenarios whose net is exactly +0 or −0 (P&amp;L = −equity).
   */
  private static Account account(SplittableRandom rnd, int n, int a) {
    boolean coin = a % 2 == 1;
    double equity = switch (a % 5) {
      case 0 -> 1e9;
      case 1 -> 0.0;
      case 2 -> -5.0;
      default -> rnd.nextDouble(0, 1_000);
    };
    double[] pnl = new double[n];
    for (int j = 0; j < n; j++) {
      pnl[j] = switch (rnd.nextInt(8)) {
        case 0 -> -equity;
        case 1 -> 0.0;
        case 2 -> -0.0;
        default -> rnd.nextDouble(-2_000, 2_000);
      };
    }
    double[] shocked = null;
    double usd = 1.0;
    if (coin) {
      usd = rnd.nextDouble(10, 100_000);
      shocked = new double[n];
      for (int j = 0; j < n; j++) {
        shocked[j] = usd * (1 + rnd.nextDouble(-0.6, 0.6));
      }
    }
    return new Account(pnl, equity, usd, shocked);
  }

  /** The scalar loop of a solo account, as the stress fold ran it before {@link ScenarioFold}. */
  private static void scalarSolo(Account acc, int n, ScenarioFold.Totals into, List<Deficit> deficits) {
    for (int j = 0; j < n; j++) {
      double net = StressEvaluator.netUsd(acc.equity, acc.pnl[j], acc.shocked, j);
      double shortfall = Math.max(0, -net);
      into.totalPnlUsd()[j] += acc.pnl[j] * acc.usd;
      if (shortfall > 0) {
        into.shortfallUsd()[j] += shortfall;
        into.accountsInDeficit()[j]++;
        deficits.add(new Deficit(j, shortfall, net));
      }
    }
  }

  /** The scalar loop of a member's account, as the stress fold ran it before {@link ScenarioFold}. */
  private static void scalarMember(Account acc, int n, ScenarioFold.Totals into, double[] memberShortfall,
      double[] memberNet) {
    for (int j = 0; j < n; j++) {
      double net = StressEvaluator.netUsd(acc.equity, acc.pnl[j], acc.shocked, j);
      double shortfall = Math.max(0, -net);
      into.totalPnlUsd()[j] += acc.pnl[j] * acc.usd;
      into.shortfallUsd()[j] += shortfall;
      into.accountsInDeficit()[j] += shortfall > 0 ? 1 : 0;
      memberShortfall[j] += shortfall;
      memberNet[j] += net;
    }
  }

  private static ScenarioFold.Totals totals(int n) {
    return new ScenarioFold.Totals(new double[n], new double[n], new long[n]);
  }

  /** Bit for bit, +0 told from −0 (assertArrayEquals with a delta of 0 would take them as equal). */
  private static void assertSame(ScenarioFold.Totals want, ScenarioFold.Totals got, int n) {
    assertArrayEquals(bits(want.totalPnlUsd()), bits(got.totalPnlUsd()), "total P&L, n = " + n);
    assertArrayEquals(bits(want.shortfallUsd()), bits(got.shortfallUsd()), "shortfall, n = " + n);
    assertArrayEquals(want.accountsInDeficit(), got.accountsInDeficit(), "accounts in deficit, n = " + n);
  }

  private static long[] bits(double[] values) {
    return java.util.Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }
}
