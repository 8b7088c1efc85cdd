package io.serverlessdata.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset that printer columns use: field steps ({@code .status.stackStatus}), an index
 * ({@code .items[0]}) and an equality filter ({@code .status.conditions[?(@.type=="Ready")].status}). Anything
 * else is rejected when the path is parsed, not silently ignored.
 */
final class JsonPaths {

  private static final Pattern STEP = Pattern.compile(
      "\\.([A-Za-z0-9_-]+)|\\[(\\d+)]|\\[\\?\\(@\\.([A-Za-z0-9_.-]+)\\s*==\\s*(?:\"([^\"]*)\"|'([^']*)')\\)]");

  private JsonPaths() {}

  /** The first value the path finds in the node, if any (nulls count as not found). */
  static Optional<JsonNode> first(JsonNode node, String path) {
    List<JsonNode> current = List.of(node);
    Matcher m = STEP.matcher(path.trim());
    int at = 0;
    while (at < path.trim().length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("unsupported JSONPath " + path + " at offset " + at);
      }
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : current) {
        if (m.group(1) != null) {
          add(next, n.get(m.group(1)));
        } else if (m.group(2) != null) {
          add(next, n.isArray() ? n.get(Integer.parseInt(m.group(2))) : null);
        } else if (n.isArray()) {
          String expected = m.group(4) != null ? m.group(4) : m.group(5);
          for (JsonNode element : n) {
            JsonNode field = element.at("/" + m.group(3).replace(".", "/"));
            if (!field.isMissingNode() && field.isValueNode() && expected.equals(field.asText())) {
              next.add(element);
            }
          }
        }
      }
      current = next;
      at = m.end();
    }
    return current.stream().findFirst();
  }

  private static void add(List<JsonNode> to, JsonNode node) {
    if (node != null && !node.isNull() && !node.isMissingNode()) {
      to.add(node);
    }
  }
}
