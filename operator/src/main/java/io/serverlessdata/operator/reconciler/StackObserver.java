package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.ChangeSetNotFoundException;
import io.serverlessdata.operator.cloudformation.DriftDetection;
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
import java.util.Optional;

/**
 * The observe step of the pass (docs/architecture.md, "The pass"): what AWS says about the resource's stack, read
 * with as few calls as the pass needs. The account's listing ({@link StackListing}) usually has the stack's summary;
 * the stack is described only when the summary is not enough — no summary (a new resource, a stack that vanished or
 * just settled), or a stable stack the status does not describe yet (an operation ended: its outputs), or a new spec
 * generation (termination protection). The pending change set is described while CloudFormation computes it, the
 * failed events are read once when the stack enters a failed state, and a running drift detection is taken as
 * completed when the stack's drift information shows a check newer than the status recorded.
 */
final class StackObserver {

  static final int MAX_FAILURES = 5;
  static final int MAX_DRIFTED_RESOURCES = 20;

  private final StackOperations cloudFormation;
  private final Duration detectionTimeout;
  private final Duration requestedFollowUp;

  /**
   * @param detectionTimeout how long a scheduled drift detection may run before its status is asked for directly
   *     (the listing shows a completed one; a failed one may not show)
   * @param requestedFollowUp how long before a detection the user asked for is asked about: its result is awaited
   */
  StackObserver(StackOperations cloudFormation, Duration detectionTimeout, Duration requestedFollowUp) {
    this.cloudFormation = cloudFormation;
    this.detectionTimeout = detectionTimeout;
    this.requestedFollowUp = requestedFollowUp;
  }

  /**
   * @param listed the stack's summary from the listing, if it has one
   * @param knownAbsent the listing saw no stack of the name (so a resource without a stack need not describe it)
   */
  Observation observe(Target target, Prior prior, Optional<StackSummary> listed, boolean knownAbsent, Instant now) {
    Optional<Stack> described = Optional.empty();
    Optional<StackSummary> stack = listed;
    if (listed.isEmpty()) {
      boolean mayExist = prior.stackId().isPresent() || target.steering().readOnly() || !knownAbsent
          || prior.rejection().isPresent();
      described = mayExist ? describe(target.stackName()) : Optional.empty();
      stack = described.map(Stack::summary);
    } else if (listed.get().status().stable()
        && (!prior.describes(listed.get()) || prior.observedGeneration() != target.generation())) {
      described = describe(listed.get().id());
      stack = described.map(Stack::summary);
    }
    if (stack.isEmpty()) {
      return Observation.absent();
    }
    StackSummary summary = stack.get();
    return new Observation(stack, described, pendingChangeSet(prior, summary), failures(prior, summary),
        drift(prior.drift(), summary, now));
  }

  private Optional<Stack> describe(String stack) {
    return cloudFormation.describe(stack).filter(s -> !s.status().deleted());
  }

  /** The recorded change set, while CloudFormation computes it: once computed, the status holds what it plans. */
  private Optional<ChangeSet> pendingChangeSet(Prior prior, StackSummary stack) {
    Optional<ChangeSetStatus> recorded = prior.changeSet()
        .filter(cs -> ChangeSet.state(cs.status(), Optional.ofNullable(cs.statusReason()), cs.executionStatus())
            == ChangeSet.State.PENDING);
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
      Optional<Instant> before = Optional.ofNullable(recorded.lastCheckTime()).map(Instant::parse);
      Optional<Instant> checked = stack.drift().lastChecked();
      if (checked.isPresent() && before.map(b -> checked.get().isAfter(b)).orElse(true)
          && !"UNKNOWN".equals(stack.drift().status())) {
        return completed(stack.id(), stack.drift().status(), checked.get(), -1);
      }
      boolean endedUnknown = checked.isPresent() && before.map(b -> checked.get().isAfter(b)).orElse(true);
      Instant started = Optional.ofNullable(recorded.detectionStartTime()).map(Instant::parse).orElse(Instant.EPOCH);
      Duration timeout = Boolean.TRUE.equals(recorded.requested()) ? requestedFollowUp : detectionTimeout;
      if (!endedUnknown && Duration.between(started, now).compareTo(timeout) < 0) {
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
