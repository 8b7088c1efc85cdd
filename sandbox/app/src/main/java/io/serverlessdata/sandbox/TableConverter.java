package io.serverlessdata.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns an object or a list into the {@code meta.k8s.io/v1 Table} that {@code kubectl get} asks for, the way the
 * API server does: a NAME column, then the resource's printer columns (a CRD's additionalPrinterColumns), each
 * cell read with the column's JSONPath; {@code date} columns become ages. Every row carries the object's metadata.
 */
final class TableConverter {

  /** A printer column, as a CRD declares it. */
  record Column(String name, String type, String jsonPath, int priority, String description) {}

  /** Columns of resources without declared ones: their age. */
  static final List<Column> DEFAULT_COLUMNS = List.of(
      new Column("Age", "date", ".metadata.creationTimestamp", 0, "Time since creation"));

  /** The columns kubectl shows for events. */
  static final List<Column> EVENT_COLUMNS = List.of(
      new Column("Last Seen", "date", ".lastTimestamp", 0, "Time of the latest occurrence"),
      new Column("Type", "string", ".type", 0, "Normal or Warning"),
      new Column("Reason", "string", ".reason", 0, "Why the event happened"),
      new Column("Object", "string", ".involvedObject.name", 0, "The object the event is about"),
      new Column("Message", "string", ".message", 0, "What happened"));

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Clock clock;

  TableConverter(Clock clock) {
    this.clock = clock;
  }

  /** The printer columns of a CRD's version, in the CRD's order; the defaults when it declares none. */
  static List<Column> columns(JsonNode crdVersion) {
    JsonNode declared = crdVersion.path("additionalPrinterColumns");
    if (!declared.isArray() || declared.isEmpty()) {
      return DEFAULT_COLUMNS;
    }
    List<Column> columns = new ArrayList<>();
    for (JsonNode c : declared) {
      columns.add(new Column(c.path("name").asText(), c.path("type").asText("string"), c.path("jsonPath").asText(),
          c.path("priority").asInt(0), c.path("description").asText("")));
    }
    return columns;
  }

  /** The table of one object, or of a list's items. */
  ObjectNode convert(JsonNode body, List<Column> columns) {
    ObjectNode table = JSON.objectNode();
    table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    Optional.ofNullable(body.path("metadata").get("resourceVersion")).ifPresent(v -> metadata.set("resourceVersion", v));
    Optional.ofNullable(body.path("metadata").get("continue")).ifPresent(v -> metadata.set("continue", v));
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions.addObject().put("name", "Name").put("type", "string").put("format", "name")
        .put("description", "Name must be unique within a namespace.").put("priority", 0);
    for (Column column : columns) {
      definitions.addObject().put("name", column.name()).put("type", column.type() == null ? "string" : column.type())
          .put("format", "").put("description", column.description()).put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    JsonNode items = body.has("items") ? body.get("items") : JSON.arrayNode().add(body);
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(item.path("metadata").path("name").asText());
      for (Column column : columns) {
        cells.add(cell(item, column));
      }
      ObjectNode object = row.putObject("object");
      object.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
      object.set("metadata", item.path("metadata").deepCopy());
    }
    return table;
  }

  private JsonNode cell(JsonNode item, Column column) {
    Optional<JsonNode> value = JsonPaths.first(item, column.jsonPath());
    if (value.isEmpty()) {
      return JSON.nullNode();
    }
    JsonNode found = value.get();
    if ("date".equals(column.type())) {
      try {
        return JSON.textNode(age(Duration.between(Instant.parse(found.asText()), clock.instant())));
      } catch (DateTimeParseException e) {
        return JSON.textNode(found.asText());
      }
    }
    return found.isValueNode() ? found : JSON.textNode(found.toString());
  }

  /** A duration the way kubectl shows ages: 45s, 3m12s, 25m, 5h10m, 30h, 3d4h, 12d. */
  static String age(Duration d) {
    long seconds = Math.max(0, d.getSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long rest = seconds % 60;
      return rest == 0 ? minutes + "m" : minutes + "m" + rest + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long rest = minutes % 60;
      return rest == 0 ? hours + "h" : hours + "h" + rest + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = hours / 24;
    if (days < 8) {
      long rest = hours % 24;
      return rest == 0 ? days + "d" : days + "d" + rest + "h";
    }
    return days + "d";
  }
}
