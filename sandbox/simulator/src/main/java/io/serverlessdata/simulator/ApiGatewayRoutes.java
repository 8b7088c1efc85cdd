package io.serverlessdata.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway's {@code GetApiKey} ({@code GET /apikeys/{api_Key}?includeValue=true}) in its REST-JSON protocol,
 * for the API keys of the simulated stacks: the key as JSON, the value only with {@code includeValue=true};
 * errors with API Gateway's codes in {@code x-amzn-ErrorType} and a {@code {"message"}} body
 * ({@code NotFoundException} 404, {@code TooManyRequestsException} 429, {@code ServiceUnavailableException} 503).
 * Requests are counted as {@code GetApiKey} and use up the simulator's armed throttling and failures.
 */
final class ApiGatewayRoutes {

  static final String API_KEYS = "/apikeys/";
  private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CloudFormationSimulator simulator;

  ApiGatewayRoutes(CloudFormationSimulator simulator) {
    this.simulator = simulator;
  }

  void exchange(HttpExchange exchange) {
    try (exchange) {
      String requestId = UUID.randomUUID().toString();
      int status = 200;
      String body;
      try {
        body = answer(exchange);
      } catch (SimulatorException e) {
        status = e.httpStatus();
        body = JSON.createObjectNode().put("message", e.getMessage()).toString();
        exchange.getResponseHeaders().add("x-amzn-ErrorType", e.code());
      } catch (RuntimeException e) {
        LOG.error("simulator failed on an API Gateway request", e);
        status = 500;
        body = JSON.createObjectNode().put("message", String.valueOf(e)).toString();
        exchange.getResponseHeaders().add("x-amzn-ErrorType", "InternalFailure");
      }
      HttpResponses.send(exchange, status, "application/json", requestId, body);
    } catch (IOException e) {
      LOG.debug("client went away", e);
    }
  }

  private String answer(HttpExchange exchange) {
    Optional<String> fault = simulator.count("GetApiKey");
    if (fault.filter("throttle"::equals).isPresent()) {
      throw new SimulatorException("TooManyRequestsException", 429, "Too Many Requests");
    }
    if (fault.isPresent()) {
      throw new SimulatorException("ServiceUnavailableException", 503, "Service Unavailable");
    }
    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
      throw new SimulatorException("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
    }
    String path = exchange.getRequestURI().getRawPath();
    String id = URLDecoder.decode(path.substring(API_KEYS.length()), StandardCharsets.UTF_8);
    if (!"GET".equals(exchange.getRequestMethod()) || id.isEmpty() || id.contains("/")) {
      throw new SimulatorException("NotFoundException", 404, "Invalid request: " + exchange.getRequestMethod() + " " + path
          + " is not simulated (only GET /apikeys/{api_Key})");
    }
    ApiKey key = simulator.apiKey(id).orElseThrow(
        () -> new SimulatorException("NotFoundException", 404, "Invalid API Key identifier specified"));
    boolean includeValue = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).stream()
        .flatMap(query -> Arrays.stream(query.split("&")))
        .anyMatch("includeValue=true"::equals);
    ObjectNode answer = JSON.createObjectNode()
        .put("id", key.id())
        .put("name", key.name())
        .put("enabled", true)
        .put("createdDate", key.createdDate().getEpochSecond())
        .put("lastUpdatedDate", key.createdDate().getEpochSecond());
    if (includeValue) {
      answer.put("value", key.value());
    }
    answer.putArray("stageKeys");
    return answer.toString();
  }
}
