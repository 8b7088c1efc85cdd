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
 * @param typical how long CloudFormation typically takes for this stack, so that a moving stack is looked at when
 *     it is likely done rather than every progress interval
 * @param defaultDriftInterval drift detection interval for resources whose spec sets none (else the spec's
 *     default, 60 minutes); at least 5 minutes
 */
public record ReconcilerSettings(Duration progressInterval, Duration blockedInterval, Duration steadyInterval,
    Optional<String> defaultRoleArn, Typical typical, Optional<Duration> defaultDriftInterval) {

  public ReconcilerSettings {
    Objects.requireNonNull(progressInterval, "progressInterval");
    Objects.requireNonNull(blockedInterval, "blockedInterval");
    Objects.requireNonNull(steadyInterval, "steadyInterval");
    Objects.requireNonNull(defaultRoleArn, "defaultRoleArn");
    Objects.requireNonNull(typical, "typical");
    Objects.requireNonNull(defaultDriftInterval, "defaultDriftInterval");
    defaultDriftInterval.filter(d -> d.compareTo(Duration.ofMinutes(SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES)) < 0)
        .ifPresent(d -> {
          throw new IllegalArgumentException("the default drift interval must be at least "
              + SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES + " minutes, got " + d.toMinutes());
        });
  }

  /** The same settings with other intervals: while moving, while blocked, while synced. */
  public ReconcilerSettings withPacing(Duration progress, Duration blocked, Duration steady) {
    return new ReconcilerSettings(progress, blocked, steady, defaultRoleArn, typical, defaultDriftInterval);
  }

  /** The same settings with another interval at which a synced stack is looked at again. */
  public ReconcilerSettings withSteadyInterval(Duration steady) {
    return withPacing(progressInterval, blockedInterval, steady);
  }

  /** The same settings with a service role for resources whose spec names none. */
  public ReconcilerSettings withDefaultRoleArn(Optional<String> roleArn) {
    return new ReconcilerSettings(progressInterval, blockedInterval, steadyInterval, roleArn, typical,
        defaultDriftInterval);
  }

  /** The same settings with other expectations of how long CloudFormation takes ({@link Typical#UNKNOWN}: none). */
  public ReconcilerSettings withTypical(Typical durations) {
    return new ReconcilerSettings(progressInterval, blockedInterval, steadyInterval, defaultRoleArn, durations,
        defaultDriftInterval);
  }

  /** The same settings with an operator-wide drift interval for resources whose spec sets none. */
  public ReconcilerSettings withDefaultDriftInterval(Optional<Duration> interval) {
    return new ReconcilerSettings(progressInterval, blockedInterval, steadyInterval, defaultRoleArn, typical, interval);
  }

  /**
   * Production pacing: 10 s while moving, 1 min when blocked, 30 min when synced — a synced stack costs two
   * DescribeStacks an hour (its drift checks come on top, on their own interval) — and the stack's typical
   * durations ({@link Typical#ofThisStack()}).
   */
  public static ReconcilerSettings defaults() {
    return new ReconcilerSettings(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(30), Optional.empty(),
        Typical.ofThisStack(), Optional.empty());
  }

  /**
   * How long CloudFormation typically takes for the stack the operator renders; zero where unknown.
   *
   * @param create creating the stack, from executing its change set to {@code CREATE_COMPLETE}
   * @param update updating it, from executing a change set to the end of {@code UPDATE_IN_PROGRESS}
   * @param driftDetection a drift detection of the stack
   */
  public record Typical(Duration create, Duration update, Duration driftDetection) {

    /** No expectations: look at a moving stack or a running detection every progress interval from the start. */
    public static final Typical UNKNOWN = new Typical(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public Typical {
      for (Duration d : new Duration[] {create, update, driftDetection}) {
        if (Objects.requireNonNull(d, "typical duration").isNegative()) {
          throw new IllegalArgumentException("typical durations cannot be negative, got " + d);
        }
      }
    }

    /**
     * What us-east-1 takes for this stack: the CloudFront distribution makes a create about 6 minutes and an update
     * that touches it about 3; a drift detection reads its ~25 resources in under a minute.
     */
    public static Typical ofThisStack() {
      return new Typical(Duration.ofMinutes(6), Duration.ofMinutes(3), Duration.ofMinutes(1));
    }

    /** The typical duration of the work a stack in this status is doing; zero when not known. */
    Duration of(String stackStatus) {
      switch (stackStatus) {
        case "CREATE_IN_PROGRESS":
          return create;
        case "UPDATE_IN_PROGRESS":
        case "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS":
          return update;
        default:
          return Duration.ZERO;
      }
    }
  }

  /**
   * How soon to look again at a stack in this status that has been moving for this long: when such work is
   * typically done (at the earliest one progress interval from now); once it takes longer than typical, or when
   * nothing is known of it, a tenth of its time moving, between the progress interval and six times it, so that a
   * long operation is not polled as often as a short one.
   */
  Duration whileMoving(String stackStatus, Duration movingFor) {
    Duration left = typical.of(stackStatus).minus(movingFor);
    if (left.compareTo(progressInterval) > 0) {
      return left;
    }
    Duration tenth = movingFor.dividedBy(10);
    Duration longest = progressInterval.multipliedBy(6);
    return tenth.compareTo(progressInterval) < 0 ? progressInterval : tenth.compareTo(longest) > 0 ? longest : tenth;
  }

  /** How soon to look again after executing a change set: when the create or update it starts is typically done. */
  Duration afterExecuting(boolean creates) {
    return whileMoving(creates ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS", Duration.ZERO);
  }

  /** How soon to look at a drift detection just started: when one typically ends, at the earliest one progress interval. */
  Duration afterStartingDetection() {
    return typical.driftDetection().compareTo(progressInterval) > 0 ? typical.driftDetection() : progressInterval;
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
