package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.WhatIfJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP side of {@code serve} (DESIGN §7.8): routes, bearer-token check, body size limit, and the
 * mapping of every outcome to a status: 400 naming the JSON field for bad input (never 500), 401, 404,
 * 405, 413, and 500 only for a fault of the server itself. What the endpoints answer is {@link Endpoints}'.
 */
final class ServeHandler extends Handler.Abstract {
  private static final Logger LOG = Logger.getLogger(ServeHandler.class.getName());
  static final ObjectMapper JSON = WhatIfJson.JSON;
  static final String JSON_TYPE = "application/json";
  static final String JSON_LINES_TYPE = "application/x-ndjson";

  /** The routes: path, method, whether they need the token and whether they read a body. */
  enum Route {
    WHATIF("/v1/whatif", "POST", "whatif", true, true),
    BATCH("/v1/whatif/batch", "POST", "whatif_batch", true, true),
    MARKET("/v1/market", "PUT", "market", true, true),
    HEALTHZ("/healthz", "GET", "healthz", false, false),
    METRICS("/metrics", "GET", "metrics", true, false);

    final String path;
    final String method;
    final String metric;
    final boolean needsToken;
    final boolean readsBody;

    Route(String path, String method, String metric, boolean needsToken, boolean readsBody) {
      this.path = path;
      this.method = method;
      this.metric = metric;
      this.needsToken = needsToken;
      this.readsBody = readsBody;
    }

    static Route of(String path) {
      for (Route r : values()) {
        if (r.path.equals(path)) {
          return r;
        }
      }
      return null;
    }
  }

  private final ServeConfig config;
  private final byte[] expectedAuthorization;
  private final Endpoints endpoints;
  private final ServeMetrics metrics;

  ServeHandler(ServeConfig config, Endpoints endpoints, ServeMetrics metrics) {
    this.config = config;
    this.expectedAuthorization = config.expectedAuthorization();
    this.endpoints = endpoints;
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Route route = Route.of(Request.getPathInContext(request));
    Exchange ex = new Exchange(response, callback, route == null ? "other" : route.metric, request.getHeadersNanoTime());
    try {
      if (route == null) {
        ex.error(HttpStatus.NOT_FOUND_404, "not_found", null, "no endpoint " + Request.getPathInContext(request)
            + "; endpoints: POST /v1/whatif, POST /v1/whatif/batch, PUT /v1/market, GET /healthz, GET /metrics");
      } else if (!route.method.equals(request.getMethod())) {
        response.getHeaders().put(HttpHeader.ALLOW, route.method);
        ex.error(HttpStatus.METHOD_NOT_ALLOWED_405, "method_not_allowed", null,
            route.path + " answers " + route.method + ", not " + request.getMethod());
      } else if (route.needsToken && !authorized(request)) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"riskgrid\"");
        ex.error(HttpStatus.UNAUTHORIZED_401, "unauthorized", null,
            "missing or wrong bearer token: send the header 'Authorization: Bearer <token>'");
      } else if (!route.readsBody) {
        answerWithoutBody(route, ex);
      } else if (request.getLength() > config.maxBodyBytes()) {
        tooLarge(ex, config.maxBodyBytes());
      } else {
        new BodyReader(request, config.maxBodyBytes(), new BodyReader.Listener() {
          @Override
          public void body(byte[] bytes, int length) {
            answer(route, ex, bytes, length, Request.getRemoteAddr(request));
          }

          @Override
          public void tooLarge(long limit) {
            ServeHandler.this.tooLarge(ex, limit);
          }

          @Override
          public void failed(Throwable cause) {
            ex.fail(cause);
          }
        }).run();
      }
    } catch (RuntimeException e) {
      internal(ex, e);
    }
    return true;
  }

  private boolean authorized(Request request) {
    if (expectedAuthorization == null) {
      return true;
    }
    String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    // Digests of equal length, compared in constant time: neither the token nor its length leaks.
    return given != null && MessageDigest.isEqual(expectedAuthorization, ServeConfig.sha256(given));
  }

  private void answerWithoutBody(Route route, Exchange ex) {
    if (route == Route.METRICS) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
      try {
        metrics.write(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ex.send(HttpStatus.OK_200, metrics.contentType(), out.toByteArray());
    } else {
      Endpoints.Answer a = endpoints.health();
      ex.send(a.status(), JSON_TYPE, a.body());
    }
  }

  private void answer(Route route, Exchange ex, byte[] body, int length, String remote) {
    try {
      Endpoints.Answer a = switch (route) {
        case WHATIF -> endpoints.whatIf(body, length);
        case BATCH -> endpoints.batch(body, length);
        case MARKET -> endpoints.putMarket(body, length, remote);
        default -> throw new IllegalStateException("no body for " + route);
      };
      ex.send(a.status(), route == Route.BATCH && a.status() == HttpStatus.OK_200 ? JSON_LINES_TYPE : JSON_TYPE, a.body());
    } catch (InvalidInputException e) {
      metrics.error("bad_request");
      ObjectNode err = WhatIfJson.error(e).put("kind", "bad_request");
      ex.send(HttpStatus.BAD_REQUEST_400, JSON_TYPE, bytes(err));
    } catch (RuntimeException e) {
      internal(ex, e);
    }
  }

  private void tooLarge(Exchange ex, long limit) {
    ex.response.getHeaders().put(HttpHeader.CONNECTION, "close");
    ex.error(HttpStatus.PAYLOAD_TOO_LARGE_413, "too_large", null,
        "the request body is larger than " + limit + " bytes, this server's limit (serve --max-body-bytes)");
  }

  private void internal(Exchange ex, RuntimeException e) {
    LOG.log(Level.SEVERE, "serve: internal error", e);
    ex.error(HttpStatus.INTERNAL_SERVER_ERROR_500, "internal", null, "internal error: " + e);
  }

  static byte[] bytes(Object json) {
    try {
      return JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One request's response, callback and metrics: answered exactly once. */
  private final class Exchange {
    final Response response;
    final Callback callback;
    final String endpoint;
    final long startNanos;

    Exchange(Response response, Callback callback, String endpoint, long startNanos) {
      this.response = response;
      this.callback = callback;
      this.endpoint = endpoint;
      this.startNanos = startNanos;
    }

    void error(int status, String kind, String field, String message) {
      metrics.error(kind);
      ObjectNode err = JSON.createObjectNode().put("error", message);
      if (field != null) {
        err.put("field", field);
      }
      send(status, JSON_TYPE, bytes(err.put("kind", kind)));
    }

    void send(int status, String contentType, byte[] body) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), Callback.from(() -> {
        metrics.request(endpoint, status, System.nanoTime() - startNanos);
        callback.succeeded();
      }, x -> {
        metrics.error("write_failed");
        callback.failed(x);
      }));
    }

    /** The body could not be read (the client went away or timed out): nothing can be answered. */
    void fail(Throwable cause) {
      metrics.error("read_failed");
      callback.failed(cause);
    }
  }
}
