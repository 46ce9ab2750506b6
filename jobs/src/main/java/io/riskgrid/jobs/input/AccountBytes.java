package io.riskgrid.jobs.input;

import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Account} as a compact byte array, for a job that moves accounts between partitions (the
 * stress run groups a member's accounts). Java serialisation of the record graph costs a class
 * descriptor per stream reset and, worse, Spark's shuffle samples the size of every buffered object
 * graph ({@code SizeEstimator}); a byte array is sized in constant time. Every field round-trips exactly:
 * nulls, NaN payloads and signed zeros included, and every valid Unicode string (all that Parquet holds).
 */
public final class AccountBytes {
  private static final int NULL = -1;

  private AccountBytes() {}

  /**
   * The account's bytes: five texts (id, parent, mode, currency, input reject), the positions (count, then
   * instrument id, quantity bits, entry price bits each) and the collateral (count, then asset and quantity
   * bits each); a text is its UTF-8 length (−1 for null) and bytes. Written into one buffer of the exact
   * size, without the locks of a {@code DataOutputStream} over a {@code ByteArrayOutputStream}.
   */
  public static byte[] encode(Account a) {
    List<Position> positions = a.positions();
    List<CollateralBalance> collateral = a.collateral();
    byte[][] texts = new byte[5 + positions.size() + collateral.size()][];
    int t = 0;
    texts[t++] = utf8(a.accountId());
    texts[t++] = utf8(a.parentId());
    texts[t++] = utf8(a.marginMode());
    texts[t++] = utf8(a.marginCurrency());
    texts[t++] = utf8(a.inputReject());
    for (Position p : positions) {
      texts[t++] = utf8(p.instrumentId());
    }
    for (CollateralBalance c : collateral) {
      texts[t++] = utf8(c.asset());
    }
    int size = 2 * Integer.BYTES + (2 * positions.size() + collateral.size()) * Long.BYTES;
    for (byte[] text : texts) {
      size += Integer.BYTES + (text == null ? 0 : text.length);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    t = 0;
    for (; t < 5; t++) {
      put(out, texts[t]);
    }
    out.putInt(positions.size());
    for (Position p : positions) {
      put(out, texts[t++]);
      out.putLong(Double.doubleToRawLongBits(p.quantity()));
      out.putLong(Double.doubleToRawLongBits(p.entryPrice()));
    }
    out.putInt(collateral.size());
    for (CollateralBalance c : collateral) {
      put(out, texts[t++]);
      out.putLong(Double.doubleToRawLongBits(c.quantity()));
    }
    return out.array();
  }

  public static Account decode(byte[] encoded) {
    ByteBuffer in = ByteBuffer.wrap(encoded);
    String accountId = text(in);
    String parentId = text(in);
    String mode = text(in);
    String currency = text(in);
    String inputReject = text(in);
    int n = in.getInt();
    List<Position> positions = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      positions.add(new Position(text(in), Double.longBitsToDouble(in.getLong()), Double.longBitsToDouble(in.getLong())));
    }
    int m = in.getInt();
    List<CollateralBalance> collateral = new ArrayList<>(m);
    for (int k = 0; k < m; k++) {
      collateral.add(new CollateralBalance(text(in), Double.longBitsToDouble(in.getLong())));
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("account " + accountId + ": " + in.remaining() + " bytes after its collateral");
    }
    return new Account(accountId, parentId, mode, currency, positions, collateral, inputReject);
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static void put(ByteBuffer out, byte[] utf8) {
    if (utf8 == null) {
      out.putInt(NULL);
      return;
    }
    out.putInt(utf8.length);
    out.put(utf8);
  }

  /** The next text, decoded from the buffer's array in place. */
  private static String text(ByteBuffer in) {
    int length = in.getInt();
    if (length == NULL) {
      return null;
    }
    String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return s;
  }
}
