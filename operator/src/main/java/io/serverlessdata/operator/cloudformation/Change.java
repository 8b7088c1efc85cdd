package io.serverlessdata.operator.cloudformation;

import java.util.Objects;
import java.util.Optional;

/**
 * One resource change planned by a change set.
 *
 * @param action {@code Add}, {@code Modify}, {@code Remove} (or another action CloudFormation reports)
 * @param logicalId the resource's logical id
 * @param resourceType e.g. {@code AWS::S3::Bucket}
 * @param replacement for a {@code Modify}: {@code True}, {@code False} or {@code Conditional}
 */
public record Change(String action, String logicalId, String resourceType, Optional<String> replacement) {

  public static final String ADD = "Add";
  public static final String MODIFY = "Modify";
  public static final String REMOVE = "Remove";

  public Change {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(logicalId, "logicalId");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(replacement, "replacement");
  }

  /** The resource is deleted: the stack no longer declares it. */
  public boolean removes() {
    return REMOVE.equals(action);
  }

  /** A new physical resource takes the place of the current one. */
  public boolean replaces() {
    return replacement.filter("True"::equals).isPresent();
  }

  /** The resource is or may be replaced, depending on values known only during the update. */
  public boolean mayReplace() {
    return replaces() || replacement.filter("Conditional"::equals).isPresent();
  }
}
