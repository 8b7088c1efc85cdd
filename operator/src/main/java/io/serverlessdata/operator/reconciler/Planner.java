package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.cloudformation.Change;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import io.serverlessdata.operator.reconciler.Decision.Action;
import io.serverlessdata.operator.reconciler.Decision.Requeue;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides the next step from the spec and what was observed, DESIGN §4 steps 2-6 in order. Pure: it reads,
 * never writes, so every branch is tested without AWS.
 */
final class Planner {

  /** Resource types that hold the user's data: never replaced or removed without the annotation. */
  static final Set<String> DATA_TYPES = Set.of("AWS::DynamoDB::Table", "AWS::S3::Bucket");

  private static final Set<String> FAILED_CREATE = Set.of("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED");

  private Planner() {}

  /**
   * What the planner needs to know.
   *
   * @param stackName the stack's name
   * @param hash the hash of what the spec renders to
   * @param changeSetName the change set's name for this spec and generation
   * @param ownerUid the resource's uid, which the stack's owner tag must carry
   * @param terminationProtection what the spec asks
   * @param readOnly observe only
   * @param adopt take over a stack that is not ours
   * @param allowReplacement the user accepts replacing or removing the table or bucket
   * @param revertDrift the change set to plan is a drift-reverting one ({@code changeSetName} names it)
   * @param prior what the status recorded before this reconcile
   */
  record Input(
      String stackName,
      String hash,
      String changeSetName,
      String ownerUid,
      boolean terminationProtection,
      boolean readOnly,
      boolean adopt,
      boolean allowReplacement,
      boolean revertDrift,
      Prior prior) {}

  /**
   * The parts of the previous status the planner relies on.
   *
   * @param specHash hash of what the stack was last driven to
   * @param changeSetName the last change set planned
   * @param changeSetExecuted whether the operator executed it
   * @param stackId the stack the resource had
   * @param stackStatus the stack's status last seen (or {@code DELETE_IN_PROGRESS} once the operator deleted it)
   * @param adopted whether the stack was adopted
   */
  record Prior(
      Optional<String> specHash,
      Optional<String> changeSetName,
      boolean changeSetExecuted,
      Optional<String> stackId,
      Optional<String> stackStatus,
      boolean adopted) {

    static Prior none() {
      return new Prior(Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), false);
    }

