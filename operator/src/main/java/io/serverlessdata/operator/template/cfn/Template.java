package io.serverlessdata.operator.template.cfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A CloudFormation template: parameters, resources and outputs, checked for dangling references when it
 * is built and written deterministically (fixed section order, sorted keys).
 */
public final class Template {

  public static final String FORMAT_VERSION = "2010-09-09";

  private static final ObjectMapper COMPACT = new ObjectMapper();
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String description;
  private final Map<String, Parameter> parameters;
  private final Map<String, Resource> resources;
  private final Map<String, Output> outputs;

  private Template(Builder builder) {
    this.description = builder.description;
    this.parameters = Collections.unmodifiableMap(new TreeMap<>(builder.parameters));
    this.resources = Collections.unmodifiableMap(new TreeMap<>(builder.resources));
    this.outputs = Collections.unmodifiableMap(new TreeMap<>(builder.outputs));
    checkReferences();
  }

  public static Builder builder(String description) {
    return new Builder(description);
  }

  public Map<String, Parameter> parameters() {
    return parameters;
  }

  public Map<String, Resource> resources() {
    return resources;
  }

  public Map<String, Output> outputs() {
    return outputs;
  }

  /** The template as nested maps and lists, in the order it is written. */
  public Map<String, Object> toMap() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("AWSTemplateFormatVersion", FORMAT_VERSION);
    document.put("Description", description);
    Map<String, Object> params = new LinkedHashMap<>();
    parameters.values().forEach(p -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("Type", p.type());
      body.put("Description", p.description());
      body.putAll(new TreeMap<>(p.constraints()));
      params.put(p.logicalId(), body);
    });
    document.put("Parameters", params);
    Map<String, Object> res = new LinkedHashMap<>();
    resources.values().forEach(r -> res.put(r.logicalId(), r.toTemplate()));
    document.put("Resources", res);
    Map<String, Object> outs = new LinkedHashMap<>();
    outputs.values().forEach(o -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("Description", o.description());
      body.put("Value", Canonical.of(o.value()));
      outs.put(o.name(), body);
    });
    document.put("Outputs", outs);
    return document;
  }

  /** Compact JSON, as sent to CloudFormation; the same template always gives the same bytes. */
  public String toJson() {
    return write(COMPACT);
  }

  /** Indented JSON, for people. */
  public String toPrettyJson() {
    return write(PRETTY);
  }

  /** The canonical JSON of any value built for a template (used to fingerprint resources). */
  public static String canonicalJson(Object value) {
    try {
      return COMPACT.writeValueAsString(Canonical.of(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String write(ObjectMapper mapper) {
    try {
      return mapper.writeValueAsString(toMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a template is plain maps and lists and always serialises", e);
    }
  }

  private void checkReferences() {
    List<String> problems = new ArrayList<>();
    resources.values().forEach(r -> {
      collectTargets(r.properties().values()).forEach(t -> checkTarget(r.logicalId(), t, problems));
      r.dependencies().forEach(d -> checkTarget(r.logicalId(), d, problems));
    });
    outputs.values().forEach(o -> collectTargets(List.of(o.value()))
        .forEach(t -> checkTarget("output " + o.name(), t, problems)));
    if (!problems.isEmpty()) {
      throw new IllegalStateException("template refers to things it does not contain: " + problems);
    }
  }

  private void checkTarget(String from, Referenceable target, List<String> problems) {
    Object own = target instanceof Parameter ? parameters.get(target.logicalId()) : resources.get(target.logicalId());
    if (own != target) {
      problems.add(from + " -> " + target.logicalId());
    }
  }

  private static Set<Referenceable> collectTargets(Collection<?> values) {
    Set<Referenceable> found = new java.util.HashSet<>();
    for (Object value : values) {
      if (value instanceof Intrinsic intrinsic) {
        found.addAll(intrinsic.targets());
        if (intrinsic.argument() instanceof Collection<?> args) {
          found.addAll(collectTargets(args));
        }
      } else if (value instanceof Referenceable referenceable) {
        found.add(referenceable);
      } else if (value instanceof Map<?, ?> map) {
        found.addAll(collectTargets(map.values()));
      } else if (value instanceof Collection<?> collection) {
        found.addAll(collectTargets(collection));
      }
    }
    return found;
  }

  /** Collects the template's parts; {@link #build()} checks and freezes them. */
  public static final class Builder {
    private final String description;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final Map<String, Output> outputs = new LinkedHashMap<>();

    private Builder(String description) {
      this.description = description;
    }

    public Builder parameter(Parameter parameter) {
      putUnique(parameters, parameter.logicalId(), parameter);
      return this;
    }

    public Builder resources(Collection<Resource> more) {
      more.forEach(r -> putUnique(resources, r.logicalId(), r));
      return this;
    }

    public Builder output(String name, String description, Object value) {
      putUnique(outputs, name, new Output(name, description, value));
      return this;
    }

    /** Adds these tags to every resource whose type takes tags, sorted by key. */
    public Builder tagAll(Map<String, ?> tags) {
      List<Map<String, Object>> list = new ArrayList<>();
      new TreeMap<>(tags).forEach((key, value) -> list.add(Map.of("Key", key, "Value", value)));
      resources.values().stream().filter(r -> r.type().taggable()).forEach(r -> r.set("Tags", list));
      return this;
    }

    public Template build() {
      return new Template(this);
    }

    private static <T> void putUnique(Map<String, T> map, String key, T value) {
      if (map.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("duplicate logical id " + key);
      }
    }
  }
}
