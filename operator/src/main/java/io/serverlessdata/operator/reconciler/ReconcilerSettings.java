package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.SpecDefaults;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the reconciler paces itself and what it assumes when the spec is silent.
 *
 * @param progressInterval how soon to look again while a stack or change set moves
 * @param blockedInterval how soon to look again when waiting for something outside the spec (an annotation,
 *     another resource giving up a name)
 * @param steadyInterval how soon to look again at a synced stack
 * @param defaultRoleArn CloudFormation service role for resources whose spec names none
 * @param defaultDriftInterval drift detection interval for resources whose spec sets none (else the spec's
 *     default, 60 minutes); at least 5 minutes
 */
public record ReconcilerSettings(
    Duration progressInterval, Duration blockedInterval, Duration steadyInterval, Optional<String> defaultRoleArn,
    Optional<Duration> defaultDriftInterval) {

  public ReconcilerSettings {
    Objects.requireNonNull(progressInterval, "progressInterval");
    Objects.requireNonNull(blockedInterval, "blockedInterval");
    Objects.requireNonNull(steadyInterval, "steadyInterval");
    Objects.requireNonNull(defaultRoleArn, "defaultRoleArn");
    Objects.requireNonNull(defaultDriftInterval, "defaultDriftInterval");
    defaultDriftInterval.filter(d -> d.compareTo(Duration.ofMinutes(SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES)) < 0)
        .ifPresent(d -> {
          throw new IllegalArgumentException("the default drift interval must be at least "
              + SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES + " minutes, got " + d.toMinutes());
        });
  }

  /** Settings without an operator-wide drift interval: the spec's default applies. */
  public ReconcilerSettings(
      Duration progressInterval, Duration blockedInterval, Duration steadyInterval, Optional<String> defaultRoleArn) {
    this(progressInterval, blockedInterval, steadyInterval, defaultRoleArn, Optional.empty());
  }

  /** The same settings with an operator-wide drift interval for resources whose spec sets none. */
  public ReconcilerSettings withDefaultDriftInterval(Optional<Duration> interval) {
    return new ReconcilerSettings(progressInterval, blockedInterval, steadyInterval, defaultRoleArn, interval);
  }

  /**
   * Production pacing: 10 s while moving, 1 min when blocked, 30 min when synced — a synced stack costs two
   * DescribeStacks an hour (its drift checks come on top, on their own interval).
   */
  public static ReconcilerSettings defaults() {
    return new ReconcilerSettings(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(30), Optional.empty());
  }

  /**
   * How soon to look again at a stack that has been moving for this long: a tenth of that, between the progress
   * interval and six times it, so that a long update is not polled as often as a short one.
   */
  Duration whileMoving(Duration movingFor) {
    Duration tenth = movingFor.dividedBy(10);
    Duration longest = progressInterval.multipliedBy(6);
    return tenth.compareTo(progressInterval) < 0 ? progressInterval : tenth.compareTo(longest) > 0 ? longest : tenth;
  }

  Duration interval(Decision.Requeue requeue) {
    return switch (requeue) {
      case PROGRESS -> progressInterval;
      case BLOCKED -> blockedInterval;
      case STEADY -> steadyInterval;
      case NEVER -> Duration.ZERO;
    };
  }
}
