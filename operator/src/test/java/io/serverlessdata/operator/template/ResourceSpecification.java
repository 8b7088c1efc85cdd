package io.serverlessdata.operator.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a template against the CloudFormation resource specification of the npm package
 * {@code @aws-cdk/cfnspec}: resource types, property names and types, required properties, {@code GetAtt}
 * attributes and {@code Ref}/{@code DependsOn}/{@code Fn::Sub} targets; and the values of the
 * {@code DeletionPolicy} and {@code UpdateReplacePolicy} attributes, which the specification does not describe.
 *
 * <p>The package is frozen at specification v117 (spring 2023). Properties AWS added later are listed in
 * {@link #NEWER_THAN_SPEC} with the date they were added; they are the only exceptions.
 */
final class ResourceSpecification {

  /** Property (type.property path) to the date AWS added it to CloudFormation. */
  static final Map<String, String> NEWER_THAN_SPEC = Map.of(
      // Lambda advanced logging controls: https://aws.amazon.com/about-aws/whats-new/2023/11/
      "AWS::Lambda::Function.LoggingConfig", "2023-11-16",
      // Tags on metric alarms (a list of {Key, Value}), documented in the CloudFormation Template Reference,
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html#cfn-cloudwatch-alarm-tags
      // and .../aws-properties-cloudwatch-alarm-tag.html; CloudFormation accepted them from 2024-04-03, when the
      // coverage-roadmap request closed (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/64)
      "AWS::CloudWatch::Alarm.Tags", "2024-04-03");

  /**
   * {@code DeletionPolicy} values, after the DeletionPolicy attribute page of the CloudFormation Template Reference
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html);
   * {@code RetainExceptOnCreate} is CloudFormation's since 2023-07-31
   * (https://aws.amazon.com/about-aws/whats-new/2023/07/aws-cloudformation-deletion-policies-dev-test-cycle/).
   */
  static final Set<String> DELETION_POLICIES = Set.of("Delete", "Retain", "RetainExceptOnCreate", "Snapshot");
  /**
   * {@code UpdateReplacePolicy} values (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html):
   * {@code RetainExceptOnCreate} is not one of them.
   */
  static final Set<String> UPDATE_REPLACE_POLICIES = Set.of("Delete", "Retain", "Snapshot");

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");
  private static final Set<String> PRIMITIVE_NUMBERS = Set.of("Integer", "Long", "Double");

  private final JsonNode resourceTypes;
  private final JsonNode propertyTypes;
  final String version;

  private ResourceSpecification(JsonNode spec) {
    this.resourceTypes = spec.path("ResourceTypes");
    this.propertyTypes = spec.path("PropertyTypes");
    this.version = spec.path("ResourceSpecificationVersion").asText();
  }

  static ResourceSpecification load() throws IOException {
    String location = System.getProperty("sds.cfnspec",
        "cfnspec/node_modules/@aws-cdk/cfnspec/spec/specification.json");
    Path path = Path.of(location);
    if (!Files.exists(path)) {
      throw new IllegalStateException("CloudFormation resource specification not found at " + path.toAbsolutePath()
          + ": run the build through Maven (it runs npm ci in operator/cfnspec)");
    }
    return new ResourceSpecification(new ObjectMapper().readTree(path.toFile()));
  }

  JsonNode resourceType(String type) {
    return resourceTypes.path(type);
  }

  /** Every problem found in the template; empty when it conforms. */
  List<String> validate(JsonNode template) {
    List<String> problems = new ArrayList<>();
    Set<String> parameters = new HashSet<>();
    template.path("Parameters").fieldNames().forEachRemaining(parameters::add);
    JsonNode resources = template.path("Resources");
    Set<String> resourceIds = new HashSet<>();
    resources.fieldNames().forEachRemaining(resourceIds::add);
    Context context = new Context(parameters, resources, problems);

    resources.properties().forEach(entry -> {
      String id = entry.getKey();
      JsonNode resource = entry.getValue();
      String type = resource.path("Type").asText();
      JsonNode spec = resourceTypes.path(type);
      if (spec.isMissingNode()) {
        problems.add(id + ": unknown resource type " + type);
        return;
      }
      checkPolicy(id, "DeletionPolicy", resource.path("DeletionPolicy"), DELETION_POLICIES, problems);
      checkPolicy(id, "UpdateReplacePolicy", resource.path("UpdateReplacePolicy"), UPDATE_REPLACE_POLICIES, problems);
      JsonNode dependsOn = resource.path("DependsOn");
      for (JsonNode target : dependsOn.isArray() ? dependsOn : List.of(dependsOn)) {
        if (!target.isMissingNode() && !resourceIds.contains(target.asText())) {
          problems.add(id + ": DependsOn unknown resource " + target.asText());
        }
      }
      checkProperties(id, type, spec.path("Properties"), resource.path("Properties"), type, context);
    });
    template.path("Outputs").properties().forEach(
        e -> checkValue("Outputs." + e.getKey(), e.getValue().path("Value"), context));
    return problems;
  }

  private static void checkPolicy(String id, String attribute, JsonNode value, Set<String> allowed,
      List<String> problems) {
    if (!value.isMissingNode() && !(value.isTextual() && allowed.contains(value.asText()))) {
      problems.add(id + ": " + attribute + " " + value + " is not one of " + new java.util.TreeSet<>(allowed));
    }
  }

  private void checkProperties(String where, String typeName, JsonNode specProperties, JsonNode values,
      String specPrefix, Context context) {
    specProperties.properties().forEach(p -> {
      if (p.getValue().path("Required").asBoolean() && !values.has(p.getKey())) {
        context.problems.add(where + ": required property " + p.getKey() + " missing");
      }
    });
    values.properties().forEach(v -> {
      String name = v.getKey();
      String path = where + "." + name;
      JsonNode propertySpec = specProperties.path(name);
      if (propertySpec.isMissingNode()) {
        if (!NEWER_THAN_SPEC.containsKey(specPrefix + "." + name)) {
          context.problems.add(path + ": " + typeName + " has no property " + name);
        }
        checkValue(path, v.getValue(), context);
        return;
      }
      checkTyped(path, propertySpec, v.getValue(), specPrefix, context);
    });
  }

  /** Checks a value against a property's declared type. */
  private void checkTyped(String path, JsonNode propertySpec, JsonNode value, String specPrefix, Context context) {
    if (isIntrinsic(value)) {
      checkValue(path, value, context);
      return;
    }
    String primitive = propertySpec.path("PrimitiveType").asText(null);
    if (primitive != null) {
      checkPrimitive(path, primitive, value, context);
      return;
    }
    String type = propertySpec.path("Type").asText();
    if (type.equals("List")) {
      if (!value.isArray()) {
        context.problems.add(path + ": expected a list");
        return;
      }
      int i = 0;
      for (JsonNode item : value) {
        checkItem(path + "[" + i++ + "]", propertySpec, item, specPrefix, context);
      }
    } else if (type.equals("Map")) {
      if (!value.isObject()) {
        context.problems.add(path + ": expected a map");
        return;
      }
      value.properties().forEach(e -> checkItem(path + "." + e.getKey(), propertySpec, e.getValue(), specPrefix, context));
    } else {
      checkStructure(path, type, value, specPrefix, context);
    }
  }

  private void checkItem(String path, JsonNode propertySpec, JsonNode item, String specPrefix, Context context) {
    if (isIntrinsic(item)) {
      checkValue(path, item, context);
      return;
    }
    String primitiveItem = propertySpec.path("PrimitiveItemType").asText(null);
    if (primitiveItem != null) {
      checkPrimitive(path, primitiveItem, item, context);
    } else {
      checkStructure(path, propertySpec.path("ItemType").asText(), item, specPrefix, context);
    }
  }

  private void checkStructure(String path, String typeName, JsonNode value, String specPrefix, Context context) {
    String resourceType = specPrefix.contains(".") ? specPrefix.substring(0, specPrefix.indexOf('.')) : specPrefix;
    String fullName = typeName.equals("Tag") ? "Tag" : resourceType + "." + typeName;
    JsonNode structure = propertyTypes.path(fullName);
    if (structure.isMissingNode()) {
      context.problems.add(path + ": the specification has no property type " + fullName);
      return;
    }
    if (!value.isObject()) {
      context.problems.add(path + ": expected an object of type " + fullName);
      return;
    }
    checkProperties(path, fullName, structure.path("Properties"), value, resourceType, context);
  }

  private void checkPrimitive(String path, String primitive, JsonNode value, Context context) {
    boolean ok = switch (primitive) {
      case "String" -> value.isTextual();
      case "Boolean" -> value.isBoolean() || (value.isTextual() && Set.of("true", "false").contains(value.asText()));
      case "Json" -> value.isObject() || value.isTextual();
      default -> PRIMITIVE_NUMBERS.contains(primitive)
          ? value.isNumber() || (value.isTextual() && value.asText().matches("-?\\d+(\\.\\d+)?"))
          : value.isTextual();
    };
    if (!ok) {
      context.problems.add(path + ": expected " + primitive + ", got " + value);
    }
    checkValue(path, value, context);
  }

  /** Walks any value for intrinsic functions and checks their targets. */
  private void checkValue(String path, JsonNode value, Context context) {
    if (value.isArray()) {
      value.forEach(item -> checkValue(path, item, context));
      return;
    }
    if (!value.isObject()) {
      return;
    }
    if (value.size() == 1 && value.has("Ref")) {
      String target = value.path("Ref").asText();
      if (!target.startsWith("AWS::") && !context.parameters.contains(target) && !context.resources.has(target)) {
        context.problems.add(path + ": Ref to unknown " + target);
      }
      return;
    }
    if (value.size() == 1 && value.has("Fn::GetAtt")) {
      JsonNode args = value.path("Fn::GetAtt");
      String target = args.path(0).asText();
      String attribute = args.path(1).asText();
      JsonNode resource = context.resources.path(target);
      if (resource.isMissingNode()) {
        context.problems.add(path + ": GetAtt of unknown resource " + target);
      } else if (!resourceTypes.path(resource.path("Type").asText()).path("Attributes").has(attribute)) {
        context.problems.add(path + ": " + resource.path("Type").asText() + " has no attribute " + attribute);
      }
      return;
    }
    if (value.size() == 1 && value.has("Fn::Sub")) {
      JsonNode args = value.path("Fn::Sub");
      String format = args.isArray() ? args.path(0).asText() : args.asText();
      JsonNode variables = args.isArray() ? args.path(1) : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      Matcher m = SUB_VARIABLE.matcher(format);
      while (m.find()) {
        String name = m.group(1);
        String base = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        if (!name.startsWith("AWS::") && !variables.has(name) && !context.parameters.contains(base)
            && !context.resources.has(base)) {
          context.problems.add(path + ": Fn::Sub placeholder ${" + name + "} has no target");
        }
      }
      variables.properties().forEach(e -> checkValue(path + ".Fn::Sub." + e.getKey(), e.getValue(), context));
      return;
    }
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      checkValue(path + "." + e.getKey(), e.getValue(), context);
    }
  }

  private static boolean isIntrinsic(JsonNode value) {
    if (!value.isObject() || value.size() != 1) {
      return false;
    }
    String key = value.fieldNames().next();
    return key.equals("Ref") || key.startsWith("Fn::");
  }

  private record Context(Set<String> parameters, JsonNode resources, List<String> problems) {}
}
