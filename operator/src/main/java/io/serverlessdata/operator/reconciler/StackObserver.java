package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PlannedChange;
import io.serverlessdata.operator.cloudformation.AccountData;
import io.serverlessdata.operator.cloudformation.Change;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.ChangeSetNotFoundException;
import io.serverlessdata.operator.cloudformation.DriftDetection;
import io.serverlessdata.operator.cloudformation.RejectedStackOperationException;
import io.serverlessdata.operator.cloudformation.ResourceDrift;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import io.serverlessdata.operator.cloudformation.StackNotFoundException;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.cloudformation.StackSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The observe step of the pass (docs/architecture.md, "The pass"): what AWS says about the resource's stack, read
 * with as few calls as the pass needs. The account's listing ({@link StackListing}) usually has the stack's summary;
 * the stack is described only when the summary is not enough — no summary (a new resource, a stack that vanished or
 * just settled), or a stable stack the status does not describe yet (an operation ended: its outputs), or a new spec
 * generation (termination protection), or a spec not planned yet (the parameters its plan changes). The pending change set is described while CloudFormation computes it, the
 * failed events are read once when the stack enters a failed state, and a running drift detection is taken as
 * completed when the stack's drift information shows a check newer than the status recorded.
 */
final class StackObserver {

  static final int MAX_FAILURES = 5;
  private static final String TABLE = "AWS::DynamoDB::Table";
  static final int MAX_DRIFTED_RESOURCES = 20;

  private final StackOperations cloudFormation;
  private final AccountData account;
  private final Duration detectionTimeout;
  private final Duration requestedFollowUp;

  /**
   * @param detectionTimeout how long a scheduled drift detection may run before its status is asked for directly
   *     (the listing shows a completed one; a failed one may not show)
   * @param requestedFollowUp how long before a detection the user asked for is asked about: its result is awaited
   */
  StackObserver(StackOperations cloudFormation, AccountData account, Duration detectionTimeout,
      Duration requestedFollowUp) {
    this.cloudFormation = cloudFormation;
    this.account = account;
    this.detectionTimeout = detectionTimeout;
    this.requestedFollowUp = requestedFollowUp;
  }

  /**
   * @param listed the stack's summary from the listing, if it has one
   * @param knownAbsent the listing saw no stack of the name (so a resource without a stack need not describe it)
   */
  Observation observe(Target target, Prior prior, Optional<StackSummary> listed, boolean knownAbsent, Instant now) {
    Optional<Stack> described = Optional.empty();
    // a summary of another incarnation than the one the status recorded is not this resource's stack
    Optional<StackSummary> stack = listed.filter(s -> prior.stackId().map(s.id()::equals).orElse(true));
    if (stack.isEmpty()) {
      boolean mayExist = prior.stackId().isPresent() || target.steering().readOnly() || !knownAbsent
          || prior.rejection().isPresent();
      described = mayExist ? describe(target.stackName()) : Optional.empty();
      stack = described.map(Stack::summary);
    } else if (stack.get().status().stable() && (!prior.describes(stack.get())
        || prior.observedGeneration() != target.generation() || unplanned(target, prior))) {
      described = describe(stack.get().id());
      stack = described.map(Stack::summary);
    }
    if (stack.isEmpty()) {
      return Observation.absent();
    }
    StackSummary summary = stack.get();
    Optional<Stack> description = described;
    Optional<ChangeSet> changeSet = pendingChangeSet(prior, summary)
        .or(() -> ownCreateChangeSet(target, prior, description));
    return new Observation(stack, described, changeSet, failures(prior, summary), drift(prior.drift(), summary, now),
        imports(prior, changeSet));
  }

  /**
   * Whether the pass may plan a change set for a spec the stack was not driven to yet (an operator upgrade renders
   * another template for the same generation): the plan shows the parameters it changes, so the stack's current
   * ones are read.
   */
  private static boolean unplanned(Target target, Prior prior) {
    return !prior.drivenTo(target.hash()) && prior.changeSet(target.changeSetName()).isEmpty();
  }

  /**
   * Whose the retained tables and buckets are that the change set to decide on would import: their tags, read only
   * when it has such an import (a stack created again after its predecessor kept its data).
   */
  private Map<String, Observation.DataOwner> imports(Prior prior, Optional<ChangeSet> described) {
    List<PlannedChange> changes = described.filter(cs -> cs.state() == ChangeSet.State.READY)
        .map(cs -> cs.changes().stream().map(StatusReport::planned).toList())
        .or(() -> prior.changeSet().filter(cs -> Planner.state(cs) == ChangeSet.State.READY)
            .map(ChangeSetStatus::changes))
        .orElse(List.of());
    Map<String, Observation.DataOwner> owners = new TreeMap<>();
    for (PlannedChange change : changes) {
      if (!Change.IMPORT.equals(change.action()) || !Planner.DATA_TYPES.contains(change.resourceType())
          || change.physicalId() == null) {
        continue;
      }
      Optional<Map<String, String>> tags = Optional.empty();
      Optional<String> unreadable = Optional.empty();
      try {
        tags = TABLE.equals(change.resourceType()) ? account.tableTags(change.physicalId())
            : account.bucketTags(change.physicalId());
      } catch (RejectedStackOperationException e) {
        unreadable = Optional.of(e.errorCode() + ": " + e.describe());
      }
      owners.put(change.logicalId(), new Observation.DataOwner(change.logicalId(), change.resourceType(),
          change.physicalId(), tags, unreadable));
    }
    return owners;
  }

