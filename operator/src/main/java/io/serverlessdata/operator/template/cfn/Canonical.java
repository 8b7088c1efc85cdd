package io.serverlessdata.operator.template.cfn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts property values into the one form a template is written in: maps with sorted keys, intrinsics as
 * their JSON form, enums by name. The same input always gives the same structure, and so the same bytes.
 */
final class Canonical {

  private Canonical() {}

  static Object of(Object value) {
    if (value instanceof Intrinsic intrinsic) {
      return of(intrinsic.toTemplate());
    }
    if (value instanceof Referenceable referenceable) {
      return of(referenceable.ref());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((key, item) -> sorted.put(String.valueOf(key), of(item)));
      return sorted;
    }
    if (value instanceof Collection<?> collection) {
      var list = new ArrayList<>(collection.size());
      collection.forEach(item -> list.add(of(item)));
      return list;
    }
    if (value instanceof Enum<?> constant) {
      return constant.toString();
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    throw new IllegalArgumentException("not a template value: " + value + " (" + value.getClass().getName() + ")");
  }
}
