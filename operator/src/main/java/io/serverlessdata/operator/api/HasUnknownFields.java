package io.serverlessdata.operator.api;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A part of the spec that collects, by name, the fields the model does not know (a typo, or a newer CRD's field
 * after a downgrade), values as they came. Refusing them would fail the informer's deserialisation and with it the
 * whole operator; collected, they fail only their own resource ({@link SpecResolver} reports each).
 *
 * <p>The records carry them in a last component, {@code @JsonIgnore @JsonAnySetter @JsonAnyGetter Map<String,
 * Object> unknownFields}, and the record is {@code @JsonIgnoreProperties(COMPONENT)}:
 * <ul>
 *   <li>{@code @JsonAnySetter} on the canonical constructor's parameter collects them on reading, and
 *       {@code @JsonAnyGetter} writes them back as they came, so that nothing the operator writes drops them;
 *   <li>{@code @JsonIgnore} keeps the component from being a property of its own: it is not serialised as
 *       {@code unknownFields}, and the CRD generator leaves it out of the schema (which therefore neither lists
 *       it nor says {@code x-kubernetes-preserve-unknown-fields}; the API server keeps pruning unknown fields);
 *   <li>{@code @JsonIgnoreProperties(COMPONENT)}: Jackson would bind a field literally named
 *       {@code unknownFields} to the constructor's parameter and fail on it; that one name is skipped instead.
 * </ul>
 */
public interface HasUnknownFields {

  /** The component that holds them: a record component, but not a field of the resource. */
  String COMPONENT = "unknownFields";

  Map<String, Object> unknownFields();

  /** The fields this part does know, sorted. */
  default List<String> knownFields() {
    return Arrays.stream(getClass().getRecordComponents()).map(RecordComponent::getName)
        .filter(name -> !name.equals(COMPONENT)).sorted().toList();
  }

  /** The parts within this one that are present, by field name, in declaration order. */
  default Map<String, HasUnknownFields> parts() {
    Map<String, HasUnknownFields> parts = new LinkedHashMap<>();
    for (RecordComponent component : getClass().getRecordComponents()) {
      try {
        if (component.getAccessor().invoke(this) instanceof HasUnknownFields part) {
          parts.put(component.getName(), part);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + getClass().getSimpleName() + "." + component.getName(), e);
      }
    }
    return parts;
  }

  /** An immutable copy that keeps null values (Map.copyOf would refuse a {@code field: null}). */
  static Map<String, Object> copyOf(Map<String, Object> fields) {
    return fields == null || fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(fields));
  }
}
