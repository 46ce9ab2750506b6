package io.riskgrid.jobs.serve;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without holding a thread while the client is slow: whatever has arrived is
 * copied, then it asks Jetty to call it again when more arrives ({@code demand}). Stops as soon as the
 * body passes {@code limit} bytes. Jetty runs a plain {@link Runnable} demand callback on a worker
 * thread, so {@link Listener#body} may do the request's work directly.
 */
final class BodyReader implements Runnable {

  /** What happens to the body; exactly one method is called, once. */
  interface Listener {
    void body(byte[] bytes, int length);

    void tooLarge(long limit);

    void failed(Throwable cause);
  }

  private final Request request;
  private final long limit;
  private final Listener listener;
  private byte[] buffer;
  private int length;

  BodyReader(Request request, long limit, Listener listener) {
    this.request = request;
    this.limit = limit;
    this.listener = listener;
    long declared = request.getLength();
    this.buffer = new byte[(int) Math.min(declared > 0 ? declared : 4096, limit)];
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        listener.failed(chunk.getFailure());
        return;
      }
      ByteBuffer bytes = chunk.getByteBuffer();
      int n = bytes.remaining();
      if (length + (long) n > limit) {
        chunk.release();
        listener.tooLarge(limit);
        return;
      }
      if (length + n > buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(2L * buffer.length, length + n)));
      }
      bytes.get(buffer, length, n);
      length += n;
      boolean last = chunk.isLast();
      chunk.release();
      if (last) {
        listener.body(buffer, length);
        return;
      }
    }
  }
}
