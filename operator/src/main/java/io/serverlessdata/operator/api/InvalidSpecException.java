package io.serverlessdata.operator.api;

import java.util.List;
import java.util.stream.Collectors;

/** The spec breaks one or more rules; all of them are listed, not just the first. */
public class InvalidSpecException extends Exception {

  private final transient List<Violation> violations;

  public InvalidSpecException(List<Violation> violations) {
    super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
