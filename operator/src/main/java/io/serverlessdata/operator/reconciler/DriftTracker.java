package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.DriftRemediation;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftedResource;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PropertyDifference;
import io.serverlessdata.operator.cloudformation.DriftDetection;
import io.serverlessdata.operator.cloudformation.RejectedStackOperationException;
import io.serverlessdata.operator.cloudformation.ResourceDrift;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import io.serverlessdata.operator.cloudformation.StackOperations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * DESIGN §4 step 7: drift detection of a synced stack on the spec's schedule. A detection is started on one
 * reconcile and followed on later ones (never waited for); its result goes to {@code status.drift}, the
 * {@code Drifted} condition and an event when it changes. Everything it needs to go on after a restart is in
 * the status: the detection's id and state and the time of the last check.
 *
 * <p>At most one detection runs per interval: the next one is due {@code intervalMinutes} after the last one
 * finished (or failed), and at once only when none describes the stack yet, a drift-reverting change set
 * changed it, or the user asks with a new value of the {@code serverlessdata.io/check-drift} annotation.
 */
final class DriftTracker {

  static final String IN_PROGRESS = "DETECTION_IN_PROGRESS";
  static final String COMPLETE = "DETECTION_COMPLETE";
  static final String FAILED = "DETECTION_FAILED";
  static final String DRIFTED = "DRIFTED";
  static final String IN_SYNC = "IN_SYNC";
  static final String UNKNOWN = "UNKNOWN";

  /** Bounds on what {@code status.drift} holds, so that a large drift cannot overflow the object. */
  static final int MAX_DRIFTED_RESOURCES = 20;
  static final int MAX_DIFFERENCES = 10;
  static final int MAX_VALUE_LENGTH = 256;

  private final StackOperations cloudFormation;
  private final EventRecorder events;

  DriftTracker(StackOperations cloudFormation, EventRecorder events) {
    this.cloudFormation = cloudFormation;
    this.events = events;
  }

  /**
   * Follows the running detection or starts the next one when it is due.
   *
   * @param interval the spec's interval between detections
   * @param requested the value of the {@code serverlessdata.io/check-drift} annotation, if any
   * @param firstLook how soon to look at a detection just started (when one typically ends)
   * @param pollInterval how soon to look again at a detection still running after that
   * @return how soon the resource should be looked at again for drift's sake
   */
  Duration track(ServerlessDataStack resource, String stackName, Duration interval, Optional<String> requested,
      Duration firstLook, Duration pollInterval, Instant now) {
    DriftStatus drift = current(resource.getStatus());
    try {
      return trackOrThrow(resource, stackName, interval, requested, firstLook, pollInterval, now);
    } catch (StackOperationException e) {
      // drift is isolated from the stack's own state: a failing drift call (throttling, a server error, an API that
      // does not implement drift) touches only the Drifted condition, never Synced or Ready
      failed(resource, current(resource.getStatus()), drift.detectionId(), "drift detection could not be followed: "
          + e.errorCode() + ": " + e.describe(), now);
      return interval;
    }
  }

  private Duration trackOrThrow(ServerlessDataStack resource, String stackName, Duration interval,
      Optional<String> requested, Duration firstLook, Duration pollInterval, Instant now) {
    DriftStatus drift = current(resource.getStatus());
    if (IN_PROGRESS.equals(drift.detectionStatus()) && drift.detectionId() != null) {
      drift = follow(resource, stackName, drift, now);
      if (IN_PROGRESS.equals(drift.detectionStatus())) {
        return pollInterval;
      }
    }
    Duration untilDue = untilDue(drift, interval, requested, now);
    if (!untilDue.isZero()) {
      return untilDue;
    }
    try {
      String id = cloudFormation.detectDrift(stackName);
      resource.getStatus().setDrift(new DriftStatus(drift.status(), drift.lastCheckTime(), id, IN_PROGRESS,
          drift.message(), drift.driftedResourceCount(), drift.driftedResources(),
          requested.orElse(drift.checkRequest())));
      return firstLook;
    } catch (RejectedStackOperationException e) {
      // e.g. AccessDenied on the resources' read actions: not worth retrying before the next interval
      failed(resource, drift, drift.detectionId(), "DetectStackDrift was refused: " + e.getMessage(), now);
      return interval;
    }
  }

