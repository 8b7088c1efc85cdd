package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.ResourceDrift;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import io.serverlessdata.operator.cloudformation.StackSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What AWS says about the resource's stack this pass: the second value of the pass. Each part is read only when the
 * pass needs it; what was not read is empty and what the status recorded stands for it.
 *
 * @param stack the stack's latest summary (from the account's listing or from the description), if the stack exists
 * @param described the stack's description, when this pass read one (outputs, tags, termination protection)
 * @param changeSet the recorded, still pending change set, as described this pass
 * @param failures the failed events of the stack's current operation, when this pass read them (it newly failed)
 * @param drift what became of the recorded drift detection
 * @param imports whose the retained tables and buckets are that the change set would import, by logical id
 */
record Observation(Optional<StackSummary> stack, Optional<Stack> described, Optional<ChangeSet> changeSet,
    Optional<List<StackEvent>> failures, Drift drift, Map<String, DataOwner> imports) {

  Observation {
    imports = Map.copyOf(imports);
  }

  Observation(Optional<StackSummary> stack, Optional<Stack> described, Optional<ChangeSet> changeSet,
      Optional<List<StackEvent>> failures, Drift drift) {
    this(stack, described, changeSet, failures, drift, Map.of());
  }

  static Observation absent() {
    return new Observation(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), new Drift.Unchanged());
  }

  /**
   * Whose a retained table or bucket is that the change set would import: what its tags say.
   *
   * @param logicalId the resource in the template
   * @param physicalId its name
   * @param tags its tags; empty when it could not be read ({@code unreadable} says why) or no longer exists
   * @param unreadable why its tags could not be read (access denied: another account's bucket)
   */
  record DataOwner(String logicalId, String resourceType, String physicalId, Optional<Map<String, String>> tags,
      Optional<String> unreadable) {}

  /** What became of a drift detection the status recorded as running. */
  sealed interface Drift {
    /** Nothing new: no detection runs, or it still does. */
    record Unchanged() implements Drift {}

    /**
     * It completed.
     *
     * @param status IN_SYNC, DRIFTED or UNKNOWN
     * @param checkedAt when CloudFormation completed it
     * @param driftedCount how many resources drifted, as the detection counted them
     * @param drifted the resources that drifted (bounded), read only when the stack drifted
     */
    record Completed(String status, Instant checkedAt, int driftedCount, List<ResourceDrift> drifted)
        implements Drift {}

    /** It failed; CloudFormation's reason. */
    record Failed(String reason) implements Drift {}

    /** A drift call failed (throttling, a server error, an API without drift detection): only drift is affected. */
    record CallFailed(StackOperationException error) implements Drift {}
  }
}
