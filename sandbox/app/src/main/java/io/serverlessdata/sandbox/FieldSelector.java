package io.serverlessdata.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes field selectors ({@code involvedObject.name=orders,type!=Normal}) evaluated on JSON objects: what
 * {@code kubectl describe} sends to find a resource's events.
 */
final class FieldSelector {

  /** One requirement: the field at {@code path} equals (or, negated, differs from) {@code value}. */
  record Requirement(String path, String value, boolean negated) {}

  private FieldSelector() {}

  static List<Requirement> parse(String selector) {
    List<Requirement> requirements = new ArrayList<>();
    for (String part : selector.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int ne = p.indexOf("!=");
      int eq = p.indexOf('=');
      if (ne > 0) {
        requirements.add(new Requirement(p.substring(0, ne), p.substring(ne + 2), true));
      } else if (eq > 0) {
        int valueAt = p.startsWith("==", eq) ? eq + 2 : eq + 1;
        requirements.add(new Requirement(p.substring(0, eq), p.substring(valueAt), false));
      } else {
        throw new IllegalArgumentException("invalid field selector requirement: " + p);
      }
    }
    return requirements;
  }

  /** Whether the object meets every requirement; a missing field counts as the empty string, as in Kubernetes. */
  static boolean matches(JsonNode object, List<Requirement> requirements) {
    for (Requirement r : requirements) {
      JsonNode field = object.at("/" + r.path().replace(".", "/"));
      String actual = field.isMissingNode() || field.isNull() ? "" : field.asText();
      if (actual.equals(r.value()) == r.negated()) {
        return false;
      }
    }
    return true;
  }
}
