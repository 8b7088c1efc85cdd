package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.javaoperatorsdk.operator.Operator;
import io.serverlessdata.operator.cloudformation.ApiKeys;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.cloudformation.AwsStackOperations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoints of a running operator (JOSDK, the reconciler, the SDK adapter) against the fabric8 mock API
 * server and the CloudFormation simulator: the probes as the kubelet sees them and the metrics as Prometheus
 * scrapes them after a stack was created.
 */
class OpsEndpointsIT {

  private final HttpClient http = HttpClient.newHttpClient();
  private MockCluster cluster;
  private OperatorRuntime operator;
  private OpsServer ops;
  private LeaderElection election;

  @BeforeEach
  void start() throws Exception {
    cluster = new MockCluster();
    operator = OperatorRuntime.create(cluster.config(), cluster.client, Clock.systemUTC());
    Probes probes = new Probes(operator.operator(), Optional.empty());
    ops = OpsServer.start(0, probes::liveness, probes::readiness, operator.metrics()::scrape);
  }

  @AfterEach
  void stop() {
    if (ops != null) {
      ops.close();
    }
    if (election != null) {
      election.shuttingDown();
    }
    operator.close();
    cluster.close();
  }

  @Test
  void probesAnswerLiveWhileStartingAndReadyOnceTheInformersHaveSynced() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> starting = get("/readyz");
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(starting.body()).contains("starting");

    operator.start();

    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ok: informers synced\n");
    assertThat(get("/healthz").body()).isEqualTo("ok: operator running\n");
  }

  @Test
  void metricsCountCloudFormationCallsAndStacksByStatusAfterAReconcile() throws Exception {
    operator.start();
    cluster.client.resources(ServerlessDataStack.class).resource(MockCluster.stack("orders", "orders-dev")).create();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
        () -> cluster.get("orders"), r -> r != null && r.getStatus() != null && "CREATE_COMPLETE".equals(r.getStatus().getStackStatus()));

    // the gauges read the informer cache, which follows the API server a moment later
    String metrics = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> get("/metrics").body(), body -> body.contains("sds_stacks{stack_status=\"CREATE_COMPLETE\"} 1"));

    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(metrics)
        .contains("sds_outbound_api_requests_total{operation=\"CreateChangeSet\",outcome=\"success\",service=\"cloudformation\"} 1")
        .contains("sds_outbound_api_requests_total{operation=\"ExecuteChangeSet\",outcome=\"success\",service=\"cloudformation\"} 1")
        .containsPattern("sds_outbound_api_requests_total\\{operation=\"DescribeStacks\",outcome=\"success\",service=\"cloudformation\"} [1-9]")
        .contains("sds_stack_drift{drift_status=\"NOT_CHECKED\"} 1")
        .contains("sds_leader 1")
        .containsPattern("sds_reconciles_submitted_total\\{trigger=\"other\"} [1-9]")
        .contains("sds_reconciles_submitted_total{trigger=\"observed\"}")
        .contains("sds_reconciles_hurried_total")
        .contains("executor_queued_tasks{name=\"reconciler\"}")
        .contains("executor_active_threads{name=\"reconciler\"}")
        .contains("executor_completed_tasks_total{name=\"reconciler\"}")
        .contains("executor_pool_size_threads{name=\"reconciler\"}")
        .contains("operator_sdk_reconciliations_started_total")
        .contains("operator_sdk_reconciliations_success_total")
        .contains("jvm_memory_used_bytes");
    assertThat(cluster.simulator.calls("CreateChangeSet")).isEqualTo(1);
  }

  @Test
  void withLeaderElectionTheReplicaTakesTheLeaseWithTheChartsLeaseRoleAndSaysSo() throws Exception {
    operator.close();
    ops.close();
    // JOSDK first asks the API server what it may do with leases: answer with the chart's leader-election Role
    Role leaseRole = HelmChartTest.of(HelmChartTest.renderWithReplicas(2), Role.class).get(0);
    SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder()
        .withNewMetadata().endMetadata()
        .withNewStatus().withIncomplete(false)
        .withResourceRules(leaseRole.getRules().stream().map(rule -> new ResourceRuleBuilder()
            .withApiGroups(rule.getApiGroups()).withResources(rule.getResources()).withVerbs(rule.getVerbs()).build())
            .toList())
        .endStatus().build();
    cluster.server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, review).always();
    operator = OperatorRuntime.create(cluster.config().withLeaderElection(
        Optional.of(LeaderElection.Settings.of("sds-operator", MockCluster.NAMESPACE, "replica-1"))),
        cluster.client, Clock.systemUTC());
    election = operator.leaderElection().orElseThrow();
    Probes probes = new Probes(operator.operator(), Optional.of(election));
    ops = OpsServer.start(0, probes::liveness, probes::readiness, operator.metrics()::scrape);

    operator.start();

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(election::leading);
    assertThat(cluster.client.leases().inNamespace(MockCluster.NAMESPACE).withName("sds-operator").get()
        .getSpec().getHolderIdentity()).isEqualTo("replica-1");
    assertThat(get("/readyz").body()).isEqualTo("ok: informers synced, leader\n");
    assertThat(get("/metrics").body()).contains("sds_leader 1");
  }

  @Test
  void endpointsRefuseWrites() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/metrics"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + ops.port() + path);
  }
}
