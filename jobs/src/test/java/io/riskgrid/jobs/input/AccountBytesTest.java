package io.riskgrid.jobs.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Accounts survive the byte form exactly: every field, null strings, NaN payloads, signed zeros, infinities, Unicode. */
class AccountBytesTest {
  private static final double[] ODD = {Double.NaN, Double.longBitsToDouble(0x7ff8_0000_dead_beefL), -0.0, 0.0,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE, 1e-308};
  private static final String[] TEXT = {null, "", "A00000001", "M00000002", "BTC-27MAR26-90000-C", "ÉTH/€", "账户-𝛼"};

  @Test
  void randomAccountsRoundTripBitForBit() {
    Random rnd = new Random(20261205);
    for (int n = 0; n < 2000; n++) {
      Account a = randomAccount(rnd);
      Account back = AccountBytes.decode(AccountBytes.encode(a));
      assertEquals(a, back, "account " + n);
      for (int k = 0; k < a.positions().size(); k++) {
        assertEquals(Double.doubleToRawLongBits(a.positions().get(k).quantity()),
            Double.doubleToRawLongBits(back.positions().get(k).quantity()), "quantity bits");
        assertEquals(Double.doubleToRawLongBits(a.positions().get(k).entryPrice()),
            Double.doubleToRawLongBits(back.positions().get(k).entryPrice()), "entry price bits");
      }
      for (int k = 0; k < a.collateral().size(); k++) {
        assertEquals(Double.doubleToRawLongBits(a.collateral().get(k).quantity()),
            Double.doubleToRawLongBits(back.collateral().get(k).quantity()), "collateral bits");
      }
    }
  }

  private static Account randomAccount(Random rnd) {
    List<Position> positions = new ArrayList<>();
    for (int k = rnd.nextInt(40); k > 0; k--) {
      positions.add(new Position(text(rnd), number(rnd), number(rnd)));
    }
    List<CollateralBalance> collateral = new ArrayList<>();
    for (int k = rnd.nextInt(4); k > 0; k--) {
      collateral.add(new CollateralBalance(text(rnd), number(rnd)));
    }
    return new Account(text(rnd), text(rnd), text(rnd), text(rnd), positions, collateral,
        rnd.nextInt(5) == 0 ? "line 7 of positions.csv: quantity 'x' is not a number".repeat(rnd.nextInt(3000)) : null);
  }

  private static String text(Random rnd) {
    return TEXT[rnd.nextInt(TEXT.length)];
  }

  private static double number(Random rnd) {
    return rnd.nextInt(4) == 0 ? ODD[rnd.nextInt(ODD.length)] : (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(20) - 6);
  }
}
