package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.cloudformation.AwsStackOperations;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.operator.reconciler.ReconcilerSettings;
import io.serverlessdata.operator.sandbox.CloudFormationSimulator;
import io.serverlessdata.operator.sandbox.Timings;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The HTTP endpoints of a running operator (JOSDK, the reconciler, the SDK adapter) against the fabric8 mock API
 * server and the CloudFormation simulator: the probes as the kubelet sees them and the metrics as Prometheus
 * scrapes them after a stack was created.
 */
class OpsEndpointsIT {

  private static final String NAMESPACE = "team-a";

  private final HttpClient http = HttpClient.newHttpClient();
  private KubernetesMockServer server;
  private NamespacedKubernetesClient client;
  private CloudFormationSimulator simulator;
  private AwsStackOperations cloudFormation;
  private Operator operator;
  private OpsServer ops;

  @BeforeEach
  void start() throws Exception {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    client = server.createClient();
    Path crd = Path.of(System.getProperty("sds.repoRoot", ".."), "crds", "serverlessdatastacks.serverlessdata.io-v1.yml");
    try (InputStream in = Files.newInputStream(crd)) {
      client.apiextensions().v1().customResourceDefinitions()
          .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
    }
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    simulator = CloudFormationSimulator.start(Clock.systemUTC(), new Timings(Duration.ofMillis(100),
        Duration.ofMillis(400), Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(300),
        Duration.ofMillis(300)));

    OperatorMetrics metrics = new OperatorMetrics();
    cloudFormation = AwsStackOperations.create(ClientSettings.defaults(Optional.of(simulator.endpoint()))
        .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator")))
        .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20)),
        metrics.cloudFormationCalls());
    OperatorConfig config = new OperatorConfig(Set.of(), 2, Optional.of(simulator.endpoint()),
        new ReconcilerSettings(Duration.ofMillis(150), Duration.ofMillis(400), Duration.ofSeconds(2), Optional.empty()),
        Duration.ofMillis(100), Duration.ofMillis(800));
    operator = OperatorRuntime.create(client, cloudFormation, config, Clock.systemUTC(), metrics, Optional.empty());
    Probes probes = new Probes(operator, Optional.empty());
    ops = OpsServer.start(0, probes::liveness, probes::readiness, metrics::scrape);
  }

  @AfterEach
  void stop() {
    if (ops != null) {
      ops.close();
    }
    operator.stop();
    cloudFormation.close();
    simulator.close();
    client.close();
    server.destroy();
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
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace(NAMESPACE).build());
    resource.setSpec(new ServerlessDataStackSpec("orders-dev", 5, null, "ops@example.com", null, null, null,
        null, null, null, null, null, null, null, null, null));
    client.resources(ServerlessDataStack.class).resource(resource).create();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
        () -> client.resources(ServerlessDataStack.class).inNamespace(NAMESPACE).withName("orders").get(),
        r -> r.getStatus() != null && "CREATE_COMPLETE".equals(r.getStatus().getStackStatus()));

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
        .contains("operator_sdk_reconciliations_started_total")
        .contains("operator_sdk_reconciliations_success_total")
        .contains("jvm_memory_used_bytes");
    assertThat(simulator.calls("CreateChangeSet")).isEqualTo(1);
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
