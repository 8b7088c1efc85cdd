package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.NAMESPACE;
import static io.serverlessdata.operator.reconciler.OperatorHarness.condition;
import static io.serverlessdata.operator.reconciler.OperatorHarness.reason;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ExportSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code spec.exportTo}: the real operator against the mock API server (CRUD mode) and the simulator, whose
 * GetApiKey the real SDK API Gateway client reads. The mock server runs no garbage collector: deletion with the
 * resource is asserted through the controller ownerReference that Kubernetes' collector follows.
 */
class OutputExportIT {

  private static final String STACK_NAME = "team-a-orders";

  private OperatorHarness harness;

  @BeforeEach
  void start() throws Exception {
    harness = new OperatorHarness();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void syncedStackExportsEveryOutputAndTheKeyToOwnedObjects() {
    ServerlessDataStack created = harness.create(withExport(stack("orders", "orders-prod"), "orders-outputs", "orders-api"));

    ServerlessDataStack exported = harness.await("orders", "exported", OutputExportIT::exported);

    Map<String, String> outputs = exported.getStatus().getOutputs();
    ConfigMap configMap = configMap("orders-outputs");
    assertThat(configMap.getData()).isEqualTo(outputs).containsKeys("ApiEndpoint", "ApiKeyId", "CloudFrontUrl",
        "S3BucketName", "DynamoTableName", "FunctionName", "ErrorTopicArn");
    Secret secret = secret("orders-api");
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getData()).containsOnlyKeys("endpoint", "apiKey");
    assertThat(decode(secret, "endpoint")).isEqualTo(outputs.get("ApiEndpoint"));
    assertThat(decode(secret, "apiKey")).isEqualTo(harness.simulator.apiKeyValue(outputs.get("ApiKeyId")).orElseThrow());
    assertThat(secret.getMetadata().getAnnotations()).containsEntry(OutputExporter.API_KEY_ID_ANNOTATION,
        outputs.get("ApiKeyId"));
    for (var object : List.of(configMap, secret)) {
      assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> assertOwner(owner, created));
      assertThat(object.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "serverless-data-stack-operator");
    }
    assertThat(exported.getStatus().getExports().configMapName()).isEqualTo("orders-outputs");
    assertThat(exported.getStatus().getExports().secretName()).isEqualTo("orders-api");
    assertThat(condition(exported, ConditionTypes.READY, "True")).isTrue();
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Normal Exported: created ConfigMap orders-outputs"))
        .anyMatch(e -> e.contains("created Secret orders-api"));

    // later passes of a still stack (every 2 s here) neither read the key again nor write the objects
    String configMapVersion = configMap.getMetadata().getResourceVersion();
    String secretVersion = secret.getMetadata().getResourceVersion();
    harness.simulator.resetCalls();
    Awaitility.await().pollDelay(OperatorHarness.PACE.steadyInterval().multipliedBy(2)).until(() -> true);
    assertThat(harness.calls("GetApiKey")).isZero();
    assertThat(harness.calls("DescribeStacks")).isZero();
    assertThat(configMap("orders-outputs").getMetadata().getResourceVersion()).isEqualTo(configMapVersion);
    assertThat(secret("orders-api").getMetadata().getResourceVersion()).isEqualTo(secretVersion);

