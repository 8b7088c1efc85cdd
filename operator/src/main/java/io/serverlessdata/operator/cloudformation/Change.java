package io.serverlessdata.operator.cloudformation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One resource change planned by a change set.
 *
 * @param action {@code Add}, {@code Modify}, {@code Remove}, {@code Import} (or another action CloudFormation reports)
 * @param logicalId the resource's logical id
 * @param resourceType e.g. {@code AWS::S3::Bucket}
 * @param replacement for a {@code Modify}: {@code True}, {@code False} or {@code Conditional}
 * @param physicalId the resource's physical id, when the change names one (an {@code Import} does)
 * @param properties the properties a {@code Modify} changes, by name (from its details)
 */
public record Change(String action, String logicalId, String resourceType, Optional<String> replacement,
    Optional<String> physicalId, List<String> properties) {

  public static final String ADD = "Add";
  public static final String MODIFY = "Modify";
  public static final String REMOVE = "Remove";
  /** The change set takes an existing resource into the stack (CreateChangeSet with ImportExistingResources). */
  public static final String IMPORT = "Import";

  /** A change without a physical id (one that adds or changes a resource). */
  public Change(String action, String logicalId, String resourceType, Optional<String> replacement) {
    this(action, logicalId, resourceType, replacement, Optional.empty(), List.of());
  }

  /** A change with its physical id and no properties listed. */
  public Change(String action, String logicalId, String resourceType, Optional<String> replacement,
      Optional<String> physicalId) {
    this(action, logicalId, resourceType, replacement, physicalId, List.of());
  }

  public Change {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(logicalId, "logicalId");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(physicalId, "physicalId");
    properties = List.copyOf(properties);
  }

  /** The change set imports an existing resource of the template's name into the stack. */
  public boolean imports() {
    return IMPORT.equals(action);
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