  /** The spec's interval; when the spec sets none, the operator's default, else the spec's default. */
  static Duration interval(ServerlessDataStack resource, Duration resolved, Optional<Duration> operatorDefault) {
    var detection = resource.getSpec().driftDetection();
    boolean explicit = detection != null && detection.intervalMinutes() != null;
    return explicit ? resolved : operatorDefault.orElse(resolved);
  }

  /**
   * The name of the drift-reverting change set to plan or follow, when the spec asks for {@code Revert}, the last
   * detection found drift on the stack as the spec renders it, and no revert concluded for that detection yet.
   */
  static Optional<String> revertChangeSet(ServerlessDataStackStatus status, DriftRemediation remediation,
      boolean readOnly, String hash, String changeSetName) {
    DriftStatus drift = status.getDrift();
    if (remediation != DriftRemediation.Revert || readOnly || drift == null || !DRIFTED.equals(drift.status())
        || !COMPLETE.equals(drift.detectionStatus()) || drift.detectionId() == null
        || !hash.equals(status.getSpecHash())) {
      return Optional.empty();
    }
    String detection = drift.detectionId().replaceAll("[^a-zA-Z0-9]", "");
    String name = changeSetName + "-revert-" + detection.substring(0, Math.min(8, detection.length()));
    var last = status.getLastChangeSet();
    boolean concluded = last != null && name.equals(last.name()) && ("FAILED".equals(last.status())
        || (last.executionStatus() != null && last.executionStatus().startsWith("EXECUTE_")));
    return concluded ? Optional.empty() : Optional.of(name);
  }

  /**
   * Records what became of the drift-reverting change set this pass: executing it means the drift stands until
   * a new detection, due at once, confirms it is gone; a change set that changes nothing or failed leaves the
   * drift as it is, reported.
   */
  void afterRevertStep(ServerlessDataStack resource, Decision.Action action, String changeSetName,
      Observation observed, Instant now) {
    DriftStatus drift = current(resource.getStatus());
    if (action instanceof Decision.Action.Execute) {
      String message = "reverting the drift with change set " + changeSetName + "; a new detection follows";
      write(resource, new DriftStatus(drift.status(), drift.lastCheckTime(), null, null, message,
          drift.driftedResourceCount(), drift.driftedResources(), drift.checkRequest()), now, "True", "Reverting",
          message);
      events.record(resource, EventReason.RevertingDrift, message);
    } else if (action instanceof Decision.Action.AcceptNoChanges) {
      String reason = observed.changeSet().flatMap(cs -> cs.statusReason()).orElse("no changes");
      String message = "change set " + changeSetName + " could not revert the drift (" + reason
          + "); put the resources back by hand, or change the spec to match them";
      resource.getStatus().setDrift(new DriftStatus(drift.status(), drift.lastCheckTime(), drift.detectionId(),
          drift.detectionStatus(), message, drift.driftedResourceCount(), drift.driftedResources(),
          drift.checkRequest()));
      events.record(resource, EventReason.RevertFailed, message);
    }
  }

  /** A stack that is gone (or not there yet) has no drift. */
  static void forget(ServerlessDataStackStatus status) {
    if (status.getDrift() != null && !"NOT_CHECKED".equals(status.getDrift().status())) {
      status.setDrift(DriftStatus.notChecked());
      status.setConditions(status.getConditions().stream()
          .filter(c -> !ConditionTypes.DRIFTED.equals(c.getType())).toList());
    }
  }

  static DriftStatus current(ServerlessDataStackStatus status) {
    return Objects.requireNonNullElseGet(status.getDrift(), DriftStatus::notChecked);
  }

  private DriftStatus follow(ServerlessDataStack resource, String stackName, DriftStatus drift, Instant now) {
    DriftDetection detection;
    try {
      detection = cloudFormation.driftDetection(drift.detectionId());
    } catch (RejectedStackOperationException e) {
      // CloudFormation keeps detections for a while only: after a long outage of the operator, start again
      return failed(resource, drift, drift.detectionId(), "detection " + drift.detectionId() + " is no longer known ("
          + e.getMessage() + ")", now);
    }
    switch (detection.state()) {
      case IN_PROGRESS:
        return drift;
      case FAILED:
        return failed(resource, drift, detection.id(), "drift detection failed: "
            + detection.reason().orElse("no reason given"), now);
      default:
        List<ResourceDrift> drifted = DRIFTED.equals(detection.stackDriftStatus())
            ? cloudFormation.resourceDrifts(stackName, MAX_DRIFTED_RESOURCES)
            : List.of();
        return finished(resource, drift, detection, drifted, now);
    }
  }

