package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.cloudformation.AwsAccountData;
import io.serverlessdata.operator.cloudformation.AwsApiKeys;
import io.serverlessdata.operator.cloudformation.AwsStackOperations;
import io.serverlessdata.operator.cloudformation.CallBudget;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.operator.reconciler.EventRecorder;
import io.serverlessdata.operator.reconciler.ObservedChanges;
import io.serverlessdata.operator.reconciler.ServerlessDataStackReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Assembles the operator from its configuration: the AWS clients (one call budget, metered), the metrics registry,
 * leader election, JOSDK with the reconciler, its retry and event filters. This is the one assembly: {@code run},
 * the sandbox, the ITs and the scale run all build the operator here and differ only in the {@link OperatorConfig}
 * (endpoints, credentials, pacing) and the clock, so that a test runs the operator users run.
 */
public final class OperatorRuntime implements AutoCloseable {

  private final Operator operator;
  private final OperatorMetrics metrics;
  private final Optional<LeaderElection> leaderElection;
  private final AwsStackOperations cloudFormation;
  private final AwsApiKeys apiKeys;
  private final AwsAccountData account;

  private OperatorRuntime(Operator operator, OperatorMetrics metrics, Optional<LeaderElection> leaderElection,
      AwsStackOperations cloudFormation, AwsApiKeys apiKeys, AwsAccountData account) {
    this.operator = operator;
    this.metrics = metrics;
    this.leaderElection = leaderElection;
    this.cloudFormation = cloudFormation;
    this.apiKeys = apiKeys;
    this.account = account;
  }

  /**
   * A configured operator, not started yet.
   *
   * @param kubernetes the API server's client; the caller owns it (closing the runtime leaves it open)
   */
  public static OperatorRuntime create(OperatorConfig config, KubernetesClient kubernetes, Clock clock) {
    return create(config, kubernetes, clock, Metrics.NOOP);
  }

  /**
   * The same operator, with one more observer of JOSDK's reconcile hooks beside the operator's own metrics (the
   * scale run counts and times reconciles with it). The operator's metrics stay first: they time and wrap every
   * reconcile exactly as in production.
   */
  public static OperatorRuntime create(OperatorConfig config, KubernetesClient kubernetes, Clock clock,
      Metrics reconcileObserver) {
    OperatorMetrics metrics = new OperatorMetrics();
    // one budget for every client and every reconcile
    CallBudget budget = config.awsCallBudget();
    ClientSettings aws = config.aws().withBudget(budget);
    AwsStackOperations cloudFormation = AwsStackOperations.create(
        aws.withEndpoint(config.endpoints().cloudFormation()), metrics.cloudFormationCalls());
    AwsApiKeys apiKeys = AwsApiKeys.create(aws.withEndpoint(config.endpoints().apiGateway()),
        metrics.awsCalls("apigateway"));
    AwsAccountData account = AwsAccountData.create(aws, config.endpoints().sts(), config.endpoints().dynamoDb(),
        config.endpoints().s3(), metrics::awsCalls);
    Optional<LeaderElection> election = config.leaderElection().map(LeaderElection::new);
    ObservedChanges observedChanges = new ObservedChanges();
    ReconcileExecutor reconcileThreads = ReconcileExecutor.ordering(config.concurrency(), observedChanges);
    metrics.observeReconcileExecutor(reconcileThreads);

    Operator operator = new Operator(o -> {
      o.withKubernetesClient(kubernetes)
        .withMetrics(reconcileObserver == Metrics.NOOP ? metrics.reconcileMetrics()
            : new AggregatedMetrics(List.of(metrics.reconcileMetrics(), reconcileObserver)))
        .withConcurrentReconciliationThreads(config.concurrency())
        // the same number of threads, with the reconciles of changes the listing observed first
        .withExecutorService(reconcileThreads)
        // merge patches rather than server-side apply: the fabric8 mock API server of the sandbox and the tests
        // refuses apply patches, and one configuration everywhere is worth more than SSA here
        .withUseSSAToPatchPrimaryResource(false)
        // JOSDK's default is not to wait at all: a stop would interrupt a pass between its AWS write and the status
        // that records it
        .withReconciliationTerminationTimeout(RECONCILES_IN_FLIGHT)
        .withCloseClientOnStop(false);
      election.ifPresent(e -> o.withLeaderElectionConfiguration(e.configuration()));
    });
    ServerlessDataStackReconciler reconciler = new ServerlessDataStackReconciler(
        cloudFormation, apiKeys, account, budget, observedChanges, new EventRecorder(kubernetes, clock),
        config.reconciler(), clock);
    RegisteredController<ServerlessDataStack> controller = operator.register(reconciler, c -> {
      if (config.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.namespaces());
      }
      // AWS faults: retried for as long as they last, backing off; a spec error is never retried (it is terminal)
      c.withRetry(new GenericRetry()
          .setInitialInterval(config.retryInitial().toMillis())
          .setIntervalMultiplier(2)
          .setMaxInterval(config.retryMax().toMillis())
          .withoutMaxAttempts());
    });
    metrics.observeResources(primaryCache(controller));
    metrics.observeLeadership(() -> election.map(LeaderElection::leading).orElse(true));
    return new OperatorRuntime(operator, metrics, election, cloudFormation, apiKeys, account);
  }

  /** Starts the informers (and the election, if configured); reconciling begins once they are synced. */
  public void start() {
    operator.start();
  }

  public Operator operator() {
    return operator;
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public Optional<LeaderElection> leaderElection() {
    return leaderElection;
  }

  /**
   * How long a stop waits for the reconciles in flight: a pass's few calls, each within the SDK's 20-second attempt,
   * well inside the chart's 60-second termination grace period.
   */
  static final Duration RECONCILES_IN_FLIGHT = Duration.ofSeconds(30);

  /**
   * Stops reconciling (reconciles in flight finish, for up to {@link #RECONCILES_IN_FLIGHT}) and closes the AWS
   * clients; the Kubernetes client stays open.
   */
  @Override
  public void close() {
    try {
      operator.stop();
    } finally {
      apiKeys.close();
      account.close();
      cloudFormation.close();
    }
  }

  /** The resources in the controller's informer cache: what the metrics count, without asking the API server. */
  @SuppressWarnings("unchecked")
  private static Supplier<Collection<ServerlessDataStack>> primaryCache(
      RegisteredController<ServerlessDataStack> controller) {
    if (!(controller instanceof Controller)) {
      throw new IllegalStateException("unexpected JOSDK controller type " + controller.getClass().getName());
    }
    Controller<ServerlessDataStack> implementation = (Controller<ServerlessDataStack>) controller;
    return () -> implementation.getEventSourceManager().getControllerEventSource().list().toList();
  }
}
