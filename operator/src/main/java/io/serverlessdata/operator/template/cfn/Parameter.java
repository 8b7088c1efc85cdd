package io.serverlessdata.operator.template.cfn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A template parameter: what differs between two stacks built from the same template.
 *
 * @param logicalId the parameter's name
 * @param type {@code String} or {@code Number}
 * @param description shown in the CloudFormation console
 * @param constraints {@code MinValue}, {@code AllowedPattern}, ... as they appear in the template
 */
public record Parameter(String logicalId, String type, String description, Map<String, Object> constraints)
    implements Referenceable {

  public Parameter {
    constraints = Map.copyOf(constraints);
  }

  public static Parameter string(String logicalId, String description) {
    return new Parameter(logicalId, "String", description, Map.of());
  }

  public static Parameter number(String logicalId, String description) {
    return new Parameter(logicalId, "Number", description, Map.of());
  }

  /** The same parameter with one more constraint, e.g. {@code with("MinValue", 5)}. */
  public Parameter with(String constraint, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(constraints);
    more.put(constraint, value instanceof List<?> list ? List.copyOf(list) : value);
    return new Parameter(logicalId, type, description, more);
  }
}
