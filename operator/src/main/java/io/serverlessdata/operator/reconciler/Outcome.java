package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.RejectedStackOperationException;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import java.time.Instant;
import java.util.Optional;

/**
 * What the act step did this pass: the fourth value of the pass, from which the report records what must survive
 * a restart (the stack id a create returned, the change set planned, the hash the stack is driven to, the detection
 * started).
 *
 * @param stack what became of the stack write
 * @param drift what became of the drift detection to start, if one was due
 */
record Outcome(Stack stack, Drift drift) {

  static final Outcome NOTHING = new Outcome(new Stack.None(), new Drift.None());

  /** What became of the one write to the stack. */
  sealed interface Stack {
    record None() implements Stack {}

    /**
     * A change set was created.
     *
     * @param changeSet as CloudFormation returned it (pending; its stack id is the stack's for a create)
     * @param discarded the change set deleted first, if any
     */
    record Planned(ChangeSet changeSet, PlanRequest.Type type, boolean revertDrift, boolean afterOutOfBandDeletion,
        Optional<String> discarded) implements Stack {}

    /** The change set is executing; {@code summary} lists its first changes. */
    record Executed(String changeSetName, boolean revertDrift, String summary) implements Stack {}

    /** The change set changed nothing (or could not revert drift) and was deleted. */
    record AcceptedNoChanges(String changeSetName, boolean revertDrift, String reason) implements Stack {}

    /** The change set had been executed before; now recorded. */
    record RecordedExecuted(String changeSetName) implements Stack {}

    /** The change set to execute is gone or can no longer be executed: a new one is planned next. */
    record ChangeSetGone(String changeSetName, StackOperationException error) implements Stack {}

    /** The failed stack is being deleted, to be created again. */
    record Deleted(String stackStatus) implements Stack {}

    record ContinuedRollback() implements Stack {}

    record ProtectionSet(boolean enabled) implements Stack {}

    /** CloudFormation refused the write (HTTP 400): sending it again gets the same answer. */
    record Rejected(RejectedStackOperationException error) implements Stack {}
  }

  /** What became of the drift detection to start. */
  sealed interface Drift {
    record None() implements Drift {}

    /** Started: its id, and when. */
    record Started(String detectionId, Instant at) implements Drift {}

    /** The call failed: only drift is affected, and the next attempt backs off. */
    record Failed(StackOperationException error) implements Drift {}
  }
}
