package io.serverlessdata.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sandbox's fault injection, reachable from another process (the sandbox's {@code simulate ...}):
 * POSTs on 127.0.0.1 with form parameters, authorised by a random token that only the sandbox's state file holds.
 *
 * <ul>
 *   <li>{@code /simulate/fail} {@code stack}, {@code logicalId}, {@code reason}: the stack's next create or update
 *       that touches the resource fails on it;
 *   <li>{@code /simulate/delete-stack} {@code stack}: someone deletes the stack outside the operator;
 *   <li>{@code /simulate/throttle} {@code count}: the next calls are throttled;
 *   <li>{@code /simulate/drift} {@code stack}, {@code logicalId}, {@code property}, {@code value}: someone changes a
 *       resource's property in the console (an empty value removes it);
 *   <li>{@code /simulate/delete-resource} {@code stack}, {@code logicalId}: someone deletes one resource;
 *   <li>{@code /simulate/retained}: lists the resources that belong to no stack (retained or foreign), one a line:
 *       type, physical id, tags;
 *   <li>{@code /simulate/foreign-table}, {@code /simulate/foreign-bucket} {@code name}, {@code tags}
 *       ({@code key=value,key=value}, may be empty): someone makes a table or bucket outside CloudFormation.
 * </ul>
 */
public final class ControlServer implements AutoCloseable {

  /** The header that carries the token. */
  public static final String TOKEN_HEADER = "X-Sandbox-Token";
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

  private final HttpServer server;
  private final String token;
  private final CloudFormationSimulator simulator;

  private ControlServer(CloudFormationSimulator simulator) throws IOException {
    this.simulator = simulator;
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.token = HexFormat.of().formatHex(random);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/simulate/", this::exchange);
    server.start();
  }

  public static ControlServer start(CloudFormationSimulator simulator) {
    try {
      return new ControlServer(simulator);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the sandbox control endpoint", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The secret a client sends in {@link #TOKEN_HEADER}. */
  public String token() {
    return token;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void exchange(HttpExchange exchange) {
    try (exchange) {
      int status;
      String message;
      try {
        status = 200;
        message = handle(exchange);
      } catch (IllegalArgumentException e) {
        status = 400;
        message = e.getMessage();
      } catch (SecurityException e) {
        status = 403;
        message = e.getMessage();
      }
      byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      LOG.debug("control client went away", e);
    }
  }

  private String handle(HttpExchange exchange) throws IOException {
    String sent = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
    if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8))) {
      throw new SecurityException("missing or wrong " + TOKEN_HEADER + " (it is in the sandbox's state file)");
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      throw new IllegalArgumentException("use POST");
    }
    Map<String, String> form = QueryRequest.form(
        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String action = exchange.getRequestURI().getPath().substring("/simulate/".length());
    switch (action) {
      case "fail" -> {
        String stack = required(form, "stack");
        String logicalId = required(form, "logicalId");
        String reason = form.getOrDefault("reason", "").isBlank()
            ? "Resource handler returned message: \"simulated failure\" (HandlerErrorCode: GeneralServiceException)"
            : form.get("reason");
        simulator.failResource(stack, logicalId, reason);
        LOG.info("simulate: the next create or update of {} that touches {} fails", stack, logicalId);
        return "armed: the next create or update of stack " + stack + " that touches " + logicalId + " fails";
      }
      case "delete-stack" -> {
        String stack = required(form, "stack");
        if (!simulator.hasStack(stack)) {
          throw new IllegalArgumentException("no stack named " + stack + " in the simulator");
        }
        simulator.deleteOutOfBand(stack);
        LOG.info("simulate: stack {} deleted out of band", stack);
        return "deleted stack " + stack + " behind the operator's back";
      }
      case "throttle" -> {
        int count;
        try {
          count = Integer.parseInt(required(form, "count"));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("count must be a whole number, got " + form.get("count"));
        }
        if (count < 1) {
          throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        simulator.throttleNext(count);
        LOG.info("simulate: the next {} CloudFormation calls are throttled", count);
        return "throttling the next " + count + " CloudFormation calls";
      }
      case "drift" -> {
        String stack = required(form, "stack");
        String logicalId = required(form, "logicalId");
        String property = required(form, "property");
        String value = form.getOrDefault("value", "");
        simulator.driftProperty(stack, logicalId, property, value.isEmpty() ? Optional.empty() : Optional.of(value));
        LOG.info("simulate: {} {} {} changed out of band", stack, logicalId, property);
        return "changed " + property + " of " + logicalId + " in stack " + stack + (value.isEmpty() ? " (removed)"
            : " to " + value) + " behind CloudFormation's back; the next drift check reports it";
      }
      case "delete-resource" -> {
        String stack = required(form, "stack");
        String logicalId = required(form, "logicalId");
        simulator.deleteResource(stack, logicalId);
        LOG.info("simulate: {} {} deleted out of band", stack, logicalId);
        return "deleted " + logicalId + " of stack " + stack + " behind CloudFormation's back; the next drift check"
            + " reports it";
      }
      case "retained" -> {
        List<RetainedResource> retained = simulator.retainedResources();
        return retained.isEmpty() ? "no resources outside a stack" : String.join("\n", retained.stream()
            .map(r -> r.type() + " " + r.physicalId() + " " + new TreeMap<>(r.tags())).toList());
      }
      case "foreign-table", "foreign-bucket" -> {
        String name = required(form, "name");
        Map<String, String> tags = tags(form.getOrDefault("tags", ""));
        if ("foreign-table".equals(action)) {
          simulator.createForeignTable(name, tags);
        } else {
          simulator.createForeignBucket(name, tags);
        }
        LOG.info("simulate: {} {} made outside CloudFormation", action.substring("foreign-".length()), name);
        return "made " + action.substring("foreign-".length()) + " " + name + " outside CloudFormation with tags "
            + new TreeMap<>(tags);
      }
      default -> throw new IllegalArgumentException("unknown simulation " + action
          + "; one of fail, delete-stack, throttle, drift, delete-resource, retained, foreign-table, foreign-bucket");
    }
  }

  /** {@code key=value,key=value}; blank is none. */
  private static Map<String, String> tags(String text) {
    Map<String, String> tags = new TreeMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("tags are key=value pairs separated by commas, got " + pair);
      }
      tags.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return tags;
  }

  private static String required(Map<String, String> form, String name) {
    String value = form.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }
}
