package io.serverlessdata.operator.app;

import io.serverlessdata.operator.cloudformation.CallBudget;
import io.serverlessdata.operator.reconciler.ReconcilerSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's configuration, built once from flags and environment into an immutable value.
 *
 * @param namespaces namespaces to watch; empty watches all
 * @param concurrency reconciles at once
 * @param cloudFormationEndpoint overrides CloudFormation's us-east-1 endpoint (a VPC endpoint, the simulator)
 * @param reconciler pacing and defaults of the reconciler
 * @param retryInitial first backoff after a failed reconcile (AWS faults), doubling up to {@code retryMax}
 * @param retryMax longest backoff after failed reconciles
 * @param awsCallsPerSecond AWS requests per second, shared by all reconciles and clients, retries included
 * @param awsCallBurst AWS requests allowed at once after a quiet spell
 */
public record OperatorConfig(
    Set<String> namespaces,
    int concurrency,
    Optional<URI> cloudFormationEndpoint,
    ReconcilerSettings reconciler,
    Duration retryInitial,
    Duration retryMax,
    double awsCallsPerSecond,
    int awsCallBurst) {

  /**
   * AWS requests per second by default. CloudFormation throttles each account and region per API action and
   * does not publish every figure; the observed ceilings of its busy actions are in the low tens per second and
   * are shared with everyone else in the account (people, CI, other tools). Five a second leaves most of that to
   * them and still drives 1,000 stacks: their steady state needs about 2 calls per stack per hour plus the drift
   * checks, well under one a second.
   */
  public static final double DEFAULT_AWS_CALLS_PER_SECOND = 5;
  /** Requests that may go out at once after a quiet spell (two seconds' worth at the default rate). */
  public static final int DEFAULT_AWS_CALL_BURST = 10;

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(cloudFormationEndpoint, "cloudFormationEndpoint");
    Objects.requireNonNull(reconciler, "reconciler");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    if (!(awsCallsPerSecond > 0) || Double.isInfinite(awsCallsPerSecond)) {
      throw new IllegalArgumentException("awsCallsPerSecond must be a positive number, got " + awsCallsPerSecond);
    }
    if (awsCallBurst < 1) {
      throw new IllegalArgumentException("awsCallBurst must be at least 1, got " + awsCallBurst);
    }
    if (concurrency / awsCallsPerSecond > MAX_TOKEN_WAIT_SECONDS) {
      throw new IllegalArgumentException("with concurrency " + concurrency + " and awsCallsPerSecond "
          + awsCallsPerSecond + " a reconcile may wait " + concurrency / awsCallsPerSecond + " s for an AWS call"
          + " (more than " + MAX_TOKEN_WAIT_SECONDS + " s, half the SDK's attempt timeout): lower the concurrency"
          + " or raise awsCallsPerSecond");
    }
  }

  /** Longest wait for a call token that is allowed: reconciles waiting × seconds a token, under the SDK's 20 s. */
  static final double MAX_TOKEN_WAIT_SECONDS = 10;

  /** With the default AWS call budget. */
  public OperatorConfig(Set<String> namespaces, int concurrency, Optional<URI> cloudFormationEndpoint,
      ReconcilerSettings reconciler, Duration retryInitial, Duration retryMax) {
    this(namespaces, concurrency, cloudFormationEndpoint, reconciler, retryInitial, retryMax,
        DEFAULT_AWS_CALLS_PER_SECOND, DEFAULT_AWS_CALL_BURST);
  }

  public static OperatorConfig defaults() {
    return new OperatorConfig(Set.of(), 10, Optional.empty(), ReconcilerSettings.defaults(),
        Duration.ofSeconds(2), Duration.ofMinutes(5));
  }

  public OperatorConfig withReconciler(ReconcilerSettings settings) {
    return new OperatorConfig(namespaces, concurrency, cloudFormationEndpoint, settings, retryInitial, retryMax,
        awsCallsPerSecond, awsCallBurst);
  }

  public OperatorConfig withRetry(Duration initial, Duration max) {
    return new OperatorConfig(namespaces, concurrency, cloudFormationEndpoint, reconciler, initial, max,
        awsCallsPerSecond, awsCallBurst);
  }

  public OperatorConfig withAwsCallBudget(double callsPerSecond, int burst) {
    return new OperatorConfig(namespaces, concurrency, cloudFormationEndpoint, reconciler, retryInitial, retryMax,
        callsPerSecond, burst);
  }

  /** The token bucket of {@link #awsCallsPerSecond} and {@link #awsCallBurst}: build it once, share it. */
  public CallBudget awsCallBudget() {
    return CallBudget.perSecond(awsCallsPerSecond, awsCallBurst);
  }
}
