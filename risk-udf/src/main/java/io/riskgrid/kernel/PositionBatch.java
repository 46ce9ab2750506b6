package io.riskgrid.kernel;

import java.util.Arrays;

/**
 * A batch of accounts as CSR: account a's positions are entries {@code accountStart[a] ..
 * accountStart[a+1]} of {@code instrument} (row index in the {@link PnlMatrix}) and
 * {@code quantity} (signed contracts). The arrays grow as needed and are reused across batches, so
 * streaming millions of accounts allocates nothing per account.
 */
public final class PositionBatch {
  private int accounts;
  private int positions;
  private int[] accountStart;
  private int[] instrument;
  private double[] quantity;

  public PositionBatch(int accountCapacity, int positionCapacity) {
    this.accountStart = new int[Math.max(accountCapacity, 1) + 1];
    this.instrument = new int[Math.max(positionCapacity, 1)];
    this.quantity = new double[Math.max(positionCapacity, 1)];
  }

  /** Empties the batch, keeping its arrays. */
  public void clear() {
    accounts = 0;
    positions = 0;
  }

  /** Appends one position to the account being built. */
  public void addPosition(int instrumentIndex, double qty) {
    if (positions == instrument.length) {
      instrument = Arrays.copyOf(instrument, positions * 2);
      quantity = Arrays.copyOf(quantity, positions * 2);
    }
    instrument[positions] = instrumentIndex;
    quantity[positions] = qty;
    positions++;
  }

  /** Closes the account being built (possibly with no positions); the next position starts a new one. */
  public void endAccount() {
    if (accounts + 2 > accountStart.length) {
      accountStart = Arrays.copyOf(accountStart, accountStart.length * 2);
    }
    accounts++;
    accountStart[accounts] = positions;
  }

  public int accounts() { return accounts; }
  public int positions() { return positions; }
  /** Start offsets; entry a+1 is the end of account a. Entry 0 is always 0. */
  public int[] accountStart() { return accountStart; }
  public int[] instrument() { return instrument; }
  public double[] quantity() { return quantity; }
}
