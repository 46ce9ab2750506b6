package io.riskgrid.jobs.input;

import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  public static byte[] encode(Account a) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 48 * a.positions().size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      text(out, a.accountId());
      text(out, a.parentId());
      text(out, a.marginMode());
      text(out, a.marginCurrency());
      text(out, a.inputReject());
      out.writeInt(a.positions().size());
      for (Position p : a.positions()) {
        text(out, p.instrumentId());
        out.writeLong(Double.doubleToRawLongBits(p.quantity()));
        out.writeLong(Double.doubleToRawLongBits(p.entryPrice()));
      }
      out.writeInt(a.collateral().size());
      for (CollateralBalance c : a.collateral()) {
        text(out, c.asset());
        out.writeLong(Double.doubleToRawLongBits(c.quantity()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static Account decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      String accountId = text(in);
      String parentId = text(in);
      String mode = text(in);
      String currency = text(in);
      String inputReject = text(in);
      int n = in.readInt();
      List<Position> positions = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        positions.add(new Position(text(in), Double.longBitsToDouble(in.readLong()), Double.longBitsToDouble(in.readLong())));
      }
      int m = in.readInt();
      List<CollateralBalance> collateral = new ArrayList<>(m);
      for (int k = 0; k < m; k++) {
        collateral.add(new CollateralBalance(text(in), Double.longBitsToDouble(in.readLong())));
      }
      return new Account(accountId, parentId, mode, currency, positions, collateral, inputReject);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void text(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(NULL);
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String text(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length == NULL) {
      return null;
    }
    byte[] utf8 = new byte[length];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
