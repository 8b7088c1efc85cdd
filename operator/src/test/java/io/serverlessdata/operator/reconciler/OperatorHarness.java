package io.serverlessdata.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.app.OperatorConfig;
import io.serverlessdata.operator.app.OperatorRuntime;
import io.serverlessdata.operator.cloudformation.AwsApiKeys;
import io.serverlessdata.operator.cloudformation.AwsStackOperations;
import io.serverlessdata.operator.cloudformation.ClientSettings;
import io.serverlessdata.simulator.CloudFormationSimulator;
import io.serverlessdata.simulator.Timings;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real operator (JOSDK, the reconciler, the AWS SDK adapter) against the fabric8 mock API server in CRUD
 * mode and the CloudFormation simulator over HTTP, on the system clock with stacks that take a fraction of a
 * second. One harness per test.
 */
final class OperatorHarness implements AutoCloseable {

  static final String NAMESPACE = "team-a";
  static final Timings FAST = new Timings(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(300),
      Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(300));
  static final ReconcilerSettings PACE = ReconcilerSettings.defaults()
      .withPacing(Duration.ofMillis(150), Duration.ofMillis(400), Duration.ofSeconds(2))
      .withListing(new StackListing.Pacing(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ZERO),
          Duration.ofSeconds(3));

  final KubernetesMockServer server;
  final NamespacedKubernetesClient client;
  final CloudFormationSimulator simulator;
  /** The operator's clock: the system clock, which tests may move forward. */
  final ShiftedClock clock = new ShiftedClock();
  /** The test's own client of the simulator, to look at stacks and make some by hand (not the operator's). */
  private final AwsStackOperations cloudFormation;
  private OperatorRuntime operator;

  private final ReconcilerSettings pace;

  OperatorHarness() throws IOException {
    this(PACE);
  }

  /** A harness whose operator paces itself as given (e.g. production's long resync, to see what triggers a pass). */
  OperatorHarness(ReconcilerSettings pace) throws IOException {
    this(pace, FAST);
  }

  /** A harness whose operator paces itself as given, with stacks that take as long as {@code timings} say. */
  OperatorHarness(ReconcilerSettings pace, Timings timings) throws IOException {
    this.pace = pace;
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    client = server.createClient();
    try (InputStream crd = new FileInputStream(
        Path.of(System.getProperty("sds.repoRoot", ".."), "crds", "serverlessdatastacks.serverlessdata.io-v1.yml").toFile())) {
      client.apiextensions().v1().customResourceDefinitions()
          .resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
    }
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
    simulator = CloudFormationSimulator.start(Clock.systemUTC(), timings);
    cloudFormation = AwsStackOperations.create(clientSettings().withEndpoint(Optional.of(simulator.endpoint())));
    startOperator();
  }

  /** The operator as {@code run} builds it, against the mock API server and the simulator (which answers every AWS API). */
  void startOperator() {
    startOperator(config -> config);
  }

  /** The operator as {@link #startOperator()} builds it, with a setting of {@code run}'s changed (e.g. the budget). */
  void startOperator(java.util.function.UnaryOperator<OperatorConfig> tuning) {
    OperatorConfig config = tuning.apply(OperatorConfig.defaults()
        .withConcurrency(4)
        .withReconciler(pace)
        .withRetry(Duration.ofMillis(100), Duration.ofMillis(800))
        .withAws(OperatorConfig.AwsEndpoints.all(simulator.endpoint()), clientSettings()));
    operator = OperatorRuntime.create(config, client, clock);
    operator.start();
  }

  void stopOperator() {
    operator.close();
  }

