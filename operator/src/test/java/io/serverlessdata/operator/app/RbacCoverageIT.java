package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ExportSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * Runs two replicas of the real operator, built as {@code run} builds them (OperatorRuntime from the
 * configuration, with leader election), against the mock API server through a lease's life and a stack's life:
 * the first replica takes the lease and renews it, a stack with {@code spec.exportTo} is created, synced and
 * exported, the exported objects are changed behind the operator's back (so it updates them), its exports are
 * renamed (so the old objects are deleted), the first replica stops and the second takes the lease over,
 * renews it and deletes the stack. Every request the replicas sent — read from the mock server's request log as
 * the API server's authorizer sees it: RBAC verb, API group, resource, subresource, namespace, name — must be
 * granted by the RBAC the chart renders for that install: a request in namespace X by a ClusterRole or by a Role
 * in X. A new API call in the operator, or a verb the chart forgets, fails here; so does a verb the chart grants
 * that the operator never uses, but for two granted on purpose (update on the lease, for JOSDK's start-up check;
 * get on the resources, which JOSDK sends only after a conflicting finalizer patch).
 *
 * <p>The mock server answers JOSDK's lease check (a SelfSubjectRulesReview) from the same rendered RBAC, but
 * refuses nothing, so that every request the operator would send is seen and reported at once.
 */
class RbacCoverageIT {

  private static final String RELEASE_NAMESPACE = "sds-system";

  @Test
  void clusterScopeGrantsEveryRequestOfTwoReplicasThroughALeaseHandOverAndAStacksLife() throws Exception {
    coverage("""
        deployment:
          replicas: 2
        exportTo:
          namespaces: [team-a]
        """, Set.of());
  }

  @Test
  void namespaceScopeGrantsEveryRequestOfTwoReplicasThroughALeaseHandOverAndAStacksLife() throws Exception {
    coverage("""
        installScope: namespace
        watchNamespace: team-a
        deployment:
          replicas: 2
        """, Set.of(MockCluster.NAMESPACE));
  }

  /**
   * The crash loop of a leader whose renewals RBAC refuses, as on a real cluster: here the mock server enforces
   * the chart's RBAC, so a refused renewal makes the replica lose its lease once the renew deadline has passed.
   */
  @Test
  void leaderKeepsItsLeaseUnderTheChartsRbacEnforcedForManyRenewDeadlines() throws Exception {
    List<HasMetadata> chart = HelmChartTest.render("deployment:\n  replicas: 2\n");
    String leaseName = env(chart).get("SDS_LEASE_NAME");
    List<String> lost = new CopyOnWriteArrayList<>();
    try (MockCluster cluster = new MockCluster()) {
      cluster.authorize(ChartRbac.of(chart), true);
      try (Replica only = new Replica(cluster, cluster.config(), leaseName, "replica-1", lost)) {
        only.start();
        Set<Object> renewTimes = new LinkedHashSet<>();
        // 15 renewals: three times the renew deadline
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .failFast("replica-1 lost the lease", () -> !lost.isEmpty())
            .until(() -> {
              Lease lease = cluster.client.leases().inNamespace(RELEASE_NAMESPACE).withName(leaseName).get();
              if (lease != null && "replica-1".equals(lease.getSpec().getHolderIdentity())) {
                renewTimes.add(lease.getSpec().getRenewTime());
              }
              return renewTimes.size() > 15;
            });
        assertThat(only.election.leading()).isTrue();
      }
      assertThat(cluster.operatorRequests()).extracting(r -> ApiAccess.of(r).toString())
          .contains("patch coordination.k8s.io/leases " + leaseName + " in " + RELEASE_NAMESPACE);
    }
  }

