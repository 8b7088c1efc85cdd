package io.serverlessdata.operator.cloudformation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stack drift detection as DescribeStackDriftDetectionStatus reports it.
 *
 * @param id the detection's id, returned by DetectStackDrift
 * @param state whether it is still running, finished or failed
 * @param stackDriftStatus {@code DRIFTED}, {@code IN_SYNC}, {@code UNKNOWN} or {@code NOT_CHECKED}; meaningful
 *     once the detection finished (a failed detection may still report what it could check)
 * @param reason why the detection failed, or CloudFormation's remark on it
 * @param driftedResources how many of the stack's resources drifted
 * @param timestamp when the detection was started or finished, as CloudFormation records it
 */
public record DriftDetection(
    String id, State state, String stackDriftStatus, Optional<String> reason, int driftedResources, Instant timestamp) {

  /** DetectionStatus. */
  public enum State {
    IN_PROGRESS,
    COMPLETE,
    FAILED;

    /** {@code DETECTION_IN_PROGRESS} and the others; anything CloudFormation adds later counts as failed. */
    public static State of(String detectionStatus) {
      return switch (Objects.requireNonNullElse(detectionStatus, "")) {
        case "DETECTION_IN_PROGRESS" -> IN_PROGRESS;
        case "DETECTION_COMPLETE" -> COMPLETE;
        default -> FAILED;
      };
    }
  }

  public DriftDetection {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stackDriftStatus, "stackDriftStatus");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
