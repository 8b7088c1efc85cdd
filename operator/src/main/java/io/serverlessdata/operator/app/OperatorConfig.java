package io.serverlessdata.operator.app;

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
 */
public record OperatorConfig(
    Set<String> namespaces,
    int concurrency,
    Optional<URI> cloudFormationEndpoint,
    ReconcilerSettings reconciler,
    Duration retryInitial,
    Duration retryMax) {

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(cloudFormationEndpoint, "cloudFormationEndpoint");
    Objects.requireNonNull(reconciler, "reconciler");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
  }

  public static OperatorConfig defaults() {
    return new OperatorConfig(Set.of(), 10, Optional.empty(), ReconcilerSettings.defaults(),
        Duration.ofSeconds(2), Duration.ofMinutes(5));
  }

  public OperatorConfig withReconciler(ReconcilerSettings settings) {
    return new OperatorConfig(namespaces, concurrency, cloudFormationEndpoint, settings, retryInitial, retryMax);
  }

  public OperatorConfig withRetry(Duration initial, Duration max) {
    return new OperatorConfig(namespaces, concurrency, cloudFormationEndpoint, reconciler, initial, max);
  }
}
