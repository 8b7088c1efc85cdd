package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.cloudformation.ApiKeys;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.reconciler.EventRecorder;
import io.serverlessdata.operator.reconciler.ServerlessDataStackReconciler;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Assembles the operator: JOSDK with the reconciler, the Kubernetes client and the CloudFormation port. The same
 * assembly runs in production, in the sandbox and in the tests.
 */
public final class OperatorRuntime {

  private OperatorRuntime() {}

  /**
   * A configured operator without an API Gateway client, metrics or leader election, not started yet (tests):
   * resources that ask for a Secret ({@code spec.exportTo.secretName}) report that the key cannot be read.
   */
  public static Operator create(
      KubernetesClient kubernetes, StackOperations cloudFormation, OperatorConfig config, Clock clock) {
    return create(kubernetes, cloudFormation, ApiKeys.NONE, config, clock);
  }

  /** A configured operator without metrics or leader election, not started yet (tests, sandbox). */
  public static Operator create(KubernetesClient kubernetes, StackOperations cloudFormation, ApiKeys apiKeys,
      OperatorConfig config, Clock clock) {
    return assemble(kubernetes, cloudFormation, apiKeys, config, clock, Metrics.NOOP, null, Optional.empty());
  }

  /** A configured operator reporting reconciles to JOSDK's {@link Metrics} hooks only, not started yet (scale run). */
  public static Operator create(KubernetesClient kubernetes, StackOperations cloudFormation, OperatorConfig config,
      Clock clock, Metrics reconcileMetrics) {
    return assemble(kubernetes, cloudFormation, ApiKeys.NONE, config, clock, reconcileMetrics, null, Optional.empty());
  }

  /**
   * A configured operator, not started yet, reporting to {@code metrics} and, with {@code leaderElection}, only
   * reconciling while it holds the lease; {@code apiKeys} reads API key values for exported Secrets.
   */
  public static Operator create(KubernetesClient kubernetes, StackOperations cloudFormation, ApiKeys apiKeys,
      OperatorConfig config, Clock clock, OperatorMetrics metrics, Optional<LeaderElection> leaderElection) {
    return assemble(kubernetes, cloudFormation, apiKeys, config, clock, metrics.reconcileMetrics(), metrics,
        leaderElection);
  }

  private static Operator assemble(KubernetesClient kubernetes, StackOperations cloudFormation, ApiKeys apiKeys,
      OperatorConfig config, Clock clock, Metrics reconcileMetrics, OperatorMetrics metrics,
      Optional<LeaderElection> leaderElection) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(kubernetes)
        .withMetrics(reconcileMetrics)
        .withConcurrentReconciliationThreads(config.concurrency())
        // merge patches rather than server-side apply: the fabric8 mock API server of the sandbox and the tests
        // refuses apply patches, and one configuration everywhere is worth more than SSA here
        .withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(false);
      leaderElection.ifPresent(election -> o.withLeaderElectionConfiguration(election.configuration()));
    });
    ServerlessDataStackReconciler reconciler = new ServerlessDataStackReconciler(
        cloudFormation, apiKeys, new EventRecorder(kubernetes, clock), config.reconciler(), clock);
    RegisteredController<ServerlessDataStack> controller = operator.register(reconciler, c -> {
      if (config.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.namespaces());
      }
      // AWS faults: retried for as long as they last, backing off; a spec error is never retried (it is terminal)
      c.withRetry(new GenericRetry()
          .setInitialInterval(config.retryInitial())
          .setIntervalMultiplier(2)
          .setMaxInterval(config.retryMax().toMillis())
          .withoutMaxAttempts());
    });
    if (metrics != null) {
      metrics.observeResources(primaryCache(controller));
      metrics.observeLeadership(() -> leaderElection.map(LeaderElection::leading).orElse(true));
    }
    return operator;
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