  private void coverage(String values, Set<String> watched) throws Exception {
    List<HasMetadata> chart = HelmChartTest.render(values);
    ChartRbac rbac = ChartRbac.of(chart);
    // the lease as the chart's Deployment tells `run` to use it
    Map<String, String> env = env(chart);
    assertThat(env).containsEntry("SDS_LEADER_ELECTION", "true");
    String leaseName = env.get("SDS_LEASE_NAME");
    List<String> lost = new CopyOnWriteArrayList<>();
    List<ApiAccess> sent;
    try (MockCluster cluster = new MockCluster()) {
      cluster.authorize(rbac, false);
      OperatorConfig config = cluster.config().withNamespaces(watched);
      Lease lease;
      try (Replica first = new Replica(cluster, config, leaseName, "replica-1", lost)) {
        first.start();
        await().until(first.election::leading);
        try (Replica second = new Replica(cluster, config, leaseName, "replica-2", lost)) {
          second.start();
          cluster.client.resources(ServerlessDataStack.class).resource(
              MockCluster.stack("orders", "orders-dev", new ExportSpec("orders-outputs", "orders-api"))).create();
          await().until(() -> cluster.get("orders"), exported("orders-outputs", "orders-api"));
          renewals(cluster, leaseName, "replica-1");
          assertThat(cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("orders-outputs").get()
              .getMetadata().getOwnerReferences()).singleElement()
              .as("an ownerReference with blockOwnerDeletion needs update on serverlessdatastacks/finalizers where the"
                  + " OwnerReferencesPermissionEnforcement admission plugin runs: grant it in the chart's export Role")
              .satisfies(owner -> assertThat(owner.getBlockOwnerDeletion()).isNotEqualTo(Boolean.TRUE));

          // exported objects changed by someone else: the operator updates them back on its next pass
          cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("orders-outputs")
              .edit(c -> new ConfigMapBuilder(c).withData(Map.of("ApiEndpoint", "https://elsewhere")).build());
          cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).withName("orders-api")
              .edit(c -> new SecretBuilder(c).addToData("endpoint", "aHR0cHM6Ly9lbHNld2hlcmU=").build());
          await().until(() -> !cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("orders-outputs")
              .get().getData().get("ApiEndpoint").equals("https://elsewhere")
              && !cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).withName("orders-api").get().getData()
              .get("endpoint").equals("aHR0cHM6Ly9lbHNld2hlcmU="));

          // renamed exports: the operator deletes the objects it owned under the old names
          // as kubectl patch does it: a merge patch without a resourceVersion, so the operator's status writes in the
          // meantime cannot make it conflict
          cluster.client.resources(ServerlessDataStack.class).inNamespace(MockCluster.NAMESPACE).withName("orders")
              .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + cluster.client.getKubernetesSerialization()
                  .asJson(MockCluster.stack("orders", "orders-dev", new ExportSpec("orders-outputs-2", "orders-api-2"))
                      .getSpec()) + "}");
          await().until(() -> cluster.get("orders"), exported("orders-outputs-2", "orders-api-2"));
          await().until(() -> cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("orders-outputs")
              .get() == null && cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).withName("orders-api")
              .get() == null);

          // hand-over: the first replica stops as on SIGTERM, the second takes the lease once it has expired
          first.close();
          await().until(second.election::leading);
          lease = renewals(cluster, leaseName, "replica-2");
          assertThat(lease.getSpec().getLeaseTransitions()).as("transitions of the lease").isGreaterThanOrEqualTo(1);