  private Optional<Stack> describe(String stack) {
    return cloudFormation.describe(stack).filter(s -> !s.status().deleted());
  }

  /**
   * The recorded change set, while CloudFormation computes it: once computed, the status holds what it plans. One
   * recorded as computed without its changes (a plan that found it made already) is described too: no change set is
   * executed, nor its imports checked, before its changes were read.
   */
  private Optional<ChangeSet> pendingChangeSet(Prior prior, StackSummary stack) {
    Optional<ChangeSetStatus> recorded = prior.changeSet()
        .filter(cs -> Planner.state(cs) == ChangeSet.State.PENDING
            || Planner.state(cs) == ChangeSet.State.READY && cs.changes().isEmpty());
    if (recorded.isEmpty() || stack.status().moving()) {
      return Optional.empty();
    }
    try {
      ChangeSetStatus cs = recorded.get();
      return Optional.of(cloudFormation.describeChangeSet(stack.id(), cs.id() != null ? cs.id() : cs.name()));
    } catch (ChangeSetNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * A stack under review shows no tags (CloudFormation applies them when the change set runs), so the owner tag
   * cannot say whose it is; when the status lost the id the operator's create returned (its write failed after the
   * create), the create's change set — this spec's name, carrying the stack tags — still can: read it.
   */
  private Optional<ChangeSet> ownCreateChangeSet(Target target, Prior prior, Optional<Stack> described) {
    Optional<Stack> unproven = described.filter(s -> s.status().awaitingCreate())
        .filter(s -> !s.tags().containsKey(SpecResolver.OWNER_UID_TAG))
        .filter(s -> prior.stackId().filter(s.id()::equals).isEmpty());
    if (unproven.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(cloudFormation.describeChangeSet(unproven.get().id(), target.changeSetName()));
    } catch (ChangeSetNotFoundException e) {
      return Optional.empty();
    }
  }

  /** The current operation's failures, read once: when the stack is in a failed state the status does not show yet. */
  private Optional<List<StackEvent>> failures(Prior prior, StackSummary stack) {
    if (!stack.status().failed() || prior.describes(stack)) {
      return Optional.empty();
    }
    try {
      return Optional.of(cloudFormation.currentOperationFailures(stack.id(), MAX_FAILURES));
    } catch (StackNotFoundException e) {
      return Optional.of(List.of());
    }
  }

  /** What became of the detection the status recorded as running; drift calls never fail the pass. */
  private Observation.Drift drift(DriftStatus recorded, StackSummary stack, Instant now) {
    if (!DriftState.IN_PROGRESS.equals(recorded.detectionStatus()) || recorded.detectionId() == null) {
      return new Observation.Drift.Unchanged();
    }
    try {
      boolean ended = DriftState.checkedSinceRecorded(recorded, stack.drift());
      if (ended && !"UNKNOWN".equals(stack.drift().status())) {
        return completed(stack.id(), stack.drift().status(), stack.drift().lastChecked().orElseThrow(), -1);
      }
      Instant started = Optional.ofNullable(recorded.detectionStartTime()).map(Instant::parse).orElse(Instant.EPOCH);
      Duration timeout = Boolean.TRUE.equals(recorded.requested()) ? requestedFollowUp : detectionTimeout;
      // running and within its timeout: the listing will show its end; ended UNKNOWN or late: ask the detection
      if (!ended && Duration.between(started, now).compareTo(timeout) < 0) {
        return new Observation.Drift.Unchanged();
      }
      DriftDetection detection = cloudFormation.driftDetection(recorded.detectionId());
      return switch (detection.state()) {
        case IN_PROGRESS -> new Observation.Drift.Unchanged();
        case FAILED -> new Observation.Drift.Failed(detection.reason().orElse("no reason given"));
        case COMPLETE -> completed(stack.id(), detection.stackDriftStatus(), detection.timestamp(),
            detection.driftedResources());
      };
    } catch (StackOperationException e) {
      return new Observation.Drift.CallFailed(e);
    }
  }

  private Observation.Drift completed(String stackId, String status, Instant checkedAt, int count) {
    List<ResourceDrift> drifted = DriftState.DRIFTED.equals(status)
        ? cloudFormation.resourceDrifts(stackId, MAX_DRIFTED_RESOURCES)
        : List.of();
    return new Observation.Drift.Completed(status, checkedAt, Math.max(count, drifted.size()), drifted);
  }
}
