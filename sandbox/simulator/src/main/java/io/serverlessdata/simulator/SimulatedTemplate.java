package io.serverlessdata.simulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A JSON template as CloudFormation reads it: checked on arrival the way CloudFormation checks it (format,
 * sections, {@code null} values, dangling {@code Ref}/{@code Fn::GetAtt}/{@code Fn::Sub}/{@code DependsOn},
 * circular dependencies), with its parameters bound against their constraints and its IAM capabilities.
 */
final class SimulatedTemplate {

  static final int MAX_BODY_BYTES = 51_200;
  static final String CAPABILITY_IAM = "CAPABILITY_IAM";
  static final String CAPABILITY_NAMED_IAM = "CAPABILITY_NAMED_IAM";
  static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
      "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Description", "Metadata",
      "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs");
  private static final Set<String> PARAMETER_TYPES = Set.of("String", "Number", "List<Number>", "CommaDelimitedList");
  private static final Pattern SUB_PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
  private static final Pattern LOGICAL_ID = Pattern.compile("[A-Za-z0-9]+");
  /** IAM resource types, and the property that gives each a custom name (which needs CAPABILITY_NAMED_IAM). */
  private static final Map<String, String> IAM_TYPES = Map.ofEntries(
      Map.entry("AWS::IAM::Role", "RoleName"), Map.entry("AWS::IAM::User", "UserName"),
      Map.entry("AWS::IAM::Group", "GroupName"), Map.entry("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
      Map.entry("AWS::IAM::InstanceProfile", "InstanceProfileName"), Map.entry("AWS::IAM::Policy", ""),
      Map.entry("AWS::IAM::AccessKey", ""), Map.entry("AWS::IAM::UserToGroupAddition", ""),
      Map.entry("AWS::IAM::RolePolicy", ""), Map.entry("AWS::IAM::UserPolicy", ""),
      Map.entry("AWS::IAM::GroupPolicy", ""));

  /**
   * A declared resource with its properties as written (intrinsics unresolved) and its policies.
   *
   * @param deletionPolicy {@code Delete} (the default), {@code Retain}, {@code RetainExceptOnCreate} or
   *     {@code Snapshot} (DeletionPolicy attribute,
   *     https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html)
   * @param updateReplacePolicy {@code Delete} (the default), {@code Retain} or {@code Snapshot}
   */
  record Resource(String logicalId, String type, Map<String, Object> properties, Set<String> dependsOn,
      String deletionPolicy, String updateReplacePolicy) {

    /** Whether deleting the stack (or removing the resource in an update) keeps it. */
    boolean retainedOnDelete() {
      return RETAIN.equals(deletionPolicy) || RETAIN_EXCEPT_ON_CREATE.equals(deletionPolicy);
    }

    /**
     * Whether the rollback of the operation that created it keeps it: only {@code Retain};
     * {@code RetainExceptOnCreate} "does not preserve resources that are deleted from stacks immediately after
     * creation, such as the resources that CloudFormation deletes during rollbacks" (What's New, 2023-07-31).
     */
    boolean retainedOnRollback() {
      return RETAIN.equals(deletionPolicy);
    }

    /** Whether a replacement keeps the old physical resource. */
    boolean retainedOnReplace() {
      return RETAIN.equals(updateReplacePolicy);
    }
  }

  static final String RETAIN = "Retain";
  static final String RETAIN_EXCEPT_ON_CREATE = "RetainExceptOnCreate";
  private static final Set<String> DELETION_POLICIES = Set.of("Delete", RETAIN, RETAIN_EXCEPT_ON_CREATE, "Snapshot");
  private static final Set<String> UPDATE_REPLACE_POLICIES = Set.of("Delete", RETAIN, "Snapshot");

  /** A declared output. */
  record Output(String name, Object value, String description) {}

  private final Optional<String> description;
  private final Map<String, Map<String, Object>> parameters;
  private final Map<String, Resource> resources;
  private final Map<String, Output> outputs;
  private final List<String> order;

  private SimulatedTemplate(Optional<String> description, Map<String, Map<String, Object>> parameters,
      Map<String, Resource> resources, Map<String, Output> outputs, List<String> order) {
    this.description = description;
    this.parameters = parameters;
    this.resources = resources;
    this.outputs = outputs;
    this.order = order;
  }

  /**
   * Reads and checks a template body.
   *
   * @throws SimulatorException a {@code ValidationError} as CloudFormation words it
   */
  static SimulatedTemplate parse(String body) {
    if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
      throw SimulatorException.validation("1 validation error detected: Value at 'templateBody' failed to satisfy"
          + " constraint: Member must have length less than or equal to " + MAX_BODY_BYTES);
    }
    Map<String, Object> document = readJson(body);
    rejectNulls(document, "");
    List<String> unknownSections = document.keySet().stream().filter(s -> !SECTIONS.contains(s)).sorted().toList();
    if (!unknownSections.isEmpty()) {
      throw formatError("Invalid template property or properties " + unknownSections);
    }
    Object version = document.get("AWSTemplateFormatVersion");
    if (version != null && !"2010-09-09".equals(version)) {
      throw formatError("Unsupported template version " + version);
    }
    Map<String, Map<String, Object>> parameters = readParameters(section(document, "Parameters"));
    Map<String, Resource> resources = readResources(section(document, "Resources"));
    Map<String, Output> outputs = readOutputs(section(document, "Outputs"));
    checkReferences(parameters.keySet(), resources, outputs);
    Object description = document.get("Description");
    if (description != null && !(description instanceof String)) {
      throw formatError("[/Description] Description must be a string");
    }
    return new SimulatedTemplate(Optional.ofNullable((String) description), parameters, resources, outputs,
        dependencyOrder(parameters.keySet(), resources));
  }

  /** The template's {@code Description}: ListStacks reports it as a summary's {@code TemplateDescription}. */
  Optional<String> description() {
    return description;
  }

  Map<String, Resource> resources() {
    return resources;
  }

  Map<String, Output> outputs() {
    return outputs;
  }

  /** Logical ids, every resource after the resources it depends on. */
  List<String> order() {
    return order;
  }

  /**
   * The parameters' effective values: the given ones checked against their declarations, defaults for the rest.
   *
   * @throws SimulatorException for unknown parameters, missing values and violated constraints
   */
  Map<String, String> bind(Map<String, String> given) {
    List<String> unknown = given.keySet().stream().filter(k -> !parameters.containsKey(k)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw SimulatorException.validation("Parameters: " + unknown + " do not exist in the template");
    }
    List<String> missing = parameters.entrySet().stream()
        .filter(p -> !given.containsKey(p.getKey()) && !p.getValue().containsKey("Default"))
        .map(Map.Entry::getKey).toList();
    if (!missing.isEmpty()) {
      throw SimulatorException.validation("Parameters: " + missing + " must have values");
    }
    Map<String, String> values = new LinkedHashMap<>();
    parameters.forEach((name, declaration) -> {
      String value = given.containsKey(name) ? given.get(name) : text(declaration.get("Default"));
      checkConstraints(name, declaration, value);
      values.put(name, value);
    });
    return values;
  }

  /**
   * Checks that the caller acknowledged the template's IAM resources.
   *
   * @throws SimulatorException {@code InsufficientCapabilitiesException} when it did not
   */
  void checkCapabilities(Collection<String> capabilities) {
    boolean named = resources.values().stream().anyMatch(r -> {
      String nameProperty = IAM_TYPES.get(r.type());
      return nameProperty != null && !nameProperty.isEmpty() && r.properties().containsKey(nameProperty);
    });
    boolean iam = resources.values().stream().anyMatch(r -> IAM_TYPES.containsKey(r.type()));
    String required = named && !capabilities.contains(CAPABILITY_NAMED_IAM) ? CAPABILITY_NAMED_IAM
        : iam && !capabilities.contains(CAPABILITY_IAM) && !capabilities.contains(CAPABILITY_NAMED_IAM) ? CAPABILITY_IAM
        : null;
    if (required != null) {
      throw new SimulatorException("InsufficientCapabilitiesException", 400, "Requires capabilities : [" + required + "]");
    }
  }

  private static Map<String, Object> readJson(String body) {
    try {
      Object document = JSON.readValue(body, Object.class);
      if (document instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) map;
        return typed;
      }
      throw formatError("JSON not well-formed.");
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      throw formatError("JSON not well-formed."
          + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"));
    }
  }

  private static void rejectNulls(Object value, String path) {
    if (value == null) {
      throw formatError("[" + path + "] 'null' values are not allowed in templates");
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> rejectNulls(item, path + "/" + key));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        rejectNulls(list.get(i), path + "/" + i);
      }
    }
  }

  private static Map<String, Object> section(Map<String, Object> document, String name) {
    Object section = document.getOrDefault(name, Map.of());
    if (!(section instanceof Map<?, ?>)) {
      throw formatError("[/" + name + "] Every " + name + " member must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) section;
    return typed;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> readParameters(Map<String, Object> section) {
    Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
    section.forEach((name, body) -> {
      if (!(body instanceof Map<?, ?> declaration) || !(declaration.get("Type") instanceof String type)) {
        throw formatError("[/Parameters/" + name + "] Every Parameters object must contain a Type member.");
      }
      if (!PARAMETER_TYPES.contains(type) && !type.startsWith("AWS::") && !type.startsWith("List<AWS::")) {
        throw formatError("Unrecognized parameter type: " + type);
      }
      parameters.put(name, (Map<String, Object>) declaration);
    });
    return parameters;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Resource> readResources(Map<String, Object> section) {
    if (section.isEmpty()) {
      throw formatError("At least one Resources member must be defined.");
    }
    Map<String, Resource> resources = new TreeMap<>();
    section.forEach((logicalId, body) -> {
      if (!LOGICAL_ID.matcher(logicalId).matches()) {
        throw formatError("Resource name " + logicalId + " is non alphanumeric.");
      }
      if (!(body instanceof Map<?, ?> declaration) || !(declaration.get("Type") instanceof String type)) {
        throw formatError("[/Resources/" + logicalId + "] Every Resources object must contain a Type member.");
      }
      Object properties = declaration.containsKey("Properties") ? declaration.get("Properties") : Map.of();
      if (!(properties instanceof Map<?, ?>)) {
        throw formatError("[/Resources/" + logicalId + "/Properties] Properties must be an object");
      }
      Object dependsOn = declaration.containsKey("DependsOn") ? declaration.get("DependsOn") : List.of();
      Set<String> dependencies = new TreeSet<>();
      if (dependsOn instanceof String single) {
        dependencies.add(single);
      } else if (dependsOn instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
        list.forEach(d -> dependencies.add((String) d));
      } else {
        throw formatError("[/Resources/" + logicalId + "/DependsOn] DependsOn must be a string or a list of strings");
      }
      String deletionPolicy = policy(logicalId, declaration, "DeletionPolicy", DELETION_POLICIES);
      String updateReplacePolicy = policy(logicalId, declaration, "UpdateReplacePolicy", UPDATE_REPLACE_POLICIES);
      resources.put(logicalId, new Resource(logicalId, type, (Map<String, Object>) properties, dependencies,
          deletionPolicy, updateReplacePolicy));
    });
    return resources;
  }

  private static String policy(String logicalId, Map<?, ?> declaration, String attribute, Set<String> allowed) {
    Object value = declaration.containsKey(attribute) ? declaration.get(attribute) : "Delete";
    if (!(value instanceof String policy) || !allowed.contains(policy)) {
      throw SimulatorException.validation("Template error: " + attribute + " of resource " + logicalId + " must be one of "
          + new TreeSet<>(allowed) + ", got " + value);
    }
    return policy;
  }

  private static Map<String, Output> readOutputs(Map<String, Object> section) {
    Map<String, Output> outputs = new TreeMap<>();
    section.forEach((name, body) -> {
      if (!(body instanceof Map<?, ?> declaration) || !declaration.containsKey("Value")) {
        throw formatError("[/Outputs/" + name + "] Every Outputs member must contain a Value object");
      }
      outputs.put(name, new Output(name, declaration.get("Value"), text(declaration.get("Description"))));
    });
    return outputs;
  }

  private static void checkReferences(Set<String> parameters, Map<String, Resource> resources, Map<String, Output> outputs) {
    Set<String> unresolved = new TreeSet<>();
    for (Resource resource : resources.values()) {
      References found = References.in(resource.properties());
      found.getAtts().stream().filter(r -> !resources.containsKey(r)).findFirst().ifPresent(r -> {
        throw new SimulatorException("ValidationError", 400,
            "Template error: instance of Fn::GetAtt references undefined resource " + r);
      });
      found.refs().stream().filter(r -> unknown(r, parameters, resources)).forEach(unresolved::add);
      resource.dependsOn().stream().filter(d -> !resources.containsKey(d)).forEach(unresolved::add);
    }
    if (!unresolved.isEmpty()) {
      throw formatError("Unresolved resource dependencies " + unresolved + " in the Resources block of the template");
    }
    for (Output output : outputs.values()) {
      References found = References.in(output.value());
      found.refs().stream().filter(r -> unknown(r, parameters, resources)).forEach(unresolved::add);
      found.getAtts().stream().filter(r -> !resources.containsKey(r)).forEach(unresolved::add);
    }
    if (!unresolved.isEmpty()) {
      throw formatError("Unresolved resource dependencies " + unresolved + " in the Outputs block of the template");
    }
  }

  private static boolean unknown(String name, Set<String> parameters, Map<String, Resource> resources) {
    return !parameters.contains(name) && !resources.containsKey(name) && !PSEUDO_PARAMETERS.contains(name);
  }

  /** Kahn's algorithm over Ref, Fn::GetAtt, Fn::Sub and DependsOn, ties broken by logical id. */
  private static List<String> dependencyOrder(Set<String> parameters, Map<String, Resource> resources) {
    Map<String, Set<String>> dependencies = new TreeMap<>();
    resources.values().forEach(r -> {
      References found = References.in(r.properties());
      Set<String> on = new TreeSet<>(r.dependsOn());
      found.refs().stream().filter(resources::containsKey).forEach(on::add);
      on.addAll(found.getAtts());
      on.removeAll(parameters);
      dependencies.put(r.logicalId(), on);
    });
    List<String> order = new ArrayList<>();
    Deque<String> ready = new ArrayDeque<>();
    dependencies.forEach((id, on) -> {
      if (on.isEmpty()) {
        ready.add(id);
      }
    });
    Map<String, Set<String>> waiting = new TreeMap<>();
    dependencies.forEach((id, on) -> {
      if (!on.isEmpty()) {
        waiting.put(id, new TreeSet<>(on));
      }
    });
    while (!ready.isEmpty()) {
      String done = ready.poll();
      order.add(done);
      List<String> unblocked = new ArrayList<>();
      waiting.forEach((id, on) -> {
        if (on.remove(done) && on.isEmpty()) {
          unblocked.add(id);
        }
      });
      unblocked.forEach(id -> {
        waiting.remove(id);
        ready.add(id);
      });
    }
    if (!waiting.isEmpty()) {
      throw SimulatorException.validation("Circular dependency between resources: " + waiting.keySet());
    }
    return order;
  }

  private static void checkConstraints(String name, Map<String, Object> declaration, String value) {
    String type = (String) declaration.get("Type");
    Optional<String> description = Optional.ofNullable(text(declaration.get("ConstraintDescription")));
    String prefix = "Parameter '" + name + "' ";
    if ("Number".equals(type)) {
      BigDecimal number;
      try {
        number = new BigDecimal(value.trim());
      } catch (NumberFormatException e) {
        throw SimulatorException.validation(prefix + "must be a number.");
      }
      BigDecimal min = decimal(declaration.get("MinValue"));
      if (min != null && number.compareTo(min) < 0) {
        throw violation(prefix, description, "must be a number not less than " + min.toPlainString());
      }
      BigDecimal max = decimal(declaration.get("MaxValue"));
      if (max != null && number.compareTo(max) > 0) {
        throw violation(prefix, description, "must be a number not greater than " + max.toPlainString());
      }
    }
    BigDecimal minLength = decimal(declaration.get("MinLength"));
    if (minLength != null && value.length() < minLength.intValue()) {
      throw violation(prefix, description, "must contain at least " + minLength.toPlainString() + " characters");
    }
    BigDecimal maxLength = decimal(declaration.get("MaxLength"));
    if (maxLength != null && value.length() > maxLength.intValue()) {
      throw violation(prefix, description, "must contain at most " + maxLength.toPlainString() + " characters");
    }
    if (declaration.get("AllowedValues") instanceof List<?> allowed
        && allowed.stream().map(SimulatedTemplate::text).noneMatch(value::equals)) {
      throw violation(prefix, description, "must be one of AllowedValues");
    }
    if (declaration.get("AllowedPattern") instanceof String pattern) {
      boolean matches;
      try {
        matches = Pattern.compile(pattern).matcher(value).matches();
      } catch (PatternSyntaxException e) {
        throw SimulatorException.validation(prefix + "has an invalid AllowedPattern: " + pattern);
      }
      if (!matches) {
        throw violation(prefix, description, "must match pattern " + pattern);
      }
    }
  }

  private static SimulatorException violation(String prefix, Optional<String> description, String message) {
    return SimulatorException.validation(prefix + description.map(d -> "failed to satisfy constraint: " + d).orElse(message));
  }

  private static BigDecimal decimal(Object value) {
    return value == null ? null : new BigDecimal(String.valueOf(value));
  }

  private static String text(Object value) {
    return value == null ? null : String.valueOf(value);
  }

  private static SimulatorException formatError(String message) {
    return SimulatorException.validation("Template format error: " + message);
  }

  /** The names an expression refers to. */
  private record References(Set<String> refs, Set<String> getAtts) {

    static References in(Object value) {
      References found = new References(new TreeSet<>(), new TreeSet<>());
      found.collect(value);
      return found;
    }

    private void collect(Object value) {
      if (value instanceof Map<?, ?> map) {
        if (map.size() == 1 && map.containsKey("Ref")) {
          if (!(map.get("Ref") instanceof String target)) {
            throw SimulatorException.validation("Template error: every Ref object must have a single String value.");
          }
          refs.add(target);
        } else if (map.size() == 1 && map.containsKey("Fn::GetAtt")) {
          Object argument = map.get("Fn::GetAtt");
          if (argument instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String target) {
            getAtts.add(target);
          } else if (argument instanceof String dotted && dotted.contains(".")) {
            getAtts.add(dotted.substring(0, dotted.indexOf('.')));
          } else {
            throw SimulatorException.validation(
                "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute");
          }
        } else if (map.size() == 1 && map.containsKey("Fn::Sub")) {
          collectSub(map.get("Fn::Sub"));
        } else {
          map.values().forEach(this::collect);
        }
      } else if (value instanceof List<?> list) {
        list.forEach(this::collect);
      }
    }

    private void collectSub(Object argument) {
      String format;
      Set<String> variables = Set.of();
      if (argument instanceof String text) {
        format = text;
      } else if (argument instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String text
          && list.get(1) instanceof Map<?, ?> map) {
        format = text;
        Set<String> names = new TreeSet<>();
        map.forEach((name, v) -> {
          names.add(String.valueOf(name));
          collect(v);
        });
        variables = names;
      } else {
        throw SimulatorException.validation("Template error: One or more Fn::Sub intrinsic functions don't specify"
            + " expected arguments. Specify a string as first argument, and an optional second argument to specify"
            + " a mapping of values to replace in the string");
      }
      Matcher placeholders = SUB_PLACEHOLDER.matcher(format);
      while (placeholders.find()) {
        String name = placeholders.group(1);
        if (name.startsWith("!") || variables.contains(name)) {
          continue;
        }
        if (name.contains(".")) {
          getAtts.add(name.substring(0, name.indexOf('.')));
        } else {
          refs.add(name);
        }
      }
    }
  }
}