          cluster.client.resources(ServerlessDataStack.class).resource(cluster.get("orders")).delete();
          await().until(() -> cluster.get("orders") == null);
        }
      }
      sent = cluster.operatorRequests().stream().map(ApiAccess::of).distinct().toList();
    }
    assertThat(lost).as("replicas that lost the lease while running").isEmpty();

    String workload = watched.isEmpty() ? " (cluster-wide)" : " in " + MockCluster.NAMESPACE;
    String lease = "coordination.k8s.io/leases " + leaseName + " in " + RELEASE_NAMESPACE;
    assertThat(sent).extracting(ApiAccess::toString).as("what the replicas sent").contains(
        "create authorization.k8s.io/selfsubjectrulesreviews (cluster-wide)",
        "create coordination.k8s.io/leases in " + RELEASE_NAMESPACE,
        "get " + lease,
        "patch " + lease,
        "list serverlessdata.io/serverlessdatastacks" + workload,
        "watch serverlessdata.io/serverlessdatastacks" + workload,
        "patch serverlessdata.io/serverlessdatastacks orders in team-a",
        "update serverlessdata.io/serverlessdatastacks/status orders in team-a",
        "create events in team-a",
        "get namespaces team-a in team-a",
        "create configmaps in team-a",
        "update configmaps orders-outputs in team-a",
        "update secrets orders-api in team-a",
        "delete configmaps orders-outputs in team-a",
        "create secrets in team-a",
        "delete secrets orders-api in team-a");
    Set<String> refused = sent.stream().filter(Predicate.not(rbac::grants)).map(ApiAccess::toString)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(refused).as("requests of the operator that the chart's RBAC does not grant (values:%n%s)", values)
        .isEmpty();
    // and the other way round: the chart grants no verb the replicas did not use, but for two on purpose
    Set<String> used = sent.stream().filter(ApiAccess::resourceRequest)
        .map(a -> a.group() + "/" + a.qualifiedResource() + ": " + a.verb()).collect(Collectors.toSet());
    Set<String> unused = new TreeSet<>(rbac.grantedVerbs());
    unused.removeAll(used);
    assertThat(unused).as("verbs the chart grants that the replicas never sent (values:%n%s)", values)
        .containsExactlyInAnyOrder(
            // JOSDK's start-up lease check demands it; fabric8 renews with patch
            "coordination.k8s.io/leases: update",
            // JOSDK reads the resource again when patching its finalizer meets a conflict (HTTP 409 or 422)
            "serverlessdata.io/serverlessdatastacks: get");
  }

  /** Waits for two renewals of the lease by this holder after it is seen holding it; the lease then. */
  private static Lease renewals(MockCluster cluster, String leaseName, String holder) {
    Set<Object> renewTimes = new LinkedHashSet<>();
    AtomicReference<Lease> last = new AtomicReference<>();
    await().until(() -> {
      Lease lease = cluster.client.leases().inNamespace(RELEASE_NAMESPACE).withName(leaseName).get();
      if (lease != null && holder.equals(lease.getSpec().getHolderIdentity())) {
        renewTimes.add(lease.getSpec().getRenewTime());
        last.set(lease);
      }
      return renewTimes.size() >= 3;
    });
    return last.get();
  }

  private static Predicate<ServerlessDataStack> exported(String configMap, String secret) {
    return r -> r != null && r.getStatus() != null && "CREATE_COMPLETE".equals(r.getStatus().getStackStatus())
        && r.getStatus().getExports() != null && configMap.equals(r.getStatus().getExports().configMapName())
        && secret.equals(r.getStatus().getExports().secretName())
        && r.getStatus().getConditions().stream().anyMatch(RbacCoverageIT::exportedTrue);
  }

  private static boolean exportedTrue(Condition condition) {
    return condition.getType().equals("Exported") && condition.getStatus().equals("True");
  }

  private static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
  }

  private static Map<String, String> env(List<HasMetadata> chart) {
    Deployment deployment = HelmChartTest.of(chart, Deployment.class).get(0);
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  /**
   * One replica, as {@code run} assembles it (OperatorRuntime from the configuration, with leader election) and
   * stops it: its own Kubernetes client, AWS clients, metrics and identity in the Lease. Short leases (a renewal
   * every 200 ms, an abandoned lease taken over after 1.5 s), and a lost lease recorded rather than ending the
   * test's JVM.
   */
  private static final class Replica implements AutoCloseable {

    final LeaderElection election;
    private final KubernetesClient kubernetes;
    private final OperatorRuntime runtime;
    private boolean stopped;

    Replica(MockCluster cluster, OperatorConfig config, String leaseName, String identity, List<String> lost) {
      kubernetes = cluster.operatorClient();
      runtime = OperatorRuntime.create(config.withLeaderElection(Optional.of(new LeaderElection.Settings(leaseName,
          RELEASE_NAMESPACE, identity, Duration.ofMillis(1500), Duration.ofMillis(1000), Duration.ofMillis(200)))),
          kubernetes, Clock.systemUTC());
      election = runtime.leaderElection().orElseThrow();
      election.onLostLease(() -> lost.add(identity));
    }

    void start() {
      runtime.start();
    }

    /** As RunCommand's shutdown hook: the lease is given up on purpose, then the operator stops. */
    @Override
    public void close() {
      if (stopped) {
        return;
      }
      stopped = true;
      election.shuttingDown();
      try {
        runtime.close();
      } finally {
        kubernetes.close();
      }
    }
  }
}
