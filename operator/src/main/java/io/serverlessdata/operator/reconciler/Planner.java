package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PlannedChange;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.Rejection;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import io.serverlessdata.operator.cloudformation.StackStatus;
import io.serverlessdata.operator.cloudformation.StackSummary;
import io.serverlessdata.operator.reconciler.Decision.Action;
import io.serverlessdata.operator.reconciler.Decision.DriftAction;
import io.serverlessdata.operator.reconciler.Decision.Requeue;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The plan step of the pass (docs/architecture.md, "The pass"): decides the next write from the target, what the
 * status recorded and what was observed, and whether a drift detection is due. Pure: it reads, never writes, so
 * every branch is tested without AWS.
 */
final class Planner {

  /** Resource types that hold the user's data: never replaced or removed without the annotation. */
  static final Set<String> DATA_TYPES = Set.of("AWS::DynamoDB::Table", "AWS::S3::Bucket");
  /** The reason of a change set waiting for approval; the status shows it in {@code pendingChangeSet}. */
  static final String AWAITING_APPROVAL = "AwaitingApproval";

  private Planner() {}

  /** How busy the operator's AWS call budget is ({@code CallBudget.saturated()}). */
  enum CallLoad {
    /** A call gets its token at once. */
    SPARE,
    /** Calls wait for tokens reserved ahead: a mass create, a restart. */
    SATURATED
  }

  /**
   * What the planner decides from.
   *
   * @param target what the spec asks
   * @param prior what the status recorded
   * @param observed what AWS says now
   * @param settings the operator's pacing (the drift retry base and how long a refused write is not sent again)
   * @param now the operator's clock
   * @param calls whether the operator's AWS calls queue for its budget now
   */
  record Input(Target target, Prior prior, Observation observed, ReconcilerSettings settings, Instant now,
      CallLoad calls) {

    /** The drift as known after this pass's observation. */
    DriftStatus drift() {
      return DriftState.observed(prior.drift(), observed.drift(), now);
    }
  }

  static Decision decide(Input in) {
    Decision decision = stack(in);
    Optional<Rejection> refused = refusedBefore(in).filter(r -> !(decision.action() instanceof Action.None));
    if (refused.isPresent()) {
      // the same write in the same situation gets the same answer: report it, do not send it again
      return Decision.report(rejected(refused.get()), Optional.empty(), Requeue.STEADY);
    }
    boolean checksDrift = decision.verdict().state() == Verdict.State.SYNCED
        && (decision.action() instanceof Action.None || decision.action() instanceof Action.SetTerminationProtection)
        && in.observed().stack().filter(s -> s.status().stable() && !s.status().awaitingCreate()).isPresent();
    if (!checksDrift || driftDue(in).filter(Duration::isZero).isEmpty()) {
      return decision;
    }
    return yieldsToWrites(in) ? decision.withDrift(DriftAction.YIELD) : decision.withDrift(DriftAction.START);
  }

  /**
   * Whether a due drift detection waits because the operator's calls queue for the budget: while many stacks are
   * created at once, their writes go first. Not a detection the user asked for, and not for long: a stack whose last
   * check (or, never checked, whose last change) is two intervals old is checked whatever the load.
   */
  static boolean yieldsToWrites(Input in) {
    if (in.calls() != CallLoad.SATURATED || DriftState.requested(in.drift(), in.target().steering().checkDrift())) {
      return false;
    }
    Optional<Instant> last = Optional.ofNullable(in.drift().lastCheckTime()).map(Instant::parse)
        .or(() -> in.observed().stack().map(StackSummary::changedAt));
    return last.filter(l -> l.plus(in.target().driftInterval().multipliedBy(2)).isAfter(in.now())).isPresent();
  }

  /**
   * Whether aligning a stack's termination protection waits because the operator's calls queue for the budget: while
   * many stacks are created at once, the change sets of the others go first (each stack's create is long, its
   * protection a call). Not for long: a stack that settled a steady interval ago gets it whatever the load.
   */
  static boolean protectionWaits(Input in, StackSummary stack) {
    return in.calls() == CallLoad.SATURATED && stack.changedAt().plus(in.settings().steadyInterval()).isAfter(in.now());
  }

