package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.AckResourceMetadata;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PlannedChange;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.StackFailure;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import java.util.List;

/** Copies what was observed and done into the status, and nothing else. */
final class StatusWriter {

  static final String REGION = "us-east-1";
  /** Bounds the status object however large a change set is. */
  static final int MAX_CHANGES = 50;

  private StatusWriter() {}

  /**
   * The stack's identity, status and, once it is complete, its outputs.
   *
   * @param owned whether the resource owns the stack: only then is its id recorded in {@code status.stackId}, which
   *     later passes take as proof of ownership
   */
  static void stack(ServerlessDataStackStatus status, Stack stack, boolean owned) {
    if (owned) {
      status.setStackId(stack.id());
    }
    status.setStackStatus(stack.status());
    status.setStackStatusReason(stack.statusReason().orElse(null));
    status.setAckResourceMetadata(new AckResourceMetadata(stack.id(), accountOf(stack.id()), REGION));
    if (stack.status().endsWith("_COMPLETE") && !stack.outputs().isEmpty()) {
      status.setOutputs(stack.outputs());
    }
  }

  static void noStack(ServerlessDataStackStatus status) {
    status.setStackStatus(null);
    status.setStackStatusReason(null);
  }

  static void failures(ServerlessDataStackStatus status, List<StackEvent> events) {
    status.setFailures(events.stream()
        .map(e -> new StackFailure(e.timestamp().toString(), e.logicalId(), e.status(), e.reason().orElse(null)))
        .toList());
  }

  static void changeSet(ServerlessDataStackStatus status, ChangeSet changeSet) {
    status.setLastChangeSet(new ChangeSetStatus(changeSet.name(), changeSet.status(), changeSet.executionStatus(),
        changeSet.changes().stream().limit(MAX_CHANGES)
            .map(c -> new PlannedChange(c.action(), c.logicalId(), c.resourceType(), c.replacement().orElse(null)))
            .toList()));
  }

  static void executionStatus(ServerlessDataStackStatus status, String executionStatus) {
    ChangeSetStatus last = status.getLastChangeSet();
    status.setLastChangeSet(new ChangeSetStatus(last.name(), last.status(), executionStatus, last.changes()));
  }

  /** The account id in {@code arn:aws:cloudformation:us-east-1:123456789012:stack/...}. */
  static String accountOf(String arn) {
    String[] parts = arn.split(":");
    return parts.length > 4 ? parts[4] : null;
  }
}
