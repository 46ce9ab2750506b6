package io.riskgrid.jobs.serve;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The pre-trade service of DESIGN §7.8 on embedded Jetty 12 (core handlers, no servlets): one HTTP/1.1
 * connector on {@link ServeConfig#bind()} with an idle timeout, a bounded worker pool, and
 * {@link ServeHandler}. The served market lives in an {@link AtomicReference} to an immutable
 * {@link MarketState}; Spark is never on a request's path.
 */
public final class WhatIfServer implements AutoCloseable {
  /** Bytes a connection reads from its socket at a time (a pooled buffer, held only while reading). */
  static final int INPUT_BUFFER_BYTES = 64 * 1024;
  private final Server server;
  private final ServerConnector connector;
  private final AtomicReference<MarketState> market;

  WhatIfServer(ServeConfig config, MarketState initial, Clock clock) {
    this.market = new AtomicReference<>(initial);
    QueuedThreadPool threads = new QueuedThreadPool(config.threads(), Math.min(4, config.threads()));
    threads.setName("riskgrid-serve");
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    HttpConnectionFactory factory = new HttpConnectionFactory(http);
    // A what-if of 100 positions is about 22 KB: read in one fill of the connection's buffer rather than
    // three of the default 8 KB, each of which went back through the selector to wake a thread.
    factory.setInputBufferSize(INPUT_BUFFER_BYTES);
    // One acceptor and one selector: on a 2-core machine more of either only competes with the work.
    this.connector = new ServerConnector(server, 1, 1, factory);
    connector.setHost(config.bind());
    connector.setPort(config.port());
    // A client that sends nothing for this long (headers or body) loses its connection; bodies are read
    // asynchronously, so a slow client holds no worker thread meanwhile.
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    server.addConnector(connector);
    ServeMetrics metrics = new ServeMetrics(market::get, clock);
    server.setHandler(new ServeHandler(config, new Endpoints(market, config, metrics, clock), metrics));
    server.setStopTimeout(5_000);
  }

  /** Starts listening; {@link #port()} is then the bound port. */
  public void start() throws Exception {
    server.start();
  }

  /** The port the server listens on (the ephemeral one when configured with 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The market served now. */
  MarketState market() {
    return market.get();
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
