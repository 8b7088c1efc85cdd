package io.serverlessdata.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The account's API request rate, as AWS throttles it: a token bucket per account and region that holds up to
 * {@code burst} tokens and refills at {@code callsPerSecond}; a request takes a token, and a request that finds
 * the bucket empty is refused with {@code Throttling} / "Rate exceeded" at once rather than queued. See
 * "Understand CloudFormation quotas" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html),
 * "How do I prevent Rate exceeded errors in CloudFormation?"
 * (https://repost.aws/knowledge-center/cloudformation-rate-exceeded-error) and, for the token bucket AWS uses to
 * throttle an account's API requests, "Request throttling for the Amazon EC2 API"
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).
 *
 * <p>Time is read from the simulator's {@link Clock}, so that a test's manual clock or the scale run's scaled clock
 * refills the bucket in simulated time. Not thread-safe: the simulator calls it under its own lock.
 */
final class AccountRateLimit {

  private final long nanosPerToken;
  private final int burst;
  private final Clock clock;
  /** When the bucket was last refilled, and the tokens in it then. */
  private Instant refilledAt;
  private double tokens;

  private AccountRateLimit(double callsPerSecond, int burst, Clock clock) {
    this.nanosPerToken = Double.isInfinite(callsPerSecond) ? 0 : Math.max(1, Math.round(1e9 / callsPerSecond));
    this.burst = burst;
    this.clock = clock;
    this.refilledAt = clock.instant();
    this.tokens = burst;
  }

  /** A bucket that starts full. */
  static AccountRateLimit perSecond(double callsPerSecond, int burst, Clock clock) {
    if (!(callsPerSecond > 0)) {
      throw new IllegalArgumentException("the account's calls per second must be positive, got " + callsPerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("the account's call burst must be at least 1, got " + burst);
    }
    return new AccountRateLimit(callsPerSecond, burst, clock);
  }

  /** No limit: every request goes through. */
  static AccountRateLimit unlimited(Clock clock) {
    return new AccountRateLimit(Double.POSITIVE_INFINITY, 1, clock);
  }

  /** Takes a token if the bucket has one now; false: the request is throttled. */
  boolean tryAcquire() {
    if (nanosPerToken == 0) {
      return true;
    }
    Instant now = clock.instant();
    long elapsed = Duration.between(refilledAt, now).toNanos();
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + (double) elapsed / nanosPerToken);
      refilledAt = now;
    }
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
