package io.serverlessdata.operator.app;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.cloudformation.ApiCallListener;
import io.serverlessdata.operator.cloudformation.ApiCallOutcome;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's Prometheus metrics: JOSDK's reconcile metrics, the JVM's, and the operator's own.
 *
 * <ul>
 *   <li>{@code sds_outbound_api_requests_total{service,operation,outcome}}: AWS calls (after the SDK's retries),
 *       like ACK's {@code ack_outbound_api_requests_total};</li>
 *   <li>{@code sds_stacks{stack_status}}: resources by the CloudFormation status in their status
 *       ({@code NONE} before a stack exists);</li>
 *   <li>{@code sds_stack_drift{drift_status}}: resources by drift status ({@code NOT_CHECKED} before a check);</li>
 *   <li>{@code sds_leader}: 1 while this replica leads (always 1 without leader election);</li>
 *   <li>{@code sds_reconciles_submitted_total{trigger}}: reconciles handed to the reconcile threads, {@code observed}
 *       (a change the account's listing saw; they run first) or {@code other};
 *       {@code sds_reconciles_hurried_total}: waiting reconciles moved ahead because the listing saw a change of their
 *       resource while they waited; Micrometer's
 *       {@code executor_*{name="reconciler"}} show the threads and the reconciles waiting for one.</li>
 * </ul>
 *
 * <p>The two per-status gauges are computed from the operator's informer cache when Prometheus scrapes, never
 * from the API server.
 */
public final class OperatorMetrics {

  static final String NO_STACK = "NONE";
  static final String NOT_CHECKED = "NOT_CHECKED";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MultiGauge stacks = MultiGauge.builder("sds.stacks")
      .description("ServerlessDataStack resources by CloudFormation stack status")
      .register(registry);
  private final MultiGauge drift = MultiGauge.builder("sds.stack.drift")
      .description("ServerlessDataStack resources by drift status")
      .register(registry);
  private final AtomicReference<Supplier<Collection<ServerlessDataStack>>> resources =
      new AtomicReference<>(List::of);

  public OperatorMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** JOSDK's reconcile metrics into this registry; per resource metrics stay off (one series per CR is too many). */
  Metrics reconcileMetrics() {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /** Counts every CloudFormation call by operation and outcome. */
  public ApiCallListener cloudFormationCalls() {
    return awsCalls("cloudformation");
  }

  /** Counts every call to an AWS service ({@code cloudformation}, {@code apigateway}) by operation and outcome. */
  public ApiCallListener awsCalls(String service) {
    return (operation, outcome) -> apiCalls(service, operation, outcome).increment();
  }

  private Counter apiCalls(String service, String operation, ApiCallOutcome outcome) {
    return Counter.builder("sds.outbound.api.requests")
        .description("AWS API calls made by the operator, after the SDK's retries")
        .tags("service", service, "operation", operation, "outcome", outcome.label())
        .register(registry);
  }

  /** Where the per-status gauges read the resources from: the operator's cache. */
  void observeResources(Supplier<Collection<ServerlessDataStack>> cache) {
    resources.set(cache);
  }

  /** Reports whether this replica leads. */
  void observeLeadership(BooleanSupplier leading) {
    Gauge.builder("sds.leader", () -> leading.getAsBoolean() ? 1 : 0)
        .description("1 while this replica holds the leader lease")
        .register(registry);
  }

  /** The reconcile threads: Micrometer's executor metrics, and the reconciles submitted by what started them. */
  void observeReconcileExecutor(ReconcileExecutor executor) {
    new ExecutorServiceMetrics(executor, "reconciler", Tags.empty()).bindTo(registry);
    for (boolean observed : new boolean[] {true, false}) {
      FunctionCounter.builder("sds.reconciles.submitted", executor, e -> e.submitted(observed))
          .description("Reconciles handed to the reconcile threads, by what started them")
          .tags("trigger", observed ? "observed" : "other")
          .register(registry);
    }
    FunctionCounter.builder("sds.reconciles.hurried", executor, ReconcileExecutor::hurried)
        .description("Waiting reconciles moved ahead because the account's listing observed a change of their resource")
        .register(registry);
  }

  /** The metrics in Prometheus' text format, the per-status gauges refreshed first. */
  public String scrape() {
    refreshStatusGauges();
    return registry.scrape();
  }

  private synchronized void refreshStatusGauges() {
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byDrift = new TreeMap<>();
    for (ServerlessDataStack resource : resources.get().get()) {
      var status = resource.getStatus();
      String stackStatus = status == null || status.getStackStatus() == null ? NO_STACK : status.getStackStatus();
      String driftStatus = status == null || status.getDrift() == null || status.getDrift().status() == null
          ? NOT_CHECKED : status.getDrift().status();
      byStatus.merge(stackStatus, 1, Integer::sum);
      byDrift.merge(driftStatus, 1, Integer::sum);
    }
    stacks.register(rows("stack_status", byStatus), true);
    drift.register(rows("drift_status", byDrift), true);
  }

  private static List<MultiGauge.Row<?>> rows(String tag, Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of(tag, e.getKey()), e.getValue()))
        .toList();
  }
}
