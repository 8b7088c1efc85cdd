package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PlannedChange;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.ChangeSetNotFoundException;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.RejectedStackOperationException;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.cloudformation.StackSummary;
import io.serverlessdata.operator.reconciler.Decision.Action;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The act step of the pass (docs/architecture.md, "The pass"): carries out the planner's one write to the stack and,
 * when due, starts a drift detection, and returns what it did; it writes no status and records no event (the report
 * does both). Every write is safe to repeat: change sets carry deterministic names, and the adapter derives client
 * request tokens from the ids of the change set or stack incarnation the write is about. A write CloudFormation
 * refuses (HTTP 400) is an outcome, not an exception: sending it again would get the same answer. Throttling and
 * server errors still throw, so the pass is retried with backoff. A failing drift call only affects drift.
 */
final class StackDriver {

  private final StackOperations cloudFormation;

  StackDriver(StackOperations cloudFormation) {
    this.cloudFormation = cloudFormation;
  }

  Outcome act(Decision decision, Target target, Prior prior, Observation observed, Instant now) {
    Outcome.Stack stack;
    try {
      stack = write(decision.action(), target, prior, observed);
    } catch (RejectedStackOperationException e) {
      stack = new Outcome.Stack.Rejected(e);
    }
    Outcome.Drift drift = new Outcome.Drift.None();
    if (decision.drift() == Decision.DriftAction.START) {
      String stackId = observed.stack().orElseThrow().id();
      try {
        drift = new Outcome.Drift.Started(cloudFormation.detectDrift(stackId), now);
      } catch (StackOperationException e) {
        drift = new Outcome.Drift.Failed(e);
      }
    }
    return new Outcome(stack, drift);
  }

  private Outcome.Stack write(Action action, Target target, Prior prior, Observation observed) {
    Optional<StackSummary> stack = observed.stack();
    if (action instanceof Action.Plan plan) {
      stack.ifPresent(s -> plan.discard().ifPresent(changeSet -> discard(s.id(), changeSet)));
      PlanRequest request = PlanRequest.of(target.stackName(), plan.changeSetName(), plan.type(),
              stack.map(StackSummary::id).or(prior::stackId), target.rendered())
          .withRoleArn(target.roleArn())
          .withRevertDrift(plan.revertDrift())
          // a retained table or bucket of this stack's names is imported rather than collided with; the planner
          // inspects every Import before the change set runs
          .withImportExistingResources(plan.type() == PlanRequest.Type.CREATE);
      return new Outcome.Stack.Planned(cloudFormation.plan(request), plan.type(), plan.revertDrift(),
          plan.afterOutOfBandDeletion(), stack.isPresent() ? plan.discard() : Optional.empty());
    }
    if (action instanceof Action.Execute execute) {
      String stackId = stack.orElseThrow().id();
      try {
        cloudFormation.execute(stackId, changeSetId(execute.changeSetName(), prior, observed));
      } catch (ChangeSetNotFoundException e) {
        return new Outcome.Stack.ChangeSetGone(execute.changeSetName(), e);
      } catch (RejectedStackOperationException e) {
        if (e.errorCode().equals("InvalidChangeSetStatus")) {
          return new Outcome.Stack.ChangeSetGone(execute.changeSetName(), e);
        }
        throw e;
      }
      return new Outcome.Stack.Executed(execute.changeSetName(), execute.revertDrift(),
          summary(changes(execute.changeSetName(), prior, observed)));
    }
    if (action instanceof Action.AcceptNoChanges accept) {
      String reason = observed.changeSet().flatMap(ChangeSet::statusReason)
          .or(() -> prior.changeSet(accept.changeSetName()).map(ChangeSetStatus::statusReason))
          .orElse("no changes");
      discard(stack.orElseThrow().id(), changeSetId(accept.changeSetName(), prior, observed));
      return new Outcome.Stack.AcceptedNoChanges(accept.changeSetName(), accept.revertDrift(), reason);
    }
    if (action instanceof Action.RecordExecuted recorded) {
      return new Outcome.Stack.RecordedExecuted(recorded.changeSetName());
    }
    if (action instanceof Action.DeleteForRecreate) {
      String stackId = stack.orElseThrow().id();
      if (observed.described().map(Stack::terminationProtection).orElse(false)) {
        cloudFormation.setTerminationProtection(stackId, false);
      }
      cloudFormation.delete(stackId, attempt(stack.get(), prior, observed), target.roleArn());
      return new Outcome.Stack.Deleted(stack.get().status().name());
    }
    if (action instanceof Action.ContinueRollback) {
      StackSummary failed = stack.orElseThrow();
      cloudFormation.continueUpdateRollback(failed.id(), attempt(failed, prior, observed), target.roleArn());
      return new Outcome.Stack.ContinuedRollback();
    }
    if (action instanceof Action.SetTerminationProtection protection) {
      cloudFormation.setTerminationProtection(stack.orElseThrow().id(), protection.enabled());
      return new Outcome.Stack.ProtectionSet(protection.enabled());
    }
    return new Outcome.Stack.None();
  }

  /**
   * What tells a repair of the stack in its current state from an earlier one: its status and when its current
   * operation last failed (a deletion that failed twice failed at two times).
   */
  static String attempt(StackSummary stack, Prior prior, Observation observed) {
    String failedAt = observed.failures().filter(f -> !f.isEmpty()).map(f -> f.get(0).timestamp().toString())
        .or(() -> prior.status().getFailures().stream().findFirst().map(f -> f.time()))
        .orElse(stack.changedAt().toString());
    return stack.status().name() + "@" + failedAt;
  }

  private void discard(String stackId, String changeSet) {
    try {
      cloudFormation.deleteChangeSet(stackId, changeSet);
    } catch (ChangeSetNotFoundException e) {
      // already gone: what discarding wanted
    }
  }

  /** The change set's id: as described this pass, else as the status recorded it (its name, if no id was recorded). */
  private static String changeSetId(String name, Prior prior, Observation observed) {
    return observed.changeSet().filter(cs -> cs.name().equals(name)).map(ChangeSet::id)
        .or(() -> prior.changeSet(name).map(ChangeSetStatus::id))
        .orElse(name);
  }

  private static List<PlannedChange> changes(String name, Prior prior, Observation observed) {
    return observed.changeSet().filter(cs -> cs.name().equals(name))
        .map(cs -> cs.changes().stream().map(StatusReport::planned).toList())
        .or(() -> prior.changeSet(name).map(ChangeSetStatus::changes))
        .orElse(List.of());
  }

  private static String summary(List<PlannedChange> changes) {
    if (changes.isEmpty()) {
      return "";
    }
    return ": " + changes.stream().limit(10)
        .map(c -> c.action() + " " + c.logicalId() + ("True".equals(c.replacement()) ? " (replacement)" : ""))
        .collect(Collectors.joining(", "))
        + (changes.size() > 10 ? ", ..." : "");
  }
}
