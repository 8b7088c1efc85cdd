package io.serverlessdata.operator.cloudformation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stack as ListStacks summarises it: enough to know whether anything changed since the operator last looked
 * (status, reason, last update, drift), not its outputs or tags.
 *
 * @param name the stack's name
 * @param id the stack's id, an ARN unique to this incarnation of the name
 * @param status its status
 * @param statusReason CloudFormation's reason, if any
 * @param creationTime when the stack was created
 * @param lastUpdatedTime when it was last updated, if ever
 * @param deletionTime when it was deleted, for a deleted stack
 * @param drift the last completed drift detection
 */
public record StackSummary(
    String name,
    String id,
    StackStatus status,
    Optional<String> statusReason,
    Instant creationTime,
    Optional<Instant> lastUpdatedTime,
    Optional<Instant> deletionTime,
    DriftInformation drift) {

  public StackSummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusReason, "statusReason");
    Objects.requireNonNull(creationTime, "creationTime");
    Objects.requireNonNull(lastUpdatedTime, "lastUpdatedTime");
    Objects.requireNonNull(deletionTime, "deletionTime");
    Objects.requireNonNull(drift, "drift");
  }

  /** When CloudFormation last changed the stack: its last update, else its creation. */
  public Instant changedAt() {
    return lastUpdatedTime.orElse(creationTime);
  }
}