  /**
   * The write CloudFormation refused last time, if nothing changed since: the same spec generation, the stack as it
   * was (or still none), and less than the steady interval ago.
   */
  static Optional<Rejection> refusedBefore(Input in) {
    Optional<String> stackChanged = in.observed().stack().map(s -> s.changedAt().toString());
    return in.prior().rejection()
        .filter(r -> r.generation() != null && r.generation() == in.target().generation())
        .filter(r -> Optional.ofNullable(r.stackLastUpdatedTime()).equals(stackChanged))
        .filter(r -> r.time() != null && Instant.parse(r.time()).plus(in.settings().steadyInterval()).isAfter(in.now()));
  }

  /** The verdict of a refused write: not synced, with AWS's code and message, until something changes. */
  static Verdict rejected(Rejection rejection) {
    return Verdict.notSynced(rejection.reason(), rejection.operation() + ": " + rejection.message()
        + "; CloudFormation refused the request, so it is not sent again until the spec or the stack changes");
  }

  /** How long until a drift detection is due; empty while one runs. */
  static Optional<Duration> driftDue(Input in) {
    return DriftState.untilDue(in.drift(), in.target().driftInterval(), in.target().steering().checkDrift(),
        in.settings().blockedInterval(), in.now());
  }

  private static Decision stack(Input in) {
    Target target = in.target();
    Prior prior = in.prior();
    if (target.steering().readOnly()) {
      return observeOnly(in);
    }
    Optional<StackSummary> observed = in.observed().stack();
    if (observed.isEmpty() || observed.get().status().awaitingCreate()) {
      Optional<String> refused = target.spec().settings().lambda().runtime()
          .refusalForNewStack(LocalDate.ofInstant(in.now(), ZoneOffset.UTC));
      if (refused.isPresent()) {
        return Decision.report(Verdict.terminal("InvalidSpec", refused.get()), Optional.of(EventReason.InvalidSpec),
            Requeue.NEVER);
      }
    }
    if (observed.isEmpty()) {
      boolean vanished = prior.stackId().isPresent()
          && prior.stackStatus().filter(s -> s.name().startsWith("DELETE_")).isEmpty();
      return Decision.of(new Action.Plan(PlanRequest.Type.CREATE, target.changeSetName(), Optional.empty(), false,
          vanished), Verdict.progressing("Planning", "planning the creation of stack " + target.stackName()),
          Optional.empty(), Requeue.PROGRESS);
    }
    StackSummary stack = observed.get();
    if (!owned(in) && !target.steering().adopt() && !prior.adopted()) {
      return Decision.report(Verdict.terminal("StackNameConflict", "stack " + target.stackName()
          + " already exists and does not belong to this resource; set spec.stackName to another name, or annotate"
          + " the resource " + Annotations.ADOPTION_POLICY + "=adopt to take it over"),
          Optional.of(EventReason.StackNameConflict), Requeue.BLOCKED);
    }
    StackStatus status = stack.status();
    Optional<ChangeSetStatus> executing = prior.changeSet()
        .filter(cs -> ChangeSet.EXECUTE_IN_PROGRESS.equals(cs.executionStatus()));
    if (executing.isPresent() && prior.describes(stack)) {
      // executed, and the listing has not seen the stack move yet: nothing to decide until it does (it lists shortly
      // until it sees the stack move or settle, and starts the pass that shows it)
      return Decision.report(Verdict.progressing("Executing", "executing change set " + executing.get().name()
          + " on stack " + target.stackName()), Optional.empty(), Requeue.FOLLOWED);
    }
    if (status.awaitingCreate()) {
      return changeSet(in, PlanRequest.Type.CREATE, target.changeSetName(), false);
    }
    if (status.moving()) {
      // the short listing follows a moving stack; a timer of its own would only hold a place in the queue, where the
      // pass the listing starts when the stack settles would have to wait behind it
      return Decision.report(Verdict.progressing(status.reason(), "stack " + target.stackName() + " is " + status),
          Optional.empty(), Requeue.FOLLOWED);
    }
    String failure = firstFailure(failures(in));
    if (status.failedCreate()) {
      if (prior.drivenTo(target.hash())) {
        return Decision.report(Verdict.terminal("CreateFailed", "creating stack " + target.stackName()
            + " failed (" + status + ")" + failure + "; change the spec to try again"),
            Optional.of(EventReason.CreateFailed), Requeue.NEVER);
      }
      return Decision.of(new Action.DeleteForRecreate(), Verdict.progressing("RecreatingStack", "stack "
          + target.stackName() + " is " + status + "; deleting it to create it again from the new spec"),
          Optional.empty(), Requeue.BLOCKED);
    }
    if (status.equals(StackStatus.DELETE_FAILED)) {
      return Decision.of(new Action.DeleteForRecreate(), Verdict.notSynced("DeleteFailed", "deleting stack "
          + target.stackName() + " failed" + failure + "; trying again"), Optional.of(EventReason.DeleteFailed),
          Requeue.BLOCKED);
    }
    if (status.equals(StackStatus.UPDATE_ROLLBACK_FAILED)) {
      return Decision.of(new Action.ContinueRollback(), Verdict.progressing("ContinuingRollback", "stack "
          + target.stackName() + " is UPDATE_ROLLBACK_FAILED" + failure + "; continuing the rollback"),
          Optional.empty(), Requeue.BLOCKED);
    }
    if (status.equals(StackStatus.UPDATE_ROLLBACK_COMPLETE) && prior.drivenTo(target.hash())
        && !acceptedUnchanged(prior)) {
      return Decision.report(Verdict.notSynced("UpdateRolledBack", "updating stack " + target.stackName()
          + " failed and was rolled back" + failure + "; change the spec to try again"),
          Optional.of(EventReason.UpdateRolledBack), Requeue.STEADY);
    }
    Optional<String> revert = revertChangeSet(in);
    if (prior.drivenTo(target.hash()) && revert.isEmpty()) {
      Optional<Boolean> protection = in.observed().described().map(Stack::terminationProtection);
      boolean protect = target.spec().terminationProtection();
      Verdict synced = Verdict.synced("Synced", "stack " + target.stackName() + " matches the spec (" + status + ")");
      if (protection.filter(p -> p != protect).isPresent()) {
        if (protectionWaits(in, stack)) {
          return Decision.report(Verdict.progressing("ProtectionPending", "stack " + target.stackName()
              + " matches the spec (" + status + "); its termination protection is turned " + (protect ? "on" : "off")
              + " once the operator's AWS calls no longer queue for its budget"), Optional.empty(), Requeue.BLOCKED);
        }
        return Decision.of(new Action.SetTerminationProtection(protect), synced, Optional.of(EventReason.Synced),
            Requeue.STEADY);
      }
      return Decision.report(synced, Optional.of(EventReason.Synced), Requeue.STEADY);
    }
    return changeSet(in, PlanRequest.Type.UPDATE, revert.orElse(target.changeSetName()), revert.isPresent());
  }

