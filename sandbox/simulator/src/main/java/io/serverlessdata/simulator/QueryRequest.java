package io.serverlessdata.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An AWS Query protocol request: a form-encoded body such as
 * {@code Action=CreateChangeSet&Version=2010-05-15&Parameters.member.1.ParameterKey=...}. Lists arrive as
 * {@code Name.member.N} (an explicitly empty list as {@code Name=}), structures in lists as
 * {@code Name.member.N.Field}.
 */
final class QueryRequest {

  private final Map<String, String> values;

  private QueryRequest(Map<String, String> values) {
    this.values = values;
  }

  static QueryRequest parse(String body) {
    return new QueryRequest(form(body));
  }

  /**
   * The name-value pairs of an {@code application/x-www-form-urlencoded} body, in order; a repeated name keeps its
   * last value.
   */
  static Map<String, String> form(String body) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      values.put(name, value);
    }
    return values;
  }

  String action() {
    return values.getOrDefault("Action", "");
  }

  Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** A member AWS models as required; absent, it fails the way AWS's input validation does. */
  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw SimulatorException.validation("1 validation error detected: Value null at '"
          + Character.toLowerCase(name.charAt(0)) + name.substring(1) + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  /** {@code Name.member.1}, {@code Name.member.2}, ... in order. */
  List<String> list(String name) {
    List<String> items = new ArrayList<>();
    for (int i = 1; values.containsKey(name + ".member." + i); i++) {
      items.add(values.get(name + ".member." + i));
    }
    return items;
  }

  /** {@code Name.member.N.KeyField} / {@code Name.member.N.ValueField} pairs, in order. */
  Map<String, String> pairs(String name, String keyField, String valueField) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (int i = 1; values.containsKey(name + ".member." + i + "." + keyField); i++) {
      String prefix = name + ".member." + i + ".";
      pairs.put(values.get(prefix + keyField), values.getOrDefault(prefix + valueField, ""));
    }
    return pairs;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
