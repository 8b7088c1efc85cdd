package io.serverlessdata.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DynamoDB's {@code ListTagsOfResource} and {@code DescribeTable} for the account's tables, in DynamoDB's JSON 1.0
 * protocol: a POST with {@code X-Amz-Target: DynamoDB_20120810.<Operation>} and a JSON body, a JSON answer with
 * {@code x-amz-crc32}, errors as {@code {"__type": "com.amazonaws.dynamodb.v20120810#<Code>", "message": ...}}
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html,
 * API_DescribeTable.html, and "Error handling with DynamoDB" in the developer guide). A table in a stack and a
 * retained or foreign one answer alike. Requests are counted by operation and use up the simulator's armed
 * throttling ({@code ThrottlingException}, 400) and failures ({@code InternalServerError}, 500).
 */
final class DynamoDbRoutes {

  static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";

  private final CloudFormationSimulator simulator;

  DynamoDbRoutes(CloudFormationSimulator simulator) {
    this.simulator = simulator;
  }

  void exchange(HttpExchange exchange, String target) throws IOException {
    String requestId = UUID.randomUUID().toString();
    int status = 200;
    String body;
    try {
      body = answer(exchange, target.substring(TARGET_PREFIX.length()));
    } catch (SimulatorException e) {
      status = e.httpStatus();
      body = JSON.createObjectNode().put("__type", ERROR_PREFIX + e.code()).put("message", e.getMessage()).toString();
    } catch (RuntimeException e) {
      LOG.error("simulator failed on a DynamoDB request", e);
      status = 500;
      body = JSON.createObjectNode().put("__type", ERROR_PREFIX + "InternalServerError").put("message", String.valueOf(e))
          .toString();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
    exchange.getResponseHeaders().add("x-amzn-RequestId", requestId);
    exchange.getResponseHeaders().add("x-amz-crc32", String.valueOf(crc.getValue()));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String answer(HttpExchange exchange, String operation) throws IOException {
    Optional<String> fault = simulator.count(operation);
    if (fault.filter("throttle"::equals).isPresent()) {
      throw new SimulatorException("ThrottlingException", 400, "Rate of requests exceeds the allowed throughput.");
    }
    if (fault.isPresent()) {
      throw new SimulatorException("InternalServerError", 500, "Internal server error");
    }
    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
      throw new SimulatorException("MissingAuthenticationTokenException", 400, "Request is missing Authentication Token");
    }
    JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
    return switch (operation) {
      case "ListTagsOfResource" -> listTagsOfResource(request);
      case "DescribeTable" -> describeTable(request);
      default -> throw new SimulatorException("UnknownOperationException", 400,
          "Operation " + operation + " is not simulated (only ListTagsOfResource and DescribeTable)");
    };
  }

  /** ListTagsOfResource: the table's tags by its ARN, {@code arn:aws:dynamodb:<region>:<account>:table/<name>}. */
  private String listTagsOfResource(JsonNode request) {
    String arn = required(request, "ResourceArn");
    String prefix = "arn:aws:dynamodb:" + SimulatedCloudFormation.REGION + ":" + SimulatedCloudFormation.ACCOUNT_ID
        + ":table/";
    AccountResources.Entry table = Optional.of(arn).filter(a -> a.startsWith(prefix))
        .flatMap(a -> simulator.physicalResource(AccountResources.TABLE, a.substring(prefix.length())))
        .orElseThrow(() -> new SimulatorException("ResourceNotFoundException", 400,
            "Requested resource not found: ResourcArn: " + arn + " not found"));
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode tags = answer.putArray("Tags");
    table.tags.forEach((key, value) -> tags.addObject().put("Key", key).put("Value", value));
    return answer.toString();
  }

  /** DescribeTable: the table's name, ARN, status, key schema and throughput as it was created. */
  private String describeTable(JsonNode request) {
    String name = required(request, "TableName");
    AccountResources.Entry table = simulator.physicalResource(AccountResources.TABLE, name).orElseThrow(
        () -> new SimulatorException("ResourceNotFoundException", 400,
            "Requested resource not found: Table: " + name + " not found"));
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode description = answer.putObject("Table");
    description.put("TableName", table.physicalId)
        .put("TableArn", PhysicalIds.attribute(AccountResources.TABLE, table.physicalId, "Arn"))
        .put("TableId", UUID.nameUUIDFromBytes(table.physicalId.getBytes(StandardCharsets.UTF_8)).toString())
        .put("TableStatus", "ACTIVE")
        .put("CreationDateTime", table.created.toEpochMilli() / 1000.0)
        .put("ItemCount", 0)
        .put("TableSizeBytes", 0)
        .put("DeletionProtectionEnabled", false);
    for (String property : new String[] {"AttributeDefinitions", "KeySchema"}) {
      Object value = table.properties.get(property);
      if (value != null) {
        description.set(property, JSON.valueToTree(value));
      }
    }
    String billing = String.valueOf(table.properties.getOrDefault("BillingMode", "PROVISIONED"));
    description.putObject("BillingModeSummary").put("BillingMode", billing);
    if (table.properties.get("ProvisionedThroughput") instanceof Map<?, ?> throughput) {
      description.putObject("ProvisionedThroughput")
          .put("ReadCapacityUnits", Long.parseLong(String.valueOf(throughput.get("ReadCapacityUnits"))))
          .put("WriteCapacityUnits", Long.parseLong(String.valueOf(throughput.get("WriteCapacityUnits"))))
          .put("NumberOfDecreasesToday", 0);
    }
    return answer.toString();
  }

  private static String required(JsonNode request, String member) {
    JsonNode value = request.get(member);
    if (value == null || !value.isTextual()) {
      throw new SimulatorException("ValidationException", 400, "1 validation error detected: Value null at '"
          + Character.toLowerCase(member.charAt(0)) + member.substring(1) + "' failed to satisfy constraint: Member"
          + " must not be null");
    }
    return value.asText();
  }
}
