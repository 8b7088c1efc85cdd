package io.serverlessdata.operator.app;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
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
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ExportSpec;
import io.serverlessdata.operator.cloudformation.ApiCallListener;
import io.serverlessdata.operator.cloudformation.AwsStackOperations;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.operator.reconciler.ReconcilerSettings;
import io.serverlessdata.operator.reconciler.StackListing;
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
 *
 * <p>The mock server has no authorizer. With {@link #authorize} it answers as the API server would under the RBAC
 * of a rendered chart: a SelfSubjectRulesReview (JOSDK's lease check) lists the rules the chart grants in the
 * namespace asked about, and, when enforcing, a request of the operator that the chart does not grant gets the
 * API server's 403 Forbidden. Every request stays in the server's log ({@link #requests}) either way.
 */
final class MockCluster implements AutoCloseable {

  static final String NAMESPACE = "team-a";
  /** The operator's client sends this User-Agent, so that its requests can be told from the test's. */
  static final String OPERATOR_USER_AGENT = "sds-operator-under-test";

  final KubernetesMockServer server;
  final NamespacedKubernetesClient client;
  final CloudFormationSimulator simulator;
  private final List<RecordedRequest> log = new ArrayList<>();
  private volatile ChartRbac rbac;
  private volatile boolean enforce;

  MockCluster() throws IOException {
    // CRUD for everything but what a test sets an expectation for (the leader-election access review)
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
        new AuthorizingDispatcher(expectations), false);
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

  /**
   * From now on, answer the operator as an API server with this RBAC would: SelfSubjectRulesReviews from its rules
   * and, if {@code enforcing}, 403 Forbidden for whatever it does not grant.
   */
  void authorize(ChartRbac rules, boolean enforcing) {
    this.rbac = rules;
    this.enforce = enforcing;
  }

  /** CRUD and expectations, after the authorizer of {@link #authorize} has had its say. */
  private final class AuthorizingDispatcher extends KubernetesMixedDispatcher {

    AuthorizingDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations) {
      super(expectations);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      ChartRbac rules = rbac;
      if (rules == null || !OPERATOR_USER_AGENT.equals(request.getHeader("User-Agent"))) {
        return super.dispatch(request);
      }
      ApiAccess access = ApiAccess.of(request);
      if (enforce && !rules.grants(access)) {
        return json(403, rules.forbidden(access));
      }
      if (access.verb().equals("create") && access.group().equals("authorization.k8s.io")
          && access.resource().equals("selfsubjectrulesreviews")) {
        SelfSubjectRulesReview review = client.getKubernetesSerialization()
            .unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
        return json(201, rules.rulesReview(review.getSpec().getNamespace()));
      }
      return super.dispatch(request);
    }

    private MockResponse json(int code, Object body) {
      return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
          .setBody(client.getKubernetesSerialization().asJson(body));
    }
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
            .withListing(new StackListing.Pacing(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ZERO),
                Duration.ofSeconds(3)))
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
    return stack(name, prefix, null);
  }

  /** A resource with the two required fields and {@code spec.exportTo} (null: none). */
  static ServerlessDataStack stack(String name, String prefix, ExportSpec exportTo) {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    resource.setSpec(new ServerlessDataStackSpec(prefix, 5, null, "ops@example.com", null, null, null,
        null, null, null, null, null, null, null, exportTo, null));
    return resource;
  }

  ServerlessDataStack get(String name) {
    return client.resources(ServerlessDataStack.class).inNamespace(NAMESPACE).withName(name).get();
  }

  /** Every request the mock server received so far, oldest first, from its log. */
  synchronized List<RecordedRequest> requests() throws InterruptedException {
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      log.add(request);
    }
    return List.copyOf(log);
  }

  /** Every request the operator's clients sent so far (told apart by their User-Agent), oldest first. */
  List<RecordedRequest> operatorRequests() throws InterruptedException {
    return requests().stream().filter(r -> OPERATOR_USER_AGENT.equals(r.getHeader("User-Agent"))).toList();
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