  /**
   * Whether the spec was reached without an update: the change set last planned changed nothing, so it was
   * discarded and its spec recorded as the one the stack is driven to. A stack that a failed update left in
   * {@code UPDATE_ROLLBACK_COMPLETE} then matches the spec — the rollback restored exactly what the spec renders, as
   * CloudFormation's answer to that change set said — and is not reported as a rolled-back update of it.
   */
  static boolean acceptedUnchanged(Prior prior) {
    return prior.changeSet()
        .filter(cs -> ChangeSet.DELETED.equals(cs.status()))
        // its reason is the one CloudFormation fails a change set with when it changes nothing
        .filter(cs -> ChangeSet.state("FAILED", Optional.ofNullable(cs.statusReason()), null)
            == ChangeSet.State.NO_CHANGES)
        .isPresent();
  }

  /**
   * Whether the stack is the resource's: by the id the status recorded (written only for a stack the resource owns)
   * or, for a stack this pass described, by its owner tag (see {@link #owns}); a stack under review, which shows no
   * tags, by the owner tag of the CREATE change set of this spec on it.
   */
  static boolean owned(Input in) {
    return owned(in.target(), in.prior(), in.observed());
  }

  static boolean owned(Target target, Prior prior, Observation observed) {
    StackSummary stack = observed.stack().orElseThrow();
    boolean byOwnCreate = stack.status().awaitingCreate() && observed.changeSet()
        .filter(cs -> cs.name().equals(target.changeSetName()) && stack.id().equals(cs.stackId()))
        .filter(cs -> target.ownerUid().equals(cs.tags().get(SpecResolver.OWNER_UID_TAG)))
        .isPresent();
    return byOwnCreate || observed.described()
        .map(described -> owns(target.ownerUid(), prior.stackId(), described))
        .orElseGet(() -> prior.stackId().filter(stack.id()::equals).isPresent());
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

  /**
   * The drift-reverting change set to plan or follow: when the spec asks for {@code Revert}, the last detection
   * found drift on the stack as the spec renders it, and no revert concluded for that detection yet.
   */
  private static Optional<String> revertChangeSet(Input in) {
    DriftStatus drift = in.drift();
    if (!in.target().revertsDrift() || !DriftState.DRIFTED.equals(drift.status())
        || !DriftState.COMPLETE.equals(drift.detectionStatus()) || drift.detectionId() == null
        || !in.prior().drivenTo(in.target().hash())) {
      return Optional.empty();
    }
    String name = in.target().revertChangeSetName(drift.detectionId());
    boolean concluded = in.prior().changeSet(name).map(Planner::state)
        .filter(state -> state.executed() || state == ChangeSet.State.FAILED || state == ChangeSet.State.NO_CHANGES
            || state == ChangeSet.State.DISCARDED)
        .isPresent();
    return concluded ? Optional.empty() : Optional.of(name);
  }

  /** Plans, follows or executes the change set of this name. */
  private static Decision changeSet(Input in, PlanRequest.Type type, String name, boolean revert) {
    Prior prior = in.prior();
    Target target = in.target();
    // the status's record of it, or, if a failed status write lost that, the change set itself as observed
    Optional<ChangeSetStatus> recorded = prior.changeSet(name).or(() -> in.observed().changeSet()
        .filter(cs -> cs.name().equals(name))
        .map(cs -> new ChangeSetStatus(cs.name(), cs.id(), type.name(), target.generation(), cs.status(),
            cs.statusReason().orElse(null), cs.executionStatus(), List.of())));
    Optional<ChangeSet.State> state = recorded.map(cs -> in.observed().changeSet()
        .filter(observed -> observed.name().equals(name)).map(ChangeSet::state).orElse(state(cs)));
    if (recorded.isEmpty() || state.get() == ChangeSet.State.DISCARDED
        || state.get() == ChangeSet.State.UNAVAILABLE) {
      // a change set recorded for another spec and never executed is left over, and one of this name that can no
      // longer be executed is in the way of planning it again: delete either first
      Optional<String> leftOver = prior.changeSet()
          .filter(cs -> cs.name().equals(name) || !state(cs).executed() && state(cs) != ChangeSet.State.DISCARDED
              && state(cs) != ChangeSet.State.FAILED && state(cs) != ChangeSet.State.NO_CHANGES)
          .map(cs -> cs.id() != null ? cs.id() : cs.name());
      return Decision.of(new Action.Plan(type, name, leftOver, revert, false), Verdict.progressing("Planning",
          "planning " + (revert ? "drift-reverting " : "") + "change set " + name + " for stack " + target.stackName()),
          Optional.empty(), Requeue.PROGRESS);
    }
    ChangeSetStatus changeSet = recorded.get();
    List<PlannedChange> changes = in.observed().changeSet().filter(cs -> cs.name().equals(name))
        .map(cs -> cs.changes().stream().map(StatusReport::planned).toList())
        .orElse(changeSet.changes());
    switch (state.get()) {
      case PENDING:
        return Decision.report(Verdict.progressing("ChangeSetPending",
            "CloudFormation is computing change set " + name), Optional.empty(), Requeue.PROGRESS);
      case NO_CHANGES:
        return Decision.of(new Action.AcceptNoChanges(name, revert),
            Verdict.synced("Synced", "stack " + target.stackName() + " already matches the spec"),
            Optional.of(EventReason.Synced), Requeue.STEADY);
      case FAILED:
        if (revert) {
          // the stack still matches the spec; the drift stays, reported in status.drift
          return Decision.of(new Action.AcceptNoChanges(name, true), Verdict.synced("Synced", "stack "
              + target.stackName() + " matches the spec; change set " + name + " could not revert its drift"),
              Optional.of(EventReason.Synced), Requeue.STEADY);
        }
        return Decision.report(Verdict.terminal("ChangeSetFailed", "change set " + name + " failed: "
            + Optional.ofNullable(changeSet.statusReason()).orElse("no reason given") + "; change the spec to try"
            + " again"), Optional.of(EventReason.ChangeSetFailed), Requeue.NEVER);
      case READY:
        List<String> foreign = in.observed().imports().values().stream()
            .map(owner -> foreignData(target, owner))
            .flatMap(Optional::stream)
            .toList();
        if (!foreign.isEmpty() && !target.steering().adoptData()) {
          return Decision.report(Verdict.notSynced("ImportRefused", "change set " + name + " would take over "
              + String.join("; ", foreign) + ", retained when an earlier stack was deleted; nothing is imported or"
              + " deleted. If it is this resource's data, annotate the resource " + Annotations.ADOPT_DATA + "=true to"
              + " import it; otherwise leave it, and choose another spec.resourcePrefix"),
              Optional.of(EventReason.ImportRefused), Requeue.NEVER);
        }
        List<PlannedChange> risky = changes.stream()
            .filter(c -> DATA_TYPES.contains(c.resourceType()) && (removes(c) || mayReplace(c)))
            .toList();
        if (!risky.isEmpty() && !target.steering().allowReplacement()) {
          return Decision.report(Verdict.notSynced("ReplacementBlocked", "change set " + name + " would "
              + describe(risky) + ", and the stack would go on with new, empty ones; annotate the resource "
              + Annotations.ALLOW_REPLACEMENT + "=true to go ahead" + (target.approvesManually()
                  ? " (then approve it: " + approveCommand(target, name) + ")" : "")),
              Optional.of(EventReason.ReplacementBlocked), Requeue.NEVER);
        }
        if (target.approvesManually() && !approved(in, name)) {
          // the approval annotation starts the next pass (ReconcileTriggers): nothing to look at before it
          return Decision.report(awaitingApproval(in, name, changes), Optional.empty(), Requeue.NEVER);
        }
        return Decision.of(new Action.Execute(name, revert), Verdict.progressing("Executing", "executing change set "
            + name + " (" + changes.size() + " changes)"), Optional.empty(), Requeue.FOLLOWED);
      default:
        // executed, but the status did not record it (a restart between the call and the status patch)
        return Decision.of(new Action.RecordExecuted(name), Verdict.progressing("Executing",
            "change set " + name + " was executed"), Optional.empty(), Requeue.PROGRESS);
    }
  }

  /**
   * Whether a person approved this change set: the approval annotation names it, and it is not the one approved and
   * executed before (a change set runs once per approval).
   */
  static boolean approved(Input in, String changeSetName) {
    return in.target().steering().approval().filter(changeSetName::equals).isPresent()
        && !changeSetName.equals(in.prior().status().getLastApproval());
  }

  /**
   * An approval that names neither the change set waiting nor the one approved before: a plan that was replaced
   * (the spec changed while it waited) or a typing error. It is ignored.
   */
  static Optional<String> staleApproval(Target target, Prior prior, String waiting) {
    return target.steering().approval()
        .filter(approval -> !approval.equals(waiting) && !approval.equals(prior.status().getLastApproval()));
  }

  /** What the status says while a change set waits for approval: what it does, and the command that approves it. */
  private static Verdict awaitingApproval(Input in, String name, List<PlannedChange> changes) {
    Target target = in.target();
    String stale = staleApproval(target, in.prior(), name)
        .map(approval -> "; the approval " + Annotations.APPROVE + "=" + approval + " names no change set waiting,"
            + " so it was ignored")
        .orElse("");
    return Verdict.notSynced(AWAITING_APPROVAL, "change set " + name + " waits for approval (spec.changeApproval:"
        + " Manual): " + changes.size() + " change" + (changes.size() == 1 ? "" : "s") + summarize(changes)
        + " to stack " + target.stackName() + ", listed in status.pendingChangeSet" + stale + "; approve it with: "
        + approveCommand(target, name));
  }

  /** The command that approves the change set. */
  static String approveCommand(Target target, String changeSetName) {
    return "kubectl annotate sds " + target.name() + " -n " + target.namespace() + " " + Annotations.APPROVE + "="
        + changeSetName + " --overwrite";
  }

  /** " (Add ApiFunction, Modify ProcessingTable, ...)" of at most five changes. */
  private static String summarize(List<PlannedChange> changes) {
    if (changes.isEmpty()) {
      return "";
    }
    return changes.stream().limit(5).map(c -> c.action() + " " + c.logicalId())
        .collect(Collectors.joining(", ", " (", changes.size() > 5 ? ", ...)" : ")"));
  }

  /**
   * Why a retained table or bucket the change set would import is not known to be this resource's: its ownership
   * tags (the stack tags {@code serverlessdata.io/namespace} and {@code serverlessdata.io/name}, which
   * CloudFormation gave it when a stack of this resource made it) name another resource, or it has none, or they
   * cannot be read. Empty: it is this resource's.
   */
  static Optional<String> foreignData(Target target, Observation.DataOwner owner) {
    String what = ("AWS::DynamoDB::Table".equals(owner.resourceType()) ? "table " : "bucket ") + owner.physicalId();
    if (owner.unreadable().isPresent()) {
      return Optional.of(what + ", whose tags cannot be read (" + owner.unreadable().get() + ")");
    }
    Map<String, String> tags = owner.tags().orElse(Map.of());
    String namespace = tags.get(SpecResolver.OWNER_NAMESPACE_TAG);
    String resource = tags.get(SpecResolver.OWNER_NAME_TAG);
    if (namespace == null || resource == null) {
      return Optional.of(what + ", which carries no " + SpecResolver.OWNER_NAMESPACE_TAG + "/"
          + SpecResolver.OWNER_NAME_TAG + " tags (it was not made by this operator)");
    }
    if (namespace.equals(target.namespace()) && resource.equals(target.name())) {
      return Optional.empty();
    }
    return Optional.of(what + ", which its tags say belongs to " + namespace + "/" + resource);
  }

  private static Decision observeOnly(Input in) {
    Target target = in.target();
    Optional<StackSummary> observed = in.observed().stack();
    if (observed.isEmpty()) {
      return Decision.report(Verdict.notSynced("StackNotFound", "read-only: stack " + target.stackName()
          + " does not exist, and the operator creates nothing in read-only mode"), Optional.empty(), Requeue.STEADY);
    }
    StackStatus status = observed.get().status();
    if (status.moving()) {
      return Decision.report(Verdict.progressing(status.reason(), "read-only: stack " + target.stackName() + " is "
          + status), Optional.empty(), Requeue.FOLLOWED);
    }
    if (status.complete()) {
      return Decision.report(Verdict.synced("ReadOnly", "read-only: observing stack " + target.stackName() + " ("
          + status + "); the operator changes nothing"), Optional.of(EventReason.Synced), Requeue.STEADY);
    }
    return Decision.report(Verdict.notSynced(status.reason(), "read-only: stack " + target.stackName() + " is "
        + status + firstFailure(failures(in))), Optional.empty(), Requeue.STEADY);
  }

  /**
   * The failures that explain the stack's state: the current operation's, read this pass; else, when it has none of
   * its own (a continued rollback), the ones the status recorded.
   */
  private static List<StackEvent> failures(Input in) {
    return in.observed().failures().filter(f -> !f.isEmpty()).orElseGet(() -> in.prior().status().getFailures().stream()
        .map(f -> new StackEvent(Instant.parse(f.time()), f.logicalId(), "", f.resourceStatus(),
            Optional.ofNullable(f.reason())))
        .toList());
  }

  static ChangeSet.State state(ChangeSetStatus recorded) {
    return ChangeSet.state(recorded.status(), Optional.ofNullable(recorded.statusReason()), recorded.executionStatus());
  }

  private static boolean removes(PlannedChange change) {
    return "Remove".equals(change.action());
  }

  private static boolean mayReplace(PlannedChange change) {
    return "True".equals(change.replacement()) || "Conditional".equals(change.replacement());
  }

  private static String describe(List<PlannedChange> changes) {
    return changes.stream()
        .map(c -> (removes(c) ? "remove " : "replace ") + c.logicalId() + " (" + c.resourceType() + ")")
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
}