  private static ClientSettings clientSettings() {
    return ClientSettings.defaults(Optional.empty())
        .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator")))
        .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20));
  }

  /** A resource with the two required fields; tests change the rest. */
  static ServerlessDataStack stack(String name, String prefix) {
    return stack(name, prefix, 5);
  }

  static ServerlessDataStack stack(String name, String prefix, int readCapacity) {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    resource.setSpec(new ServerlessDataStackSpec(prefix, readCapacity, null, "ops@example.com", null, null, null,
        null, null, null, null, null, null, null, null, null));
    return resource;
  }

  ServerlessDataStack create(ServerlessDataStack resource) {
    return client.resources(ServerlessDataStack.class).resource(resource).create();
  }

  Resource<ServerlessDataStack> resource(String name) {
    return client.resources(ServerlessDataStack.class).inNamespace(NAMESPACE).withName(name);
  }

  ServerlessDataStack get(String name) {
    return resource(name).get();
  }

  /** Waits (up to 20 s) until the resource satisfies the condition, and returns it. */
  ServerlessDataStack await(String name, String description, Predicate<ServerlessDataStack> condition) {
    return org.awaitility.Awaitility.await().alias(name + " " + description).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> get(name), r -> r != null && condition.test(r));
  }

  static boolean condition(ServerlessDataStack resource, String type, String status) {
    return resource.getStatus() != null && StatusConditions.find(resource.getStatus().getConditions(), type)
        .filter(c -> status.equals(c.getStatus())).isPresent();
  }

  static boolean synced(ServerlessDataStack resource) {
    return condition(resource, ConditionTypes.SYNCED, "True") && resource.getStatus().getObservedGeneration() != null
        && resource.getStatus().getObservedGeneration().equals(resource.getMetadata().getGeneration());
  }

  static Optional<String> reason(ServerlessDataStack resource, String type) {
    return resource.getStatus() == null ? Optional.empty()
        : StatusConditions.find(resource.getStatus().getConditions(), type).map(c -> c.getReason());
  }

  /** Events recorded about a resource, as {@code kubectl describe} lists them: "Type Reason: message". */
  List<String> events(String name) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(OperatorHarness::describe)
        .toList();
  }

  private static String describe(Event e) {
    return e.getType() + " " + e.getReason() + ": " + e.getMessage();
  }

  /** Edits a resource as kubectl edit would. */
  void edit(String name, java.util.function.UnaryOperator<ServerlessDataStack> change) {
    resource(name).edit(change);
  }

  void annotate(String name, String key, String value) {
    edit(name, r -> {
      r.getMetadata().getAnnotations().put(key, value);
      return r;
    });
  }

  /** A stack made outside the operator (no owner tag), created and complete. */
  io.serverlessdata.operator.cloudformation.Stack foreignStack(String stackName, String prefix) {
    var rendered = io.serverlessdata.operator.template.StackTemplate.render(
        io.serverlessdata.operator.api.SpecResolverAccess.settings(prefix));
    var request = io.serverlessdata.operator.cloudformation.PlanRequest.of(stackName, "by-hand",
        io.serverlessdata.operator.cloudformation.PlanRequest.Type.CREATE, Optional.empty(), rendered);
    cloudFormation.plan(request);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(
        () -> cloudFormation.describeChangeSet(stackName, "by-hand").state()
            == io.serverlessdata.operator.cloudformation.ChangeSet.State.READY);
    cloudFormation.execute(stackName, "by-hand");
    return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> cloudFormation.describe(stackName).orElseThrow(), s -> s.status().name().equals("CREATE_COMPLETE"));
  }

  Optional<io.serverlessdata.operator.cloudformation.Stack> describe(String stackName) {
    return cloudFormation.describe(stackName).filter(s -> !s.status().deleted());
  }

  Map<String, Integer> calls() {
    return simulator.callCounts();
  }

  int calls(String action) {
    return simulator.calls(action);
  }

  /**
   * Passes finished so far, successful or failed, as the operator's own metrics count them (JOSDK's
   * {@code operator_sdk_reconciliations_success_total} and {@code _failed_total}, over every resource): what a test
   * waits on to see that later passes ran, without timing them.
   */
  long passes() {
    return operator.metrics().scrape().lines()
        .filter(l -> l.startsWith("operator_sdk_reconciliations_success_total")
            || l.startsWith("operator_sdk_reconciliations_failed_total"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * Reconciles handed to the reconcile threads because the account's listing saw a change (the operator's
   * {@code sds_reconciles_submitted_total{trigger="observed"}}): they run before the others that wait.
   */
  long observedChangePasses() {
    return operator.metrics().scrape().lines()
        .filter(l -> l.startsWith("sds_reconciles_submitted_total{trigger=\"observed\"}"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Waits (up to 20 s) until {@code count} more passes than {@code since} have finished. */
  void awaitPasses(long since, int count) {
    org.awaitility.Awaitility.await().alias(count + " passes after pass " + since).atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50)).until(() -> passes() >= since + count);
  }

  @Override
  public void close() {
    try {
      stopOperator();
    } finally {
      cloudFormation.close();
      simulator.close();
      client.close();
      server.destroy();
    }
  }
}
