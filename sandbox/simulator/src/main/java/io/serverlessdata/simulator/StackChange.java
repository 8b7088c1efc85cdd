package io.serverlessdata.simulator;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of a stack as ListStacks shows it (its {@code StackStatus} and {@code DriftInformation}, see
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSummary.html): a new status, or a drift
 * detection that finished. {@link CloudFormationSimulator#onStackChange} reports them, so that a scale run can tell
 * how long after a change the operator's status showed it.
 *
 * @param stackName the stack's name
 * @param stackId the stack's id
 * @param status the stack's status after the change
 * @param lastDriftCheck the drift information's {@code LastCheckTimestamp} after the change (when the last finished
 *     detection started), empty before the first
 * @param at when the change took effect on the simulator's clock: stacks move lazily, so a change is reported when a
 *     later request makes it due, with the time it was due
 */
public record StackChange(String stackName, String stackId, String status, Optional<Instant> lastDriftCheck,
    Instant at) {

  public StackChange {
    Objects.requireNonNull(stackName, "stackName");
    Objects.requireNonNull(stackId, "stackId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastDriftCheck, "lastDriftCheck");
    Objects.requireNonNull(at, "at");
  }
}
