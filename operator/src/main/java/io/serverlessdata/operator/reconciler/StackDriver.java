package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.ResolvedSpec;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.ChangeSetNotFoundException;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.reconciler.Decision.Action;
import io.serverlessdata.operator.template.RenderedStack;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Carries out the planner's one write per reconcile and records it in the status. Every write is safe to
 * repeat: change sets carry deterministic names and the adapter derives client tokens from them.
 */
final class StackDriver {

  private final StackOperations cloudFormation;
  private final EventRecorder events;

  StackDriver(StackOperations cloudFormation, EventRecorder events) {
    this.cloudFormation = cloudFormation;
    this.events = events;
  }

  /**
   * What the writes are about.
   *
   * @param spec the resolved spec
   * @param rendered template, parameters, tags and hash
   * @param changeSetName the change set for this spec and generation
   * @param observed what was observed this pass
   * @param roleArn the service role CloudFormation acts with, if any
   * @param revertDrift the change set is a drift-reverting one ({@code DeploymentMode=REVERT_DRIFT})
   */
  record Target(ResolvedSpec spec, RenderedStack rendered, String changeSetName, Observation observed,
      Optional<String> roleArn, boolean revertDrift) {

    String stackName() {
      return spec.stackName();
    }
  }

  void apply(ServerlessDataStack resource, Action action, Target target) {
    ServerlessDataStackStatus status = resource.getStatus();
    if (action instanceof Action.Plan plan) {
      plan(resource, plan, target);
    } else if (action instanceof Action.Execute) {
      cloudFormation.execute(target.stackName(), target.changeSetName());
      status.setSpecHash(target.rendered().hash());
      StatusWriter.executionStatus(status, "EXECUTE_IN_PROGRESS");
      events.record(resource, EventReason.Executing, "executing change set " + target.changeSetName()
          + target.observed().changeSet().map(StackDriver::summary).orElse(""));
    } else if (action instanceof Action.AcceptNoChanges) {
      discard(target.stackName(), target.changeSetName());
      status.setSpecHash(target.rendered().hash());
    } else if (action instanceof Action.RecordExecuted) {
      status.setSpecHash(target.rendered().hash());
      target.observed().changeSet().ifPresent(cs -> StatusWriter.executionStatus(status, cs.executionStatus()));
    } else if (action instanceof Action.DeleteForRecreate) {
      if (target.observed().stack().map(s -> s.terminationProtection()).orElse(false)) {
        cloudFormation.setTerminationProtection(target.stackName(), false);
      }
      cloudFormation.delete(target.stackName(), target.roleArn());
      status.setStackStatus("DELETE_IN_PROGRESS");
      events.record(resource, EventReason.RecreatingStack, "deleting stack " + target.stackName()
          + " (" + target.observed().stack().map(s -> s.status()).orElse("") + ") to create it again");
    } else if (action instanceof Action.ContinueRollback) {
      cloudFormation.continueUpdateRollback(target.stackName(), target.roleArn());
      events.record(resource, EventReason.ContinuingRollback,
          "stack " + target.stackName() + " was stuck in UPDATE_ROLLBACK_FAILED; continuing the rollback");
    } else if (action instanceof Action.SetTerminationProtection protection) {
      cloudFormation.setTerminationProtection(target.stackName(), protection.enabled());
    }
  }

  private void plan(ServerlessDataStack resource, Action.Plan plan, Target target) {
    ServerlessDataStackStatus status = resource.getStatus();
    if (plan.afterOutOfBandDeletion()) {
      events.record(resource, EventReason.StackDeletedOutOfBand, "stack " + target.stackName()
          + " was deleted without the operator; creating it again (retained data is not reattached)");
    }
    ServerlessDataStackStatus.ChangeSetStatus last = status.getLastChangeSet();
    boolean staleLeftOver = last != null && !last.name().equals(target.changeSetName())
        && (last.executionStatus() == null || !last.executionStatus().startsWith("EXECUTE_"))
        && target.observed().stack().isPresent();
    if (staleLeftOver) {
      discard(target.stackName(), last.name());
    }
    if (plan.replaceObsolete()) {
      discard(target.stackName(), target.changeSetName());
    }
    PlanRequest request = PlanRequest.of(target.stackName(), target.changeSetName(), plan.type(), target.rendered())
        .withRoleArn(target.roleArn())
        .withRevertDrift(target.revertDrift());
    ChangeSet changeSet = cloudFormation.plan(request);
    StatusWriter.changeSet(status, changeSet);
    if (plan.type() == PlanRequest.Type.CREATE && changeSet.stackId() != null) {
      // the id our own create returned: recorded before anything else could, it proves the new stack is ours
      status.setStackId(changeSet.stackId());
    }
    events.record(resource, EventReason.ChangeSetCreated, "planned change set " + changeSet.name() + " ("
        + plan.type() + ") for stack " + target.stackName());
  }

  private void discard(String stackName, String changeSetName) {
    try {
      cloudFormation.deleteChangeSet(stackName, changeSetName);
    } catch (ChangeSetNotFoundException e) {
      // already gone: what discarding wanted
    }
  }

  private static String summary(ChangeSet changeSet) {
    if (changeSet.changes().isEmpty()) {
      return "";
    }
    return ": " + changeSet.changes().stream().limit(10)
        .map(c -> c.action() + " " + c.logicalId() + (c.replaces() ? " (replacement)" : ""))
        .collect(Collectors.joining(", "))
        + (changeSet.changes().size() > 10 ? ", ..." : "");
  }
}