    // deleting the resource: the API server's garbage collector follows the controller reference asserted above
    harness.resource("orders").delete();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> harness.get("orders") == null);
    assertThat(configMap("orders-outputs").getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid).containsExactly(created.getMetadata().getUid());
  }

  @Test
  void rotatedKeyReachesTheSecretAndItsValueIsNowhereElse() {
    ListAppender<ILoggingEvent> logs = captureLogs();
    try {
      harness.create(withExport(stack("orders", "orders-prod"), "orders-outputs", "orders-api"));
      ServerlessDataStack first = harness.await("orders", "exported", OutputExportIT::exported);
      String oldId = first.getStatus().getOutputs().get("ApiKeyId");
      String oldValue = decode(secret("orders-api"), "apiKey");
      harness.simulator.resetCalls();

      harness.simulator.rotateApiKey(STACK_NAME);

      ServerlessDataStack rotated = harness.await("orders", "exported with a new key", r -> exported(r)
          && !oldId.equals(r.getStatus().getOutputs().get("ApiKeyId"))
          && r.getStatus().getOutputs().get("ApiKeyId").equals(annotation(secret("orders-api"))));
      String newId = rotated.getStatus().getOutputs().get("ApiKeyId");
      String newValue = decode(secret("orders-api"), "apiKey");
      assertThat(newValue).isEqualTo(harness.simulator.apiKeyValue(newId).orElseThrow()).isNotEqualTo(oldValue);
      assertThat(configMap("orders-outputs").getData()).containsEntry("ApiKeyId", newId);
      assertThat(harness.calls("GetApiKey")).isEqualTo(1);
      assertThat(harness.events("orders")).anyMatch(e -> e.contains("updated Secret orders-api for API key " + newId));

      String status = harness.client.getKubernetesSerialization().asJson(harness.get("orders"));
      List<String> events = harness.events("orders");
      List<String> logged = logs.list.stream().map(OutputExportIT::render).toList();
      assertThat(logged).isNotEmpty();
      for (String value : List.of(oldValue, newValue)) {
        assertThat(status).doesNotContain(value);
        assertThat(events).noneMatch(e -> e.contains(value));
        assertThat(logged).noneMatch(line -> line.contains(value));
      }
    } finally {
      releaseLogs(logs);
    }
  }

  @Test
  void foreignConfigMapIsLeftAloneAndReported() {
    harness.client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("orders-outputs").withNamespace(NAMESPACE).endMetadata()
        .withData(Map.of("owner", "another team"))
        .build()).create();

    harness.create(withExport(stack("orders", "orders-prod"), "orders-outputs", "orders-api"));

    ServerlessDataStack blocked = harness.await("orders", "reported the conflict",
        r -> condition(r, ConditionTypes.EXPORTED, "False"));
    assertThat(reason(blocked, ConditionTypes.EXPORTED)).contains("ExportConflict");
    assertThat(condition(blocked, ConditionTypes.SYNCED, "True")).isTrue();
    assertThat(condition(blocked, ConditionTypes.READY, "False")).isTrue();
    assertThat(reason(blocked, ConditionTypes.READY)).contains("ExportConflict");
    ConfigMap untouched = configMap("orders-outputs");
    assertThat(untouched.getData()).isEqualTo(Map.of("owner", "another team"));
    assertThat(untouched.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(secret("orders-api").getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(blocked.getStatus().getExports().configMapName()).isNull();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> harness.events("orders"), events -> events.stream()
        .anyMatch(e -> e.startsWith("Warning ExportConflict: ConfigMap team-a/orders-outputs exists and is not owned")));

    // once its owner removes it, the export goes through
    harness.client.configMaps().inNamespace(NAMESPACE).withName("orders-outputs").delete();
    ServerlessDataStack recovered = harness.await("orders", "exported", OutputExportIT::exported);
    assertThat(condition(recovered, ConditionTypes.READY, "True")).isTrue();
    assertThat(configMap("orders-outputs").getData()).isEqualTo(recovered.getStatus().getOutputs());
    assertThat(harness.events("orders").stream().filter(e -> e.startsWith("Warning ExportConflict"))).hasSize(1);
  }

  @Test
  void renamedOrRemovedExportsDeleteTheObjectsTheOperatorOwned() {
    harness.create(withExport(stack("orders", "orders-prod"), "orders-outputs", "orders-api"));
    harness.await("orders", "exported", OutputExportIT::exported);

    harness.edit("orders", r -> withExport(r, "orders-outputs-v2", null));

    ServerlessDataStack moved = harness.await("orders", "exported to the new name only", r -> exported(r)
        && "orders-outputs-v2".equals(r.getStatus().getExports().configMapName())
        && r.getStatus().getExports().secretName() == null);
    assertThat(configMap("orders-outputs-v2").getData()).isEqualTo(moved.getStatus().getOutputs());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(
        () -> configMap("orders-outputs") == null && secret("orders-api") == null);

    harness.edit("orders", r -> withExport(r, null, null));

    harness.await("orders", "no longer exporting", r -> r.getStatus().getExports() == null
        && !condition(r, ConditionTypes.EXPORTED, "True") && !condition(r, ConditionTypes.EXPORTED, "False"));
    assertThat(configMap("orders-outputs-v2")).isNull();
  }

  private static boolean exported(ServerlessDataStack resource) {
    return OperatorHarness.synced(resource) && condition(resource, ConditionTypes.EXPORTED, "True");
  }

  private static void assertOwner(OwnerReference owner, ServerlessDataStack resource) {
    assertThat(owner.getApiVersion()).isEqualTo("serverlessdata.io/v1alpha1");
    assertThat(owner.getKind()).isEqualTo("ServerlessDataStack");
    assertThat(owner.getName()).isEqualTo(resource.getMetadata().getName());
    assertThat(owner.getUid()).isEqualTo(resource.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
  }

  private ConfigMap configMap(String name) {
    return harness.client.configMaps().inNamespace(NAMESPACE).withName(name).get();
  }

  private Secret secret(String name) {
    return harness.client.secrets().inNamespace(NAMESPACE).withName(name).get();
  }

  private static String annotation(Secret secret) {
    return secret == null ? null : secret.getMetadata().getAnnotations().get(OutputExporter.API_KEY_ID_ANNOTATION);
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  static ServerlessDataStack withExport(ServerlessDataStack resource, String configMapName, String secretName) {
    ServerlessDataStackSpec s = resource.getSpec();
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), s.dynamoDbReadCapacity(),
        s.dynamoDbWriteCapacity(), s.alertEmail(), s.environment(), s.tags(), s.stackName(), s.lambda(), s.api(),
        s.logRetentionDays(), s.dataRetention(), s.objectLock(), s.driftDetection(), s.alerts(),
        configMapName == null && secretName == null ? null : new ExportSpec(configMapName, secretName),
        s.cloudFormation()));
    return resource;
  }

  /** Everything logged while the test runs, the operator's own loggers at DEBUG. */
  private static ListAppender<ILoggingEvent> captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    context.getLogger("io.serverlessdata").setLevel(Level.DEBUG);
    return appender;
  }

  private static void releaseLogs(ListAppender<ILoggingEvent> appender) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    context.getLogger("io.serverlessdata").setLevel(null);
    appender.stop();
  }

  private static String render(ILoggingEvent event) {
    return event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
        : ThrowableProxyUtil.asString(event.getThrowableProxy()));
  }
}
