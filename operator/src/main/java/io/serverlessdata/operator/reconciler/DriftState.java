package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftedResource;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PropertyDifference;
import io.serverlessdata.operator.cloudformation.DriftInformation;
import io.serverlessdata.operator.cloudformation.ResourceDrift;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The drift schedule and the drift status as pure functions of what was recorded, observed and done (drift
 * detection of a synced stack, docs/architecture.md "Drift"). Everything a restart needs is in {@code status.drift}:
 * the running detection's id and start, the last result and check, the last {@code check-drift} request acted on, and
 * how many drift calls failed in a row.
 *
 * <p>Schedule: a detection is due {@code intervalMinutes} after the last one started; at once before the first
 * one, after a drift-reverting change set ran (a new detection confirms the drift is gone), and when the user asks
 * with a new value of {@code serverlessdata.io/check-drift}. After a failed drift call the next attempt backs off
 * (the retry base doubling per failure, up to the interval); a detection that itself failed is tried again in the
 * next interval.
 */
final class DriftState {

  static final String IN_PROGRESS = "DETECTION_IN_PROGRESS";
  static final String COMPLETE = "DETECTION_COMPLETE";
  static final String FAILED = "DETECTION_FAILED";
  static final String DRIFTED = "DRIFTED";
  static final String IN_SYNC = "IN_SYNC";

  /** Bounds on what {@code status.drift} holds, so that a large drift cannot overflow the object. */
  static final int MAX_DIFFERENCES = 10;
  static final int MAX_VALUE_LENGTH = 256;

  private DriftState() {}

  /** The drift as known after this pass observed what became of the recorded detection. */
  static DriftStatus observed(DriftStatus recorded, Observation.Drift drift, Instant now) {
    if (drift instanceof Observation.Drift.Completed completed) {
      int count = completed.driftedCount();
      String summary = completed.drifted().stream()
          .map(d -> d.logicalId() + " " + d.driftStatus() + (d.differences().isEmpty() ? ""
              : " (" + d.differences().stream().map(ResourceDrift.Difference::path).collect(Collectors.joining(", "))
                  + ")"))
          .collect(Collectors.joining(", "));
      String message = DRIFTED.equals(completed.status())
          ? count + " resource(s) differ from the template: " + summary
              + (count > completed.drifted().size() ? ", ..." : "")
          : IN_SYNC.equals(completed.status()) ? "every resource matches the template"
              : "drift status is " + completed.status();
      // CloudFormation's time, to the millisecond: a later detection is recognised by a later one
      return recorded.completed(completed.status(), completed.checkedAt().toString(), message, count,
          completed.drifted().stream().map(DriftState::bounded).toList());
    }
    if (drift instanceof Observation.Drift.Failed failed) {
      return recorded.failed("drift detection failed: " + failed.reason() + "; trying again in the next interval");
    }
    if (drift instanceof Observation.Drift.CallFailed call) {
      return callFailed(recorded, call.error(), recorded.checkRequest(), now);
    }
    return recorded;
  }

  /**
   * A drift call failed: the result is unknown, and the next attempt backs off.
   *
   * @param request the {@code check-drift} request the attempt was for
   */
  static DriftStatus callFailed(DriftStatus recorded, StackOperationException error, String request, Instant now) {
    int attempts = Objects.requireNonNullElse(recorded.failedAttempts(), 0) + 1;
    return recorded.callFailed(time(now), "drift detection could not be started or followed: " + error.errorCode()
        + ": " + error.describe() + " (attempt " + attempts + ", backing off)", attempts, request);
  }

  /**
   * Whether the stack's listed drift information shows a check that ended after the last one the status recorded (or
   * any, when it recorded none): the detection the status records as running has ended.
   */
  static boolean checkedSinceRecorded(DriftStatus recorded, DriftInformation listed) {
    Optional<Instant> before = Optional.ofNullable(recorded.lastCheckTime()).map(Instant::parse);
    return listed.lastChecked().filter(checked -> before.map(checked::isAfter).orElse(true)).isPresent();
  }

  /** Whether the check-drift annotation asks for a detection not acted on yet. */
  static boolean requested(DriftStatus drift, Optional<String> requested) {
    return requested.filter(r -> !r.equals(drift.checkRequest())).isPresent();
  }

  /** Zero when a detection is due now, else the time until it is; empty while one runs. */
  static Optional<Duration> untilDue(DriftStatus drift, Duration interval, Optional<String> requested,
      Duration retryBase, Instant now) {
    if (IN_PROGRESS.equals(drift.detectionStatus()) && drift.detectionId() != null) {
      return Optional.empty();
    }
    if (requested(drift, requested)) {
      return Optional.of(Duration.ZERO);
    }
    Optional<Instant> started = Optional.ofNullable(drift.detectionStartTime()).map(Instant::parse);
    int failures = Objects.requireNonNullElse(drift.failedAttempts(), 0);
    if (failures > 0) {
      Duration backoff = retryBase.multipliedBy(1L << Math.min(failures - 1, 20));
      return Optional.of(left(started.orElse(now).plus(backoff.compareTo(interval) < 0 ? backoff : interval), now));
    }
    if (drift.detectionId() == null || started.isEmpty()) {
      return Optional.of(Duration.ZERO);
    }
    return Optional.of(left(started.get().plus(interval), now));
  }

  /**
   * A drift-reverting change set was executed for the last detection's drift: the drift stands until a new
   * detection, due at once, confirms it is gone.
   */
  static DriftStatus reverting(DriftStatus drift, String changeSetName) {
    return drift.reverting("reverting the drift with change set " + changeSetName + "; a new detection follows");
  }

  /** A drift-reverting change set could not revert the drift: it stands, reported, until the next detection. */
  static DriftStatus notReverted(DriftStatus drift, String changeSetName, String reason) {
    return drift.withMessage("change set " + changeSetName + " could not revert the drift (" + reason
        + "); put the resources back by hand, or change the spec to match them");
  }

  /** The condition status of {@code Drifted}: True, False or Unknown. */
  static String conditionStatus(DriftStatus drift) {
    return DRIFTED.equals(drift.status()) ? "True" : IN_SYNC.equals(drift.status()) ? "False" : "Unknown";
  }

  /** The condition reason of {@code Drifted}. */
  static String conditionReason(DriftStatus drift) {
    if (FAILED.equals(drift.detectionStatus())) {
      return "DetectionFailed";
    }
    return DRIFTED.equals(drift.status()) ? drift.detectionId() == null ? "Reverting" : "Drifted"
        : IN_SYNC.equals(drift.status()) ? "InSync" : "Unknown";
  }

  /** Whether the drift has a result worth a {@code Drifted} condition (a detection completed or failed). */
  static boolean reported(DriftStatus drift) {
    return drift.status() != null && !"NOT_CHECKED".equals(drift.status());
  }

  static List<String> logicalIds(DriftStatus drift) {
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

  private static Duration left(Instant due, Instant now) {
    Duration left = Duration.between(now, due);
    return left.isNegative() ? Duration.ZERO : left;
  }

  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
