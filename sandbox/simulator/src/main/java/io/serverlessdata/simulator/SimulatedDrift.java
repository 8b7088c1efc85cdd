package io.serverlessdata.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What was changed on a stack's resources behind CloudFormation's back (a property set in the console, a
 * resource deleted), and what a drift detection finds of it by comparing with the template's values.
 */
final class SimulatedDrift {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A property that differs: its path, the template's value, the value in "AWS", and how it differs. */
  record Difference(String path, String expected, String actual, String type) {}

  /** A resource that a detection found drifted: {@code MODIFIED} (with differences) or {@code DELETED}. */
  record Found(String logicalId, String physicalId, String resourceType, String status, List<Difference> differences) {}

  /** Path to the actual value; an empty value means the property was removed. */
  private final Map<String, Map<String, Optional<String>>> modified = new TreeMap<>();
  private final Set<String> deleted = new TreeSet<>();

  /**
   * Sets a property of a resource to another value, outside CloudFormation.
   *
   * @param path {@code ProvisionedThroughput.ReadCapacityUnits} or {@code /ProvisionedThroughput/ReadCapacityUnits}
   * @param actual the new value as text; empty removes the property
   */
  void modify(String logicalId, String path, Optional<String> actual) {
    modified.computeIfAbsent(logicalId, id -> new TreeMap<>()).put(normalise(path), actual);
  }

  /** Deletes a resource outside CloudFormation. */
  void delete(String logicalId) {
    modified.remove(logicalId);
    deleted.add(logicalId);
  }

  /** The resources put back by an update (replaced, re-created, or reverted): they no longer drift. */
  void clear(Collection<String> logicalIds) {
    logicalIds.forEach(id -> {
      modified.remove(id);
      deleted.remove(id);
    });
  }

  /**
   * Properties an update set from the template: CloudFormation writes them, so an out-of-band change of them (or of
   * anything under them) is gone; other drifted properties of the resource stay drifted.
   *
   * @param properties top-level property names ({@code ProvisionedThroughput}, {@code Tags})
   */
  void clearProperties(String logicalId, Collection<String> properties) {
    Map<String, Optional<String>> paths = modified.get(logicalId);
    if (paths == null) {
      return;
    }
    paths.keySet().removeIf(path -> properties.contains(path.substring(1).split("/")[0]));
    if (paths.isEmpty()) {
      modified.remove(logicalId);
    }
  }

  /** Every resource changed or deleted out of band. */
  Set<String> resources() {
    Set<String> all = new TreeSet<>(modified.keySet());
    all.addAll(deleted);
    return all;
  }

  boolean deleted(String logicalId) {
    return deleted.contains(logicalId);
  }

  /** The properties changed on a resource, by path. */
  Set<String> modifiedPaths(String logicalId) {
    return modified.getOrDefault(logicalId, Map.of()).keySet();
  }

  /**
   * What a detection finds now.
   *
   * @param expected each live resource's properties as the template sets them, intrinsics resolved
   * @param types each resource's type
   * @param physicalIds each resource's physical id
   */
  List<Found> detect(Map<String, Map<String, Object>> expected, Map<String, String> types,
      Map<String, String> physicalIds) {
    List<Found> found = new ArrayList<>();
    for (String logicalId : resources()) {
      if (!types.containsKey(logicalId)) {
        continue;
      }
      String physicalId = physicalIds.getOrDefault(logicalId, "");
      if (deleted.contains(logicalId)) {
        found.add(new Found(logicalId, physicalId, types.get(logicalId), "DELETED", List.of()));
        continue;
      }
      List<Difference> differences = new ArrayList<>();
      modified.get(logicalId).forEach((path, actual) -> {
        Optional<String> template = valueAt(expected.getOrDefault(logicalId, Map.of()), path);
        if (template.equals(actual)) {
          return;
        }
        String type = template.isEmpty() ? "ADD" : actual.isEmpty() ? "REMOVE" : "NOT_EQUAL";
        differences.add(new Difference(path, template.orElse(null), actual.orElse(null), type));
      });
      if (!differences.isEmpty()) {
        found.add(new Found(logicalId, physicalId, types.get(logicalId), "MODIFIED", differences));
      }
    }
    return found;
  }

  /** The text of the value at a path, as CloudFormation shows it: scalars plain, objects and lists as JSON. */
  private static Optional<String> valueAt(Map<String, Object> properties, String path) {
    Object value = properties;
    for (String segment : path.substring(1).split("/")) {
      if (value instanceof Map<?, ?> map) {
        value = map.get(segment);
      } else if (value instanceof List<?> list && segment.matches("\\d+") && Integer.parseInt(segment) < list.size()) {
        value = list.get(Integer.parseInt(segment));
      } else {
        return Optional.empty();
      }
    }
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      try {
        return Optional.of(JSON.writeValueAsString(value));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return Optional.of(String.valueOf(value));
  }

  static String normalise(String path) {
    String trimmed = Objects.requireNonNull(path, "path").trim();
    if (trimmed.isEmpty() || trimmed.equals("/")) {
      throw new IllegalArgumentException("a property path is required, e.g. ProvisionedThroughput.ReadCapacityUnits");
    }
    return trimmed.startsWith("/") ? trimmed : "/" + trimmed.replace('.', '/');
  }
}
