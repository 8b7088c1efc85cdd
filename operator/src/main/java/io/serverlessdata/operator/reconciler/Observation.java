package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import java.util.List;
import java.util.Optional;

/**
 * What AWS says about a resource's stack, read once per reconcile.
 *
 * @param stack the stack, if it exists
 * @param failures its last failed events, when it is in a failed or rolled-back state
 * @param changeSet the change set planned for the current spec, when one was recorded and is still there
 */
public record Observation(Optional<Stack> stack, List<StackEvent> failures, Optional<ChangeSet> changeSet) {

  public Observation {
    failures = List.copyOf(failures);
  }

  public static Observation absent() {
    return new Observation(Optional.empty(), List.of(), Optional.empty());
  }
}
