package io.riskgrid.jobs.imports;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * The lines of a text file from a byte offset on, as Hadoop's {@code LineRecordReader} (and so
 * {@code textFile}) splits them: a line ends at LF, at CR, or at CR LF, which is one end; the bytes after
 * the last end are a last line when there are any. Each line is given as bytes in a buffer, without its
 * end, with the byte offset where it starts, so that a reader can start again at any line it saw.
 */
final class LineCursor implements Closeable {
  private static final int CR = '\r';
  private static final int LF = '\n';

  private final InputStream in;
  private byte[] buffer = new byte[1 << 16];
  /** Offset in the file of {@code buffer[0]}. */
  private long bufferStart;
  /** Where the next line starts in the buffer, and the end of the bytes read. */
  private int next;
  private int limit;
  private boolean ended;
  private long lineStart;
  private int lineFrom;
  private int lineLength;

  /** A cursor over {@code in}, which is positioned at {@code offset}, a line's first byte. */
  private LineCursor(InputStream in, long offset) {
    this.in = in;
    this.bufferStart = offset;
  }

  /** The lines of {@code in} from {@code offset}, which must be the first byte of a line (or 0). */
  static LineCursor at(FSDataInputStream in, long offset) throws IOException {
    in.seek(offset);
    return new LineCursor(in, offset);
  }

  /**
   * The offset of the first line that starts at or after {@code offset}: {@code offset} itself when the
   * byte before it ends a line, else the byte after the next end (the file's length when there is none).
   */
  static long lineStartAtOrAfter(FSDataInputStream in, long offset) throws IOException {
    if (offset == 0) {
      return 0;
    }
    in.seek(offset - 1);
    int before = in.read();
    if (before == LF) {
      return offset;
    }
    long at = offset;
    int b = in.read();
    if (before == CR) {
      // A CR LF across the offset is one end: the line starts after the LF.
      return b == LF ? offset + 1 : offset;
    }
    while (b >= 0 && b != LF && b != CR) {
      at++;
      b = in.read();
    }
    if (b < 0) {
      return at;
    }
    at++;
    if (b == CR && in.read() == LF) {
      at++;
    }
    return at;
  }

  /** Moves to the next line; false at the end of the file. */
  boolean next() throws IOException {
    int scan = next;
    while (true) {
      while (scan < limit) {
        byte b = buffer[scan];
        if (b == LF || b == CR) {
          break;
        }
        scan++;
      }
      if (scan < limit && (buffer[scan] == LF || scan + 1 < limit || ended)) {
        break;
      }
      // The line's end (or, after a CR, the byte that says whether an LF follows) is not read yet.
      int shift = next;
      if (!fill()) {
        if (next == limit) {
          return false;
        }
        scan -= shift - next;
        break;
      }
      scan -= shift - next;
    }
    lineFrom = next;
    lineStart = bufferStart + next;
    if (scan >= limit) {
      lineLength = limit - next;
      next = limit;
      return true;
    }
    lineLength = scan - next;
    int end = scan + 1;
    if (buffer[scan] == CR && end < limit && buffer[end] == LF) {
      end++;
    }
    next = end;
    return true;
  }

  /**
   * Keeps the bytes from {@code next} at the front of the buffer (growing it when they fill it) and reads
   * more after them; false when the file has no more.
   */
  private boolean fill() throws IOException {
    if (ended) {
      return false;
    }
    int kept = limit - next;
    if (next > 0) {
      System.arraycopy(buffer, next, buffer, 0, kept);
      bufferStart += next;
      next = 0;
      limit = kept;
    }
    if (limit == buffer.length) {
      byte[] larger = new byte[buffer.length * 2];
      System.arraycopy(buffer, 0, larger, 0, limit);
      buffer = larger;
    }
    int read = in.read(buffer, limit, buffer.length - limit);
    if (read < 0) {
      ended = true;
      return false;
    }
    limit += read;
    return true;
  }

  /** The byte offset in the file where the current line starts. */
  long lineStart() {
    return lineStart;
  }

  /** The buffer holding the current line, valid until the next call of {@link #next}. */
  byte[] bytes() {
    return buffer;
  }

  /** Where the current line starts in {@link #bytes}. */
  int from() {
    return lineFrom;
  }

  /** The current line's length in bytes, without its end. */
  int length() {
    return lineLength;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
