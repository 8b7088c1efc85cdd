package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.ChangeSetNotFoundException;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import io.serverlessdata.operator.cloudformation.StackNotFoundException;
import io.serverlessdata.operator.cloudformation.StackOperations;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the stack (and, when it matters, its failures and the pending change set) from CloudFormation. */
final class StackObserver {

  static final int MAX_FAILURES = 5;
  /** Statuses worth reading the failed events for. */
  private static final Set<String> FAILED_STATES = Set.of(
      "CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED",
      "UPDATE_FAILED", "DELETE_FAILED", "IMPORT_ROLLBACK_COMPLETE", "IMPORT_ROLLBACK_FAILED");

  private final StackOperations cloudFormation;

  StackObserver(StackOperations cloudFormation) {
    this.cloudFormation = cloudFormation;
  }

  /**
   * @param stackName the stack to read
   * @param pendingChangeSet the change set recorded for the current spec and not executed yet, if any
   */
  Observation observe(String stackName, Optional<String> pendingChangeSet) {
    Optional<Stack> stack = cloudFormation.describe(stackName).filter(s -> !s.deleted());
    if (stack.isEmpty()) {
      return Observation.absent();
    }
    List<StackEvent> failures = FAILED_STATES.contains(stack.get().status())
        ? failures(stackName)
        : List.of();
    Optional<ChangeSet> changeSet = stack.get().stable() || stack.get().awaitingCreate()
        ? pendingChangeSet.flatMap(name -> changeSet(stackName, name))
        : Optional.empty();
    return new Observation(stack, failures, changeSet);
  }

  private List<StackEvent> failures(String stackName) {
    try {
      return cloudFormation.failedEvents(stackName, MAX_FAILURES);
    } catch (StackNotFoundException e) {
      return List.of();
    }
  }

  private Optional<ChangeSet> changeSet(String stackName, String name) {
    try {
      return Optional.of(cloudFormation.describeChangeSet(stackName, name));
    } catch (ChangeSetNotFoundException e) {
      return Optional.empty();
    }
  }
}
