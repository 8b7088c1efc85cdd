package io.serverlessdata.operator.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoints for the kubelet and Prometheus, on the JDK's own server: {@code /healthz} (liveness),
 * {@code /readyz} (readiness) and {@code /metrics} (Prometheus text format).
 */
public final class OpsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** A probe's answer: healthy or not, and a one-line explanation for whoever curls it. */
  public record Probe(boolean ok, String detail) {}

  private final HttpServer server;
  private final ExecutorService executor;

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code port} (0 picks a free one).
   *
   * @param liveness answers {@code /healthz}
   * @param readiness answers {@code /readyz}
   * @param metrics the body of {@code /metrics}
   */
  public static OpsServer start(int port, Supplier<Probe> liveness, Supplier<Probe> readiness,
      Supplier<String> metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext("/healthz", exchange -> probe(exchange, liveness));
    server.createContext("/readyz", exchange -> probe(exchange, readiness));
    server.createContext("/metrics", exchange -> {
      if (!allowed(exchange)) {
        return;
      }
      respond(exchange, 200, PROMETHEUS_TEXT, metrics.get());
    });
    ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "ops-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.start();
    LOG.info("serving /healthz, /readyz and /metrics on port {}", server.getAddress().getPort());
    return new OpsServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange exchange, Supplier<Probe> probe) throws IOException {
    if (!allowed(exchange)) {
      return;
    }
    Probe answer;
    try {
      answer = probe.get();
    } catch (RuntimeException e) {
      answer = new Probe(false, "probe failed: " + e.getClass().getSimpleName());
    }
    respond(exchange, answer.ok() ? 200 : 503, "text/plain; charset=utf-8",
        (answer.ok() ? "ok" : "not ok") + ": " + answer.detail() + "\n");
  }

  private static boolean allowed(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
    return false;
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  /** Stops accepting requests, letting those in flight finish for up to a second. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
