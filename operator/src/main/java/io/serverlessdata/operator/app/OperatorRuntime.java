package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.reconciler.EventRecorder;
import io.serverlessdata.operator.reconciler.ServerlessDataStackReconciler;
import java.time.Clock;

/**
 * Assembles the operator: JOSDK with the reconciler, the Kubernetes client and the CloudFormation port. The same
 * assembly runs in production, in the sandbox and in the tests.
 */
public final class OperatorRuntime {

  private OperatorRuntime() {}

  /** A configured operator, not started yet. */
  public static Operator create(
      KubernetesClient kubernetes, StackOperations cloudFormation, OperatorConfig config, Clock clock) {
    return create(kubernetes, cloudFormation, config, clock, Metrics.NOOP);
  }

  /** A configured operator reporting reconciles to JOSDK's {@link Metrics} hooks, not started yet. */
  public static Operator create(KubernetesClient kubernetes, StackOperations cloudFormation, OperatorConfig config,
      Clock clock, Metrics metrics) {
    Operator operator = new Operator(o -> o
        .withKubernetesClient(kubernetes)
        .withMetrics(metrics)
        .withConcurrentReconciliationThreads(config.concurrency())
        // merge patches rather than server-side apply: the fabric8 mock API server of the sandbox and the tests
        // refuses apply patches, and one configuration everywhere is worth more than SSA here
        .withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(false));
    ServerlessDataStackReconciler reconciler = new ServerlessDataStackReconciler(
        cloudFormation, new EventRecorder(kubernetes, clock), config.reconciler(), clock);
    operator.register(reconciler, c -> {
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
    return operator;
  }
}
