package io.serverlessdata.operator.cloudformation;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * How the CloudFormation client connects, authenticates and retries.
 *
 * @param endpoint overrides CloudFormation's us-east-1 endpoint (the simulator, a VPC endpoint)
 * @param credentials where credentials come from
 * @param maxAttempts attempts per call, the first included, before the error reaches the operator
 * @param baseDelay first backoff after a server error or timeout (exponential with full jitter)
 * @param throttlingBaseDelay first backoff after throttling
 * @param maxBackoff longest backoff between two attempts
 * @param connectTimeout to open a connection
 * @param attemptTimeout for one attempt, response included
 * @param callTimeout for a whole call, retries included
 * @param budget AWS requests per second allowed, shared with every other client given the same budget
 */
public record ClientSettings(
    Optional<URI> endpoint,
    AwsCredentialsProvider credentials,
    int maxAttempts,
    Duration baseDelay,
    Duration throttlingBaseDelay,
    Duration maxBackoff,
    Duration connectTimeout,
    Duration attemptTimeout,
    Duration callTimeout,
    CallBudget budget) {

  public ClientSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(budget, "budget");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
  }

  /**
   * Production settings: the default credentials chain (IRSA, Pod Identity, environment, profile) and the
   * SDK's standard backoff (100 ms after errors, 1 s after throttling, at most 20 s), five attempts; no call
   * budget until {@link #withBudget} sets the operator's.
   */
  public static ClientSettings defaults(Optional<URI> endpoint) {
    return new ClientSettings(endpoint, DefaultCredentialsProvider.builder().build(), 5,
        Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(20),
        Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60), CallBudget.unlimited());
  }

  public ClientSettings withCredentials(AwsCredentialsProvider provider) {
    return new ClientSettings(endpoint, provider, maxAttempts, baseDelay, throttlingBaseDelay, maxBackoff,
        connectTimeout, attemptTimeout, callTimeout, budget);
  }

  /** The same settings against another endpoint (API Gateway's, when CloudFormation's is overridden). */
  public ClientSettings withEndpoint(Optional<URI> other) {
    return new ClientSettings(other, credentials, maxAttempts, baseDelay, throttlingBaseDelay, maxBackoff,
        connectTimeout, attemptTimeout, callTimeout, budget);
  }

  /** The same settings with another retry budget and backoff. */
  public ClientSettings withRetries(int attempts, Duration base, Duration throttlingBase, Duration max) {
    return new ClientSettings(endpoint, credentials, attempts, base, throttlingBase, max,
        connectTimeout, attemptTimeout, callTimeout, budget);
  }

  /** The same settings with a call budget (share one budget between all clients of an operator). */
  public ClientSettings withBudget(CallBudget callBudget) {
    return new ClientSettings(endpoint, credentials, maxAttempts, baseDelay, throttlingBaseDelay, maxBackoff,
        connectTimeout, attemptTimeout, callTimeout, callBudget);
  }
}
