package io.serverlessdata.operator.template.cfn;

import java.util.Map;
import java.util.Set;

/**
 * An intrinsic function call such as {@code {"Ref": "Table"}} or {@code {"Fn::GetAtt": ["Table", "Arn"]}}.
 * Built through {@link Fn}; it remembers the parameters and resources it points at, so that a template
 * can refuse a reference to something it does not contain.
 *
 * @param function the function's name, e.g. {@code Fn::Sub}
 * @param argument its argument, already in template form
 * @param targets the parameters and resources it refers to
 */
public record Intrinsic(String function, Object argument, Set<Referenceable> targets) {

  public Intrinsic {
    targets = Set.copyOf(targets);
  }

  /** The call as it appears in a template. */
  public Map<String, Object> toTemplate() {
    return Map.of(function, argument);
  }
}
