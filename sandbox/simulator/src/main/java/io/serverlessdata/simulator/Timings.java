package io.serverlessdata.simulator;

import java.time.Duration;

/**
 * How long the simulated CloudFormation takes for each step, measured on the simulator's clock.
 *
 * @param changeSet from CreateChangeSet until the change set is computed ({@code CREATE_PENDING} until then)
 * @param create a stack's resources being created
 * @param update a stack's resources being updated
 * @param cleanup removing replaced resources after an update or a rollback
 * @param rollback undoing a failed create or update
 * @param delete a stack's resources being deleted
 */
public record Timings(
    Duration changeSet, Duration create, Duration update, Duration cleanup, Duration rollback, Duration delete) {

  /** A drift detection reading every resource: about three times as long as computing a change set. */
  public Duration driftDetection() {
    return changeSet.multipliedBy(3);
  }

  /** Minutes compressed to seconds, for tests that advance a manual clock. */
  public static Timings defaults() {
    return new Timings(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(45),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(40));
  }

  /**
   * About what us-east-1 takes for this stack (the CloudFront distribution dominates create and delete): for
   * scale runs on a compressed clock.
   */
  public static Timings realistic() {
    return new Timings(Duration.ofSeconds(15), Duration.ofMinutes(6), Duration.ofMinutes(3),
        Duration.ofSeconds(30), Duration.ofMinutes(4), Duration.ofMinutes(5));
  }

  /** A few seconds per operation, for the sandbox on the system clock. */
  public static Timings quick() {
    return new Timings(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(4),
        Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(3));
  }
}