  private DriftStatus finished(ServerlessDataStack resource, DriftStatus before, DriftDetection detection,
      List<ResourceDrift> drifted, Instant now) {
    String driftStatus = detection.stackDriftStatus();
    int count = Math.max(detection.driftedResources(), drifted.size());
    String summary = drifted.stream()
        .map(d -> d.logicalId() + " " + d.driftStatus()
            + (d.differences().isEmpty() ? "" : " (" + d.differences().stream().map(ResourceDrift.Difference::path)
                .collect(Collectors.joining(", ")) + ")"))
        .collect(Collectors.joining(", "));
    String message = DRIFTED.equals(driftStatus)
        ? count + " resource(s) differ from the template: " + summary + (count > drifted.size() ? ", ..." : "")
        : IN_SYNC.equals(driftStatus) ? "every resource matches the template" : "drift status is " + driftStatus;
    DriftStatus after = new DriftStatus(driftStatus, time(now), detection.id(), COMPLETE, message, count,
        drifted.stream().map(DriftTracker::bounded).toList(), before.checkRequest());
    String conditionStatus = DRIFTED.equals(driftStatus) ? "True" : IN_SYNC.equals(driftStatus) ? "False" : "Unknown";
    write(resource, after, now, conditionStatus, DRIFTED.equals(driftStatus) ? "Drifted"
        : IN_SYNC.equals(driftStatus) ? "InSync" : "Unknown", message);

    boolean wasDrifted = DRIFTED.equals(before.status());
    if (DRIFTED.equals(driftStatus) && (!wasDrifted || !logicalIds(before).equals(logicalIds(after)))) {
      events.record(resource, EventReason.DriftDetected, message);
    } else if (IN_SYNC.equals(driftStatus) && wasDrifted) {
      events.record(resource, EventReason.DriftCleared, "the drift is gone: " + message);
    }
    return after;
  }

  private DriftStatus failed(ServerlessDataStack resource, DriftStatus before, String id, String message, Instant now) {
    DriftStatus after = new DriftStatus(UNKNOWN, time(now), id, FAILED, message + "; trying again in the next interval",
        null, List.of(), before.checkRequest());
    write(resource, after, now, "Unknown", "DetectionFailed", after.message());
    events.record(resource, EventReason.DriftDetectionFailed, after.message());
    return after;
  }

  /** Zero when a detection is due now, else the time until it is. */
  static Duration untilDue(DriftStatus drift, Duration interval, Optional<String> requested, Instant now) {
    boolean newRequest = requested.filter(r -> !r.equals(drift.checkRequest())).isPresent();
    if (drift.lastCheckTime() == null || drift.detectionId() == null || newRequest) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(now, Instant.parse(drift.lastCheckTime()).plus(interval));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static void write(ServerlessDataStack resource, DriftStatus drift, Instant now, String conditionStatus,
      String reason, String message) {
    ServerlessDataStackStatus status = resource.getStatus();
    status.setDrift(drift);
    status.setConditions(StatusConditions.with(status.getConditions(), ConditionTypes.DRIFTED, conditionStatus,
        reason, message, Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L), now));
  }

  private static List<String> logicalIds(DriftStatus drift) {
    return Objects.requireNonNullElse(drift.driftedResources(), List.<DriftedResource>of()).stream()
        .map(r -> r.logicalId() + ":" + r.driftStatus()).sorted().toList();
  }

  static DriftedResource bounded(ResourceDrift drift) {
    return new DriftedResource(drift.logicalId(), drift.resourceType(), drift.driftStatus(), drift.differences()
        .stream()
        .limit(MAX_DIFFERENCES)
        .map(d -> new PropertyDifference(d.path(), clip(d.expected()), clip(d.actual()), d.type()))
        .toList());
  }

  private static String clip(String value) {
    return value == null || value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH - 3) + "...";
  }

  private static String time(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
