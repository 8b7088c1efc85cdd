package io.serverlessdata.operator.app;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.util.Optional;

/**
 * What {@code /healthz} and {@code /readyz} answer, from JOSDK's runtime information.
 *
 * <p>Liveness: the operator is starting, or running with every informer healthy; a broken watch (lost RBAC, a
 * CRD removed) makes the kubelet restart the pod. Readiness: started, caches synced, every informer healthy.
 * With leader election a standby replica is ready too: it reports that it does not lead, but gating readiness
 * on the lease would stall every rolling update (the new pod could never become ready while the old one leads)
 * and leave a PodDisruptionBudget counting only one healthy pod. Leadership is the {@code sds_leader} metric.
 */
final class Probes {

  private final Operator operator;
  private final Optional<LeaderElection> leaderElection;
  private volatile boolean stopping;

  Probes(Operator operator, Optional<LeaderElection> leaderElection) {
    this.operator = operator;
    this.leaderElection = leaderElection;
  }

  /** From now on, not ready: the pod leaves the Service's endpoints before the operator stops. */
  void stopping() {
    stopping = true;
  }

  OpsServer.Probe liveness() {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    if (!runtime.isStarted()) {
      return new OpsServer.Probe(true, "starting");
    }
    return runtime.allEventSourcesAreHealthy()
        ? new OpsServer.Probe(true, "operator running")
        : new OpsServer.Probe(false, "unhealthy informers " + runtime.unhealthyEventSources().keySet());
  }

  OpsServer.Probe readiness() {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    if (stopping) {
      return new OpsServer.Probe(false, "stopping");
    }
    if (!runtime.isStarted()) {
      return new OpsServer.Probe(false, "starting: informers not synced yet");
    }
    if (!runtime.allEventSourcesAreHealthy()) {
      return new OpsServer.Probe(false, "unhealthy informers " + runtime.unhealthyEventSources().keySet());
    }
    return new OpsServer.Probe(true, leaderElection
        .map(election -> election.leading() ? "informers synced, leader" : "informers synced, standby (not leader)")
        .orElse("informers synced"));
  }
}
