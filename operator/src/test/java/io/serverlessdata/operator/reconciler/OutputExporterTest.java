package io.serverlessdata.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.serverlessdata.operator.api.InvalidSpecException;
import io.serverlessdata.operator.api.ResolvedSpec;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.cloudformation.ApiKeys;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import io.serverlessdata.operator.cloudformation.TestFaults;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exporter's decisions, one pass at a time, against the mock API server in CRUD mode and a fake key store. */
class OutputExporterTest {

  private static final String NS = "team-a";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  private KubernetesMockServer server;
  private NamespacedKubernetesClient client;
  private final Map<String, String> keyValues = new HashMap<>();
  private final List<String> reads = new ArrayList<>();
  private final ApiKeys apiKeys = id -> {
    reads.add(id);
    String value = keyValues.get(id);
    if (value == null) {
      throw new IllegalStateException("no key " + id);
    }
    return value;
  };
  private OutputExporter exporter;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
        false);
    server.init();
    client = server.createClient();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    exporter = new OutputExporter(apiKeys);
    keyValues.put("key1111111", "value-one-" + UUID.randomUUID());
    keyValues.put("key2222222", "value-two-" + UUID.randomUUID());
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void keyIsReadOnlyWhenTheKeyIdChangesOrTheSecretLacksIt() {
    ServerlessDataStack resource = resource("orders-outputs", "orders-api", "key1111111");

    export(resource);
    export(resource);
    assertThat(reads).containsExactly("key1111111");
    assertThat(decode(secret("orders-api"), "apiKey")).isEqualTo(keyValues.get("key1111111"));

    resource.getStatus().getOutputs().put("ApiKeyId", "key2222222");
    export(resource);
    assertThat(reads).containsExactly("key1111111", "key2222222");
    assertThat(decode(secret("orders-api"), "apiKey")).isEqualTo(keyValues.get("key2222222"));

    // someone emptied the Secret: the value is read again
    client.secrets().inNamespace(NS).withName("orders-api").edit(s -> new SecretBuilder(s).withData(Map.of()).build());
    export(resource);
    assertThat(reads).hasSize(3);
    assertThat(decode(secret("orders-api"), "apiKey")).isEqualTo(keyValues.get("key2222222"));
  }

  @Test
  void endpointChangeUpdatesTheSecretWithoutReadingTheKey() {
    ServerlessDataStack resource = resource(null, "orders-api", "key1111111");
    export(resource);

    resource.getStatus().getOutputs().put("ApiEndpoint", "https://b2.execute-api.us-east-1.amazonaws.com/prod/process");
    export(resource);

    assertThat(reads).hasSize(1);
    assertThat(decode(secret("orders-api"), "endpoint")).endsWith("b2.execute-api.us-east-1.amazonaws.com/prod/process");
  }

  @Test
  void unchangedOutputsWriteNothing() {
    ServerlessDataStack resource = resource("orders-outputs", "orders-api", "key1111111");
    export(resource);
    String configMapVersion = client.configMaps().inNamespace(NS).withName("orders-outputs").get()
        .getMetadata().getResourceVersion();
    String secretVersion = secret("orders-api").getMetadata().getResourceVersion();

    export(resource);

    assertThat(client.configMaps().inNamespace(NS).withName("orders-outputs").get().getMetadata().getResourceVersion())
        .isEqualTo(configMapVersion);
    assertThat(secret("orders-api").getMetadata().getResourceVersion()).isEqualTo(secretVersion);
  }

  @Test
  void foreignSecretIsNotOverwrittenAndNoKeyIsRead() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("orders-api").withNamespace(NS).build())
        .withData(Map.of("token", "c29tZW9uZSBlbHNl")).build()).create();
    ServerlessDataStack resource = resource("orders-outputs", "orders-api", "key1111111");

    export(resource);

    assertThat(secret("orders-api").getData()).isEqualTo(Map.of("token", "c29tZW9uZSBlbHNl"));
    assertThat(reads).isEmpty();
    var condition = StatusConditions.find(resource.getStatus().getConditions(), ConditionTypes.EXPORTED).orElseThrow();
    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getReason()).isEqualTo("ExportConflict");
    assertThat(condition.getMessage()).contains("Secret team-a/orders-api exists and is not owned by this resource");
    assertThat(resource.getStatus().getExports().secretName()).isNull();
    assertThat(resource.getStatus().getExports().configMapName()).isEqualTo("orders-outputs");
  }

  @Test
  void ownedByAnotherResourceCountsAsForeign() {
    ServerlessDataStack other = resource("orders-outputs", null, "key1111111");
    export(other);
    ServerlessDataStack resource = resource("orders-outputs", null, "key1111111");

    export(resource);

    assertThat(OutputExporter.ownership(client.configMaps().inNamespace(NS).withName("orders-outputs").get(),
        resource.getMetadata().getUid())).isEqualTo(OutputExporter.Ownership.FOREIGN);
    assertThat(StatusConditions.find(resource.getStatus().getConditions(), ConditionTypes.EXPORTED).orElseThrow()
        .getReason()).isEqualTo("ExportConflict");
  }

  @Test
  void keyThatCannotBeReadIsReportedAndTransientFaultsAreThrown() {
    ServerlessDataStack resource = resource(null, "orders-api", "key1111111");
    ApiKeys refusing = ApiKeys.NONE;
    export(new OutputExporter(refusing), resource);

    var condition = StatusConditions.find(resource.getStatus().getConditions(), ConditionTypes.EXPORTED).orElseThrow();
    assertThat(condition.getReason()).isEqualTo("ApiKeyUnavailable");
    assertThat(condition.getMessage()).contains("key1111111").contains("ApiGatewayNotConfigured");
    assertThat(secret("orders-api")).isNull();

    keyValues.clear();
    assertThatThrownBy(() -> export(resource)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void transientAwsFaultIsThrownForARetry() {
    ServerlessDataStack resource = resource(null, "orders-api", "key1111111");
    ApiKeys throttled = id -> {
      throw TestFaults.throttled();
    };

    assertThatThrownBy(() -> export(new OutputExporter(throttled), resource))
        .isInstanceOf(StackOperationException.class);
  }

  @Test
  void decisionsOnExistingSecrets() {
    ServerlessDataStack resource = resource(null, "orders-api", "key1111111");
    Secret current = new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("orders-api")
            .withAnnotations(Map.of(OutputExporter.API_KEY_ID_ANNOTATION, "key1111111"))
            .withLabels(OutputExporter.labels(resource)).build())
        .withType("Opaque")
        .withData(Map.of("endpoint", encode("https://e"), "apiKey", encode("v")))
        .build();

    assertThat(OutputExporter.needsKeyRead(null, "key1111111")).isTrue();
    assertThat(OutputExporter.needsKeyRead(current, "key1111111")).isFalse();
    assertThat(OutputExporter.needsKeyRead(current, "key2222222")).isTrue();
    assertThat(OutputExporter.secretCurrent(current, resource, "https://e", "key1111111")).isTrue();
    assertThat(OutputExporter.secretCurrent(current, resource, "https://f", "key1111111")).isFalse();
    assertThat(OutputExporter.secretCurrent(current, resource, "https://e", "key2222222")).isFalse();
    assertThat(OutputExporter.secretCurrent(new SecretBuilder(current).withType("kubernetes.io/basic-auth").build(),
        resource, "https://e", "key1111111")).isFalse();
    assertThat(OutputExporter.ownership(null, "uid")).isEqualTo(OutputExporter.Ownership.ABSENT);
    assertThat(OutputExporter.ownership(new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build(),
        "uid")).isEqualTo(OutputExporter.Ownership.FOREIGN);
  }

  private void export(ServerlessDataStack resource) {
    export(exporter, resource);
  }

  /** Exports, then records the outcome in the resource's status as the pass's report does. */
  private void export(OutputExporter with, ServerlessDataStack resource) {
    var status = resource.getStatus();
    OutputExporter.Export export = with.export(resource, spec(resource), status.getOutputs(), status.getExports(),
        client);
    status.setExports(export.exports());
    List<Condition> conditions = new ArrayList<>(status.getConditions());
    conditions.removeIf(c -> c.getType().equals(ConditionTypes.EXPORTED));
    export.condition().ifPresent(r -> {
      Condition condition = new Condition();
      condition.setType(ConditionTypes.EXPORTED);
      condition.setStatus(r.status());
      condition.setReason(r.reason());
      condition.setMessage(r.message());
      conditions.add(condition);
    });
    status.setConditions(conditions);
  }

  private static ResolvedSpec spec(ServerlessDataStack resource) {
    try {
      return SpecResolver.resolve(resource);
    } catch (InvalidSpecException e) {
      throw new AssertionError(e);
    }
  }

  private Secret secret(String name) {
    return client.secrets().inNamespace(NS).withName(name).get();
  }

  private static ServerlessDataStack resource(String configMapName, String secretName, String keyId) {
    ServerlessDataStack resource = OutputExportIT.withExport(OperatorHarness.stack("orders", "orders-prod"),
        configMapName, secretName);
    resource.getMetadata().setUid(UUID.randomUUID().toString());
    resource.getMetadata().setGeneration(1L);
    ServerlessDataStackStatus status = new ServerlessDataStackStatus();
    status.setOutputs(new TreeMap<>(Map.of(
        "ApiEndpoint", "https://a1.execute-api.us-east-1.amazonaws.com/prod/process",
        "ApiKeyId", keyId,
        "DynamoTableName", "orders-prod-processing-table")));
    resource.setStatus(status);
    return resource;
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
