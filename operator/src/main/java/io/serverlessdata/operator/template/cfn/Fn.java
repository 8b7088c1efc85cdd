package io.serverlessdata.operator.template.cfn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The intrinsic functions the templates use. They take parameter and resource objects, never hand-typed
 * logical ids, so that renaming a resource cannot leave a dangling reference.
 */
public final class Fn {

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

  private Fn() {}

  /** {@code {"Ref": target}}: a parameter's value or a resource's primary identifier. */
  public static Intrinsic ref(Referenceable target) {
    return new Intrinsic("Ref", target.logicalId(), Set.of(target));
  }

  /** {@code {"Ref": "AWS::AccountId"}} and the other pseudo parameters. */
  public static Intrinsic ref(Pseudo pseudo) {
    return new Intrinsic("Ref", pseudo.id(), Set.of());
  }

  /**
   * {@code {"Fn::GetAtt": [resource, attribute]}}.
   *
   * @throws IllegalArgumentException when the resource's type has no such attribute
   */
  public static Intrinsic getAtt(Resource resource, String attribute) {
    if (!resource.type().attributes().contains(attribute)) {
      throw new IllegalArgumentException(resource.type().name() + " has no attribute " + attribute
          + " (it has " + resource.type().attributes() + ")");
    }
    return new Intrinsic("Fn::GetAtt", List.of(resource.logicalId(), attribute), Set.of(resource));
  }

  /**
   * {@code {"Fn::Sub": [format, {name: value, ...}]}}. Every {@code ${name}} in the format must be one of the
   * given variables or a pseudo parameter such as {@code ${AWS::AccountId}}.
   *
   * @param format the string with {@code ${...}} placeholders
   * @param variables alternating names and values; a value is a parameter or resource (taken as its
   *     {@code Ref}), an {@link Intrinsic} or a plain string
   */
  public static Intrinsic sub(String format, Object... variables) {
    if (variables.length % 2 != 0) {
      throw new IllegalArgumentException("Fn::Sub variables come in name/value pairs: " + format);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Set<Referenceable> targets = new HashSet<>();
    for (int i = 0; i < variables.length; i += 2) {
      String name = (String) variables[i];
      Object value = variables[i + 1];
      if (value instanceof Referenceable referenceable) {
        value = ref(referenceable);
      }
      if (value instanceof Intrinsic intrinsic) {
        targets.addAll(intrinsic.targets());
      }
      values.put(name, value);
    }
    Matcher placeholders = SUB_VARIABLE.matcher(format);
    Set<String> used = new HashSet<>();
    while (placeholders.find()) {
      String name = placeholders.group(1);
      if (!name.startsWith("AWS::") && !values.containsKey(name)) {
        throw new IllegalArgumentException("Fn::Sub placeholder ${" + name + "} has no variable in: " + format);
      }
      used.add(name);
    }
    if (!used.containsAll(values.keySet())) {
      throw new IllegalArgumentException("Fn::Sub variables " + values.keySet() + " are not all used in: " + format);
    }
    Object argument = values.isEmpty() ? format : List.of(format, values);
    return new Intrinsic("Fn::Sub", argument, targets);
  }

  /** {@code {"Fn::Join": [delimiter, [parts...]]}}. */
  public static Intrinsic join(String delimiter, Object... parts) {
    Set<Referenceable> targets = new HashSet<>();
    List<Object> values = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Intrinsic intrinsic) {
        targets.addAll(intrinsic.targets());
      }
      values.add(part);
    }
    return new Intrinsic("Fn::Join", List.of(delimiter, values), targets);
  }

  /** CloudFormation's pseudo parameters. */
  public enum Pseudo {
    ACCOUNT_ID("AWS::AccountId"),
    PARTITION("AWS::Partition"),
    REGION("AWS::Region"),
    STACK_NAME("AWS::StackName"),
    URL_SUFFIX("AWS::URLSuffix");

    private final String id;

    Pseudo(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }
}
