package io.serverlessdata.operator.app;

import io.serverlessdata.operator.cloudformation.CallBudget;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.operator.reconciler.ReconcilerSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's configuration, built once from flags and environment into an immutable value. {@code run}, the
 * sandbox, the ITs and the scale run differ only in this value (endpoints, credentials, pacing) and the clock: the
 * assembly is {@link OperatorRuntime}'s, the same for all of them.
 *
 * @param namespaces namespaces to watch; empty watches all
 * @param concurrency reconciles at once
 * @param reconciler pacing and defaults of the reconciler
 * @param retryInitial first backoff after a failed reconcile (AWS faults), doubling up to {@code retryMax}
 * @param retryMax longest backoff after failed reconciles
 * @param endpoints where the AWS clients connect (AWS's us-east-1 endpoints unless overridden)
 * @param aws credentials, the SDK's retries and timeouts, shared by every AWS client (the endpoint comes from
 *     {@code endpoints}, the call budget from the two fields below)
 * @param awsCallsPerSecond AWS requests per second, shared by all reconciles and clients, retries included
 * @param awsCallBurst AWS requests allowed at once after a quiet spell
 * @param leaderElection the Lease to hold before reconciling, when more than one replica runs
 */
public record OperatorConfig(
    Set<String> namespaces,
    int concurrency,
    ReconcilerSettings reconciler,
    Duration retryInitial,
    Duration retryMax,
    AwsEndpoints endpoints,
    ClientSettings aws,
    double awsCallsPerSecond,
    int awsCallBurst,
    Optional<LeaderElection.Settings> leaderElection) {

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

  /** Longest wait for a call token that is allowed: reconciles waiting × seconds a token, under the SDK's 20 s. */
  static final double MAX_TOKEN_WAIT_SECONDS = 10;

  /**
   * Where the AWS clients connect; empty: AWS's own us-east-1 endpoint.
   *
   * @param cloudFormation CloudFormation's (a VPC endpoint, the simulator)
   * @param apiGateway API Gateway's, for the API key values of exported Secrets
   * @param sts STS's, for the account's id
   * @param dynamoDb DynamoDB's, for the tags of a retained table a new stack would import
   * @param s3 S3's, for the tags of a retained bucket a new stack would import
   */
  public record AwsEndpoints(Optional<URI> cloudFormation, Optional<URI> apiGateway, Optional<URI> sts,
      Optional<URI> dynamoDb, Optional<URI> s3) {

    public static final AwsEndpoints AWS = new AwsEndpoints(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());

    public AwsEndpoints {
      Objects.requireNonNull(cloudFormation, "cloudFormation");
      Objects.requireNonNull(apiGateway, "apiGateway");
      Objects.requireNonNull(sts, "sts");
      Objects.requireNonNull(dynamoDb, "dynamoDb");
      Objects.requireNonNull(s3, "s3");
    }

    /** Every service at one address: the simulator answers them all on one port. */
    public static AwsEndpoints all(URI endpoint) {
      Optional<URI> at = Optional.of(endpoint);
      return new AwsEndpoints(at, at, at, at, at);
    }
  }

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(reconciler, "reconciler");
    Objects.requireNonNull(retryInitial, "retryInitial");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(aws, "aws");
    Objects.requireNonNull(leaderElection, "leaderElection");
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

  /**
   * Production: every namespace, ten reconciles at once, the reconciler's production pacing, AWS's endpoints and
   * default credentials chain, the default call budget, no leader election.
   */
  public static OperatorConfig defaults() {
    return new OperatorConfig(Set.of(), 10, ReconcilerSettings.defaults(), Duration.ofSeconds(2),
        Duration.ofMinutes(5), AwsEndpoints.AWS, ClientSettings.defaults(Optional.empty()),
        DEFAULT_AWS_CALLS_PER_SECOND, DEFAULT_AWS_CALL_BURST, Optional.empty());
  }

  public OperatorConfig withNamespaces(Set<String> watched) {
    return new OperatorConfig(watched, concurrency, reconciler, retryInitial, retryMax, endpoints, aws,
        awsCallsPerSecond, awsCallBurst, leaderElection);
  }

  public OperatorConfig withConcurrency(int reconciles) {
    return new OperatorConfig(namespaces, reconciles, reconciler, retryInitial, retryMax, endpoints, aws,
        awsCallsPerSecond, awsCallBurst, leaderElection);
  }

  public OperatorConfig withReconciler(ReconcilerSettings settings) {
    return new OperatorConfig(namespaces, concurrency, settings, retryInitial, retryMax, endpoints, aws,
        awsCallsPerSecond, awsCallBurst, leaderElection);
  }

  public OperatorConfig withRetry(Duration initial, Duration max) {
    return new OperatorConfig(namespaces, concurrency, reconciler, initial, max, endpoints, aws,
        awsCallsPerSecond, awsCallBurst, leaderElection);
  }

  /** Other endpoints and client settings (credentials, SDK retries) for the AWS clients. */
  public OperatorConfig withAws(AwsEndpoints at, ClientSettings settings) {
    return new OperatorConfig(namespaces, concurrency, reconciler, retryInitial, retryMax, at, settings,
        awsCallsPerSecond, awsCallBurst, leaderElection);
  }

  public OperatorConfig withAwsCallBudget(double callsPerSecond, int burst) {
    return new OperatorConfig(namespaces, concurrency, reconciler, retryInitial, retryMax, endpoints, aws,
        callsPerSecond, burst, leaderElection);
  }

  public OperatorConfig withLeaderElection(Optional<LeaderElection.Settings> lease) {
    return new OperatorConfig(namespaces, concurrency, reconciler, retryInitial, retryMax, endpoints, aws,
        awsCallsPerSecond, awsCallBurst, lease);
  }

  /** The token bucket of {@link #awsCallsPerSecond} and {@link #awsCallBurst}: build it once, share it. */
  public CallBudget awsCallBudget() {
    return CallBudget.perSecond(awsCallsPerSecond, awsCallBurst);
  }
}