    boolean drivenTo(String hash) {
      return specHash.filter(hash::equals).isPresent();
    }
  }

  static Decision decide(Input in, Observation observed) {
    if (in.readOnly()) {
      return observeOnly(in, observed);
    }
    if (observed.stack().isEmpty()) {
      boolean vanished = in.prior().stackId().isPresent()
          && in.prior().stackStatus().filter(s -> s.startsWith("DELETE_")).isEmpty();
      return Decision.of(new Action.Plan(PlanRequest.Type.CREATE, false, vanished),
          Verdict.progressing("Planning", "planning the creation of stack " + in.stackName()), Requeue.PROGRESS);
    }
    Stack stack = observed.stack().get();
    boolean ours = owns(in.ownerUid(), in.prior().stackId(), stack);
    if (!ours && !in.adopt() && !in.prior().adopted()) {
      return Decision.report(Verdict.terminal("StackNameConflict", "stack " + in.stackName()
          + " already exists and does not belong to this resource; set spec.stackName to another name, or annotate"
          + " the resource " + Annotations.ADOPTION_POLICY + "=adopt to take it over"), Requeue.BLOCKED);
    }
    if (stack.awaitingCreate()) {
      return changeSet(in, observed, PlanRequest.Type.CREATE);
    }
    if (stack.inProgress()) {
      return Decision.report(Verdict.progressing(reasonOf(stack.status()),
          "stack " + in.stackName() + " is " + stack.status()), Requeue.PROGRESS);
    }
    String failure = firstFailure(observed.failures());
    if (FAILED_CREATE.contains(stack.status())) {
      if (in.prior().drivenTo(in.hash())) {
        return Decision.report(Verdict.terminal("CreateFailed", "creating stack " + in.stackName() + " failed ("
            + stack.status() + ")" + failure + "; change the spec to try again"), Requeue.NEVER);
      }
      return Decision.of(new Action.DeleteForRecreate(), Verdict.progressing("RecreatingStack", "stack "
          + in.stackName() + " is " + stack.status() + "; deleting it to create it again from the new spec"),
          Requeue.PROGRESS);
    }
    switch (stack.status()) {
      case "DELETE_FAILED":
        return Decision.of(new Action.DeleteForRecreate(), Verdict.notSynced("DeleteFailed", "deleting stack "
            + in.stackName() + " failed" + failure + "; trying again"), Requeue.BLOCKED);
      case "UPDATE_ROLLBACK_FAILED":
        return Decision.of(new Action.ContinueRollback(), Verdict.progressing("ContinuingRollback", "stack "
            + in.stackName() + " is UPDATE_ROLLBACK_FAILED" + failure + "; continuing the rollback"), Requeue.PROGRESS);
      case "UPDATE_ROLLBACK_COMPLETE":
        if (in.prior().drivenTo(in.hash())) {
          return Decision.report(Verdict.notSynced("UpdateRolledBack", "updating stack " + in.stackName()
              + " failed and was rolled back" + failure + "; change the spec to try again"), Requeue.STEADY);
        }
        return changeSet(in, observed, PlanRequest.Type.UPDATE);
      default:
        if (ours && in.prior().drivenTo(in.hash()) && !in.revertDrift()) {
          if (stack.terminationProtection() != in.terminationProtection()) {
            return Decision.of(new Action.SetTerminationProtection(in.terminationProtection()),
                synced(in, stack), Requeue.STEADY);
          }
          return Decision.report(synced(in, stack), Requeue.STEADY);
        }
        return changeSet(in, observed, PlanRequest.Type.UPDATE);
    }
  }

  /** Plans, inspects or executes the change set of the current spec. */
  private static Decision changeSet(Input in, Observation observed, PlanRequest.Type type) {
    boolean recorded = in.prior().changeSetName().filter(in.changeSetName()::equals).isPresent();
    Optional<ChangeSet> found = observed.changeSet().filter(cs -> cs.name().equals(in.changeSetName()));
    if (!recorded || found.isEmpty()) {
      return Decision.of(new Action.Plan(type, false, false), Verdict.progressing("Planning", "planning "
          + (in.revertDrift() ? "drift-reverting " : "") + "change set " + in.changeSetName() + " for stack "
          + in.stackName()), Requeue.PROGRESS);
    }
    ChangeSet changeSet = found.get();
    switch (changeSet.state()) {
      case PENDING:
        return Decision.report(Verdict.progressing("ChangeSetPending",
            "CloudFormation is computing change set " + changeSet.name()), Requeue.PROGRESS);
      case NO_CHANGES:
        return Decision.of(new Action.AcceptNoChanges(),
            Verdict.synced("Synced", "stack " + in.stackName() + " already matches the spec"), Requeue.STEADY);
      case FAILED:
        if (in.revertDrift()) {
          // the stack still matches the spec; the drift stays, reported in status.drift
          return Decision.of(new Action.AcceptNoChanges(), Verdict.synced("Synced", "stack " + in.stackName()
              + " matches the spec; change set " + changeSet.name() + " could not revert its drift"), Requeue.STEADY);
        }
        return Decision.report(Verdict.terminal("ChangeSetFailed", "change set " + changeSet.name() + " failed: "
            + changeSet.statusReason().orElse("no reason given") + "; change the spec to try again"), Requeue.NEVER);
      case READY:
        List<Change> risky = changeSet.changes().stream()
            .filter(c -> DATA_TYPES.contains(c.resourceType()) && (c.removes() || c.mayReplace()))
            .toList();
        if (!risky.isEmpty() && !in.allowReplacement()) {
          return Decision.report(Verdict.notSynced("ReplacementBlocked", "change set " + changeSet.name()
              + " would " + describe(risky) + ", and the stack would go on with new, empty ones; annotate the"
              + " resource " + Annotations.ALLOW_REPLACEMENT + "=true to go ahead"), Requeue.BLOCKED);
        }
        return Decision.of(new Action.Execute(), Verdict.progressing("Executing", "executing change set "
            + changeSet.name() + " (" + changeSet.changes().size() + " changes)"), Requeue.PROGRESS);
      case EXECUTING:
      case EXECUTED:
      case EXECUTION_FAILED:
        return Decision.of(new Action.RecordExecuted(), Verdict.progressing("Executing",
            "change set " + changeSet.name() + " is " + changeSet.executionStatus()), Requeue.PROGRESS);
      default:
        return Decision.of(new Action.Plan(type, true, false), Verdict.progressing("Planning",
            "change set " + changeSet.name() + " went stale (" + changeSet.executionStatus() + "); planning it again"),
            Requeue.PROGRESS);
    }
  }

  /**
   * Whether a stack is the resource's: its owner tag carries the resource's uid, or — before the tags are on the
   * stack, while its first create is under way — its id is the one the operator's own CREATE change set returned
   * (and a stack that carries another owner's tag is never the resource's, whatever id was recorded). Nothing else
   * observed about a stack proves ownership; adoption is decided by the caller.
   *
   * @param recordedStackId the id the status recorded, written only from the operator's own create or once
   *     ownership was proven
   */
  static boolean owns(String ownerUid, Optional<String> recordedStackId, Stack stack) {
    String owner = stack.tags().get(SpecResolver.OWNER_UID_TAG);
    if (owner != null) {
      return owner.equals(ownerUid);
    }
    return recordedStackId.filter(stack.id()::equals).isPresent();
  }

  private static Decision observeOnly(Input in, Observation observed) {
    if (observed.stack().isEmpty()) {
      return Decision.report(Verdict.notSynced("StackNotFound", "read-only: stack " + in.stackName()
          + " does not exist, and the operator creates nothing in read-only mode"), Requeue.STEADY);
    }
    Stack stack = observed.stack().get();
    if (stack.inProgress()) {
      return Decision.report(Verdict.progressing(reasonOf(stack.status()),
          "read-only: stack " + in.stackName() + " is " + stack.status()), Requeue.PROGRESS);
    }
    if (stack.status().endsWith("_COMPLETE") && !stack.status().contains("ROLLBACK")) {
      return Decision.report(Verdict.synced("ReadOnly", "read-only: observing stack " + in.stackName() + " ("
          + stack.status() + "); the operator changes nothing"), Requeue.STEADY);
    }
    return Decision.report(Verdict.notSynced(reasonOf(stack.status()), "read-only: stack " + in.stackName()
        + " is " + stack.status() + firstFailure(observed.failures())), Requeue.STEADY);
  }

  private static Verdict synced(Input in, Stack stack) {
    return Verdict.synced("Synced", "stack " + in.stackName() + " matches the spec (" + stack.status() + ")");
  }

  private static String describe(List<Change> changes) {
    return changes.stream()
        .map(c -> (c.removes() ? "remove " : "replace ") + c.logicalId() + " (" + c.resourceType() + ")")
        .collect(Collectors.joining(", "));
  }

  /** ": ProcessingTable CREATE_FAILED: reason" of the failure that caused the others, or nothing. */
  static String firstFailure(List<StackEvent> failures) {
    // events come newest first; the first failure in time is the cause, the later ones its consequences
    return failures.stream()
        .filter(e -> e.reason().isPresent() && !e.reason().get().contains("cancelled"))
        .reduce((newer, older) -> older)
        .map(e -> ": " + e.logicalId() + " " + e.status() + ": " + e.reason().get())
        .orElse("");
  }

  /** {@code UPDATE_IN_PROGRESS} becomes {@code UpdateInProgress}. */
  static String reasonOf(String status) {
    StringBuilder reason = new StringBuilder();
    for (String word : status.toLowerCase(java.util.Locale.ROOT).split("_")) {
      reason.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return reason.toString();
  }
}
