package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.cloudformation.ApiCallListener;
import io.serverlessdata.operator.cloudformation.AwsStackOperations;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.operator.reconciler.ReconcilerSettings;
import io.serverlessdata.simulator.CloudFormationSimulator;
import io.serverlessdata.simulator.Timings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The fabric8 mock API server (CRUD mode, the CRD and one namespace in it) and the CloudFormation simulator over
 * HTTP, with stacks that take a fraction of a second: what the app's tests run the real operator against.
 */
final class MockCluster implements AutoCloseable {

  static final String NAMESPACE = "team-a";
  /** The operator's client sends this User-Agent, so that its requests can be told from the test's. */
  static final String OPERATOR_USER_AGENT = "sds-operator-under-test";

  final KubernetesMockServer server;
  final NamespacedKubernetesClient client;
  final CloudFormationSimulator simulator;

  MockCluster() throws IOException {
    // CRUD for everything but what a test sets an expectation for (the leader-election access review)
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
        new KubernetesMixedDispatcher(expectations), false);
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
  }

  /** A client for the operator, marked by its User-Agent. */
  KubernetesClient operatorClient() {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(OPERATOR_USER_AGENT).build())
        .build();
  }

  /** The operator's configuration against this cluster's simulator, with test pacing. */
  OperatorConfig config() {
    return OperatorConfig.defaults()
        .withConcurrency(2)
        .withReconciler(ReconcilerSettings.defaults()
            .withPacing(Duration.ofMillis(150), Duration.ofMillis(400), Duration.ofSeconds(2))
            .withTypical(ReconcilerSettings.Typical.UNKNOWN))
        .withRetry(Duration.ofMillis(100), Duration.ofMillis(800))
        .withAws(OperatorConfig.AwsEndpoints.all(simulator.endpoint()), clientSettings());
  }

  static ClientSettings clientSettings() {
    return ClientSettings.defaults(Optional.empty())
        .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator")))
        .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20));
  }

  /** A resource with the two required fields. */
  static ServerlessDataStack stack(String name, String prefix) {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    resource.setSpec(new ServerlessDataStackSpec(prefix, 5, null, "ops@example.com", null, null, null,
        null, null, null, null, null, null, null, null, null));
    return resource;
  }

  ServerlessDataStack get(String name) {
    return client.resources(ServerlessDataStack.class).inNamespace(NAMESPACE).withName(name).get();
  }

  /** Every request the mock server received so far, oldest first, taken out of its log. */
  List<RecordedRequest> takeRequests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      requests.add(request);
    }
    return requests;
  }

  @Override
  public void close() {
    try {
      simulator.close();
      client.close();
    } finally {
      server.destroy();
    }
  }
}
