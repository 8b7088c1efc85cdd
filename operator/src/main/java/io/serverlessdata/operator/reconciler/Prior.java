package io.serverlessdata.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.Rejection;
import io.serverlessdata.operator.cloudformation.StackStatus;
import io.serverlessdata.operator.cloudformation.StackSummary;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the status recorded before this pass, read through typed questions. The status is the operator's memory:
 * everything a pass needs to go on after a restart is in it, and it is written only by {@link StatusReport}.
 *
 * @param status the status as the resource carries it (never changed through this view)
 */
record Prior(ServerlessDataStackStatus status) {

  Prior {
    status = Objects.requireNonNullElseGet(status, ServerlessDataStackStatus::new);
  }

  /** The hash of what the stack was last driven to. */
  Optional<String> specHash() {
    return Optional.ofNullable(status.getSpecHash());
  }

  boolean drivenTo(String hash) {
    return specHash().filter(hash::equals).isPresent();
  }

  /**
   * The id of the stack the resource owns: written only from the operator's own create, or once the owner tag or an
   * adoption proved it, so it proves ownership in turn.
   */
  Optional<String> stackId() {
    return Optional.ofNullable(status.getStackId());
  }

  Optional<StackStatus> stackStatus() {
    return Optional.ofNullable(status.getStackStatus()).map(StackStatus::of);
  }

  Optional<String> stackName() {
    return Optional.ofNullable(status.getStackName());
  }

  /** When CloudFormation last changed the stack as the status describes it. */
  Optional<Instant> stackLastUpdated() {
    return Optional.ofNullable(status.getStackLastUpdatedTime()).map(Instant::parse);
  }

  /** Whether the status already describes the stack as this summary shows it: same status, same last change. */
  boolean describes(StackSummary summary) {
    return stackId().filter(summary.id()::equals).isPresent()
        && stackStatus().filter(summary.status()::equals).isPresent()
        && stackLastUpdated().filter(summary.changedAt()::equals).isPresent();
  }

  /**
   * Whether the status already shows what the summary tells a user: the stack in the same status, and no detection
   * the status records as running ended in it. (A later change within the same status, which {@link #describes}
   * tells apart, is for the pass to find; it changes nothing that {@code kubectl get} shows.)
   */
  boolean shows(StackSummary summary) {
    DriftStatus drift = drift();
    boolean detectionEnded = DriftState.IN_PROGRESS.equals(drift.detectionStatus())
        && DriftState.checkedSinceRecorded(drift, summary.drift());
    return stackStatus().filter(summary.status()::equals).isPresent() && !detectionEnded;
  }

  Optional<ChangeSetStatus> changeSet() {
    return Optional.ofNullable(status.getLastChangeSet());
  }

  /** The recorded change set, when it has this name. */
  Optional<ChangeSetStatus> changeSet(String name) {
    return changeSet().filter(cs -> name.equals(cs.name()));
  }

  DriftStatus drift() {
    return Objects.requireNonNullElseGet(status.getDrift(), DriftStatus::notChecked);
  }

  Optional<Rejection> rejection() {
    return Optional.ofNullable(status.getRejection());
  }

  boolean adopted() {
    return condition(ConditionTypes.ADOPTED).isPresent();
  }

  long observedGeneration() {
    return Objects.requireNonNullElse(status.getObservedGeneration(), -1L);
  }

  List<Condition> conditions() {
    return status.getConditions();
  }

  Optional<Condition> condition(String type) {
    return StatusConditions.find(status.getConditions(), type);
  }
}
