package io.serverlessdata.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions of a template value ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub},
 * {@code Fn::Join}, {@code Fn::Select}, {@code Fn::Split}, {@code Fn::Base64}) against parameter values,
 * pseudo parameters and whatever the caller says resources stand for: their physical ids once they exist,
 * or placeholders when change sets compare two templates. Other functions stay as they are written.
 */
final class Intrinsics {

  /** What {@code {"Ref": "AWS::NoValue"}} resolves to: the property is dropped. */
  private static final Object NO_VALUE = new Object();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  /** What a resource's {@code Ref} and attributes stand for. */
  interface ResourceValues {
    Object ref(String logicalId);

    Object attribute(String logicalId, String attribute);
  }

  private final Map<String, Object> names;
  private final ResourceValues resources;

  /**
   * @param parameters parameter values by name
   * @param stackName the stack's name, for {@code AWS::StackName}
   * @param stackId the stack's id, for {@code AWS::StackId}
   * @param resources what resources stand for
   */
  Intrinsics(Map<String, String> parameters, String stackName, String stackId, ResourceValues resources) {
    this.names = new LinkedHashMap<>(parameters);
    names.put("AWS::AccountId", SimulatedCloudFormation.ACCOUNT_ID);
    names.put("AWS::Region", SimulatedCloudFormation.REGION);
    names.put("AWS::Partition", "aws");
    names.put("AWS::URLSuffix", "amazonaws.com");
    names.put("AWS::StackName", stackName);
    names.put("AWS::StackId", stackId);
    names.put("AWS::NotificationARNs", List.of());
    names.put("AWS::NoValue", NO_VALUE);
    this.resources = resources;
  }

  /** The value with every intrinsic function it contains evaluated. */
  Object resolve(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (map.size() == 1) {
        Map.Entry<?, ?> only = map.entrySet().iterator().next();
        Object argument = only.getValue();
        switch (String.valueOf(only.getKey())) {
          case "Ref":
            return ref(String.valueOf(argument));
          case "Fn::GetAtt":
            return getAtt(argument);
          case "Fn::Sub":
            return sub(argument);
          case "Fn::Join":
            return join(argument);
          case "Fn::Select":
            return select(argument);
          case "Fn::Split":
            return split(argument);
          case "Fn::Base64":
            return Base64.getEncoder().encodeToString(text(resolve(argument)).getBytes(StandardCharsets.UTF_8));
          default:
            break;
        }
      }
      Map<String, Object> resolved = new LinkedHashMap<>();
      map.forEach((key, item) -> {
        Object itemValue = resolve(item);
        if (itemValue != NO_VALUE) {
          resolved.put(String.valueOf(key), itemValue);
        }
      });
      return resolved;
    }
    if (value instanceof List<?> list) {
      List<Object> resolved = new ArrayList<>();
      list.stream().map(this::resolve).filter(item -> item != NO_VALUE).forEach(resolved::add);
      return resolved;
    }
    return value;
  }

  /** A map of properties with every value resolved. */
  @SuppressWarnings("unchecked")
  Map<String, Object> resolveProperties(Map<String, Object> properties) {
    return (Map<String, Object>) resolve(properties);
  }

  /** An output's value as the string DescribeStacks shows. */
  String resolveText(Object value) {
    return text(resolve(value));
  }

  private Object ref(String name) {
    return names.containsKey(name) ? names.get(name) : resources.ref(name);
  }

  private Object getAtt(Object argument) {
    if (argument instanceof List<?> list) {
      return resources.attribute(String.valueOf(list.get(0)), text(resolve(list.get(1))));
    }
    String dotted = String.valueOf(argument);
    int dot = dotted.indexOf('.');
    return resources.attribute(dotted.substring(0, dot), dotted.substring(dot + 1));
  }

  private String sub(Object argument) {
    String format;
    Map<String, Object> variables = new LinkedHashMap<>();
    if (argument instanceof List<?> list) {
      format = String.valueOf(list.get(0));
      ((Map<?, ?>) list.get(1)).forEach((name, value) -> variables.put(String.valueOf(name), resolve(value)));
    } else {
      format = String.valueOf(argument);
    }
    Matcher placeholders = PLACEHOLDER.matcher(format);
    StringBuilder result = new StringBuilder();
    while (placeholders.find()) {
      String name = placeholders.group(1);
      String replacement;
      if (name.startsWith("!")) {
        replacement = "${" + name.substring(1) + "}";
      } else if (variables.containsKey(name)) {
        replacement = text(variables.get(name));
      } else if (names.containsKey(name)) {
        replacement = text(names.get(name));
      } else if (name.contains(".")) {
        int dot = name.indexOf('.');
        replacement = text(resources.attribute(name.substring(0, dot), name.substring(dot + 1)));
      } else {
        replacement = text(resources.ref(name));
      }
      placeholders.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    placeholders.appendTail(result);
    return result.toString();
  }

  private String join(Object argument) {
    List<?> arguments = (List<?>) argument;
    String delimiter = String.valueOf(arguments.get(0));
    List<String> parts = new ArrayList<>();
    for (Object part : asList(resolve(arguments.get(1)))) {
      parts.add(text(part));
    }
    return String.join(delimiter, parts);
  }

  private Object select(Object argument) {
    List<?> arguments = (List<?>) argument;
    int index = Integer.parseInt(text(resolve(arguments.get(0))));
    return asList(resolve(arguments.get(1))).get(index);
  }

  private List<String> split(Object argument) {
    List<?> arguments = (List<?>) argument;
    return List.of(text(resolve(arguments.get(1))).split(Pattern.quote(String.valueOf(arguments.get(0))), -1));
  }

  private static List<?> asList(Object value) {
    return value instanceof List<?> list ? list : List.of(text(value).split(",", -1));
  }

  private static String text(Object value) {
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(text(item)));
      return String.join(",", items);
    }
    return String.valueOf(value);
  }
}
