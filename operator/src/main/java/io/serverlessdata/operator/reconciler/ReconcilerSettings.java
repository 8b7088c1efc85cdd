package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.api.SpecDefaults;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the reconciler paces itself and what it assumes when the spec is silent. One way to build it:
 * {@link #defaults()} (production) and the {@code with} methods.
 *
 * @param progressInterval how soon to look again while a change set is computed or a write just went out
 * @param blockedInterval how soon to look again when waiting for something outside the spec (another resource
 *     giving up a name or prefix), and the first backoff of a failed drift call
 * @param steadyInterval how soon to look again at a synced stack when nothing else starts a pass
 * @param listing when the account's stacks are listed (the short and the long listing)
 * @param detectionTimeout how long a drift detection may run before its status is asked for directly (the listing
 *     shows a completed detection; a failed one may not show)
 * @param defaultRoleArn CloudFormation service role for resources whose spec names none
 * @param defaultDriftInterval drift detection interval for resources whose spec sets none (else the spec's
 *     default, 60 minutes); at least 5 minutes
 */
public record ReconcilerSettings(Duration progressInterval, Duration blockedInterval, Duration steadyInterval,
    StackListing.Pacing listing, Duration detectionTimeout, Optional<String> defaultRoleArn,
    Optional<Duration> defaultDriftInterval) {

  public ReconcilerSettings {
    Objects.requireNonNull(progressInterval, "progressInterval");
    Objects.requireNonNull(blockedInterval, "blockedInterval");
    Objects.requireNonNull(steadyInterval, "steadyInterval");
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(detectionTimeout, "detectionTimeout");
    Objects.requireNonNull(defaultRoleArn, "defaultRoleArn");
    Objects.requireNonNull(defaultDriftInterval, "defaultDriftInterval");
    defaultDriftInterval.filter(d -> d.compareTo(Duration.ofMinutes(SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES)) < 0)
        .ifPresent(d -> {
          throw new IllegalArgumentException("the default drift interval must be at least "
              + SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES + " minutes, got " + d.toMinutes());
        });
  }

  /**
   * Production pacing: 10 s while a change set is computed, 1 min when blocked, 30 min when synced (a pass that
   * finds the stack as the status describes it costs no AWS call). The account's stacks are listed every 2 minutes,
   * and every 10 s while a stack moves, 400 ms between two pages (each page goes ahead of the calls waiting for the
   * budget, so the pause is what leaves the reconciles most of it, 60% or more at 5 calls a second, while a listing
   * runs); a drift detection is asked about after 5 minutes if the listing did not show
   * it completed.
   */
  public static ReconcilerSettings defaults() {
    return new ReconcilerSettings(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(30),
        new StackListing.Pacing(Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofMillis(400)),
        Duration.ofMinutes(5), Optional.empty(), Optional.empty());
  }

  /** The same settings with other intervals: while waiting on a change set, while blocked, while synced. */
  public ReconcilerSettings withPacing(Duration progress, Duration blocked, Duration steady) {
    return new ReconcilerSettings(progress, blocked, steady, listing, detectionTimeout, defaultRoleArn,
        defaultDriftInterval);
  }

  /** The same settings with another interval at which a synced stack is looked at again. */
  public ReconcilerSettings withSteadyInterval(Duration steady) {
    return withPacing(progressInterval, blockedInterval, steady);
  }

  /** The same settings with another listing schedule and drift detection timeout. */
  public ReconcilerSettings withListing(StackListing.Pacing pacing, Duration timeout) {
    return new ReconcilerSettings(progressInterval, blockedInterval, steadyInterval, pacing, timeout, defaultRoleArn,
        defaultDriftInterval);
  }

  /** The same settings with a service role for resources whose spec names none. */
  public ReconcilerSettings withDefaultRoleArn(Optional<String> roleArn) {
    return new ReconcilerSettings(progressInterval, blockedInterval, steadyInterval, listing, detectionTimeout,
        roleArn, defaultDriftInterval);
  }

  /** The same settings with an operator-wide drift interval for resources whose spec sets none. */
  public ReconcilerSettings withDefaultDriftInterval(Optional<Duration> interval) {
    return new ReconcilerSettings(progressInterval, blockedInterval, steadyInterval, listing, detectionTimeout,
        defaultRoleArn, interval);
  }

  Duration interval(Decision.Requeue requeue) {
    return switch (requeue) {
      case PROGRESS -> progressInterval;
      case BLOCKED -> blockedInterval;
      case STEADY, FOLLOWED -> steadyInterval;
      case NEVER -> Duration.ZERO;
    };
  }
}
