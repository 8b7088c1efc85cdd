package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.NAMESPACE;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.serverlessdata.operator.api.ServerlessDataStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A field the model does not know fails its own resource, never the informer: the mock API server, like the
 * sandbox, stores whatever it is sent (a real API server prunes unknown fields, but serves a newer CRD's fields
 * after a downgrade, since Helm does not downgrade CRDs). The bad resources are written as raw JSON.
 */
class UnknownFieldIT {

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
  void misspelledFieldIsTerminalNamingItWhileOtherResourcesStillSync() {
    raw().resource(resource("typo", Map.of("resourcePrefix", "typo-prod", "alertEmail", "ops@example.com",
        "dynamoDBReadCapacity", 10, "lambda", Map.of("memory", 512)))).create();

    String message = awaitTerminal("typo");

    assertThat(message).contains("spec.dynamoDBReadCapacity: unknown field; known fields here: [alertEmail,",
        "spec.lambda.memory: unknown field; known fields here: [memorySize, runtime, timeoutSeconds, tracing]");
    assertThat(harness.events("typo")).anyMatch(e -> e.startsWith("Warning InvalidSpec")
        && e.contains("spec.dynamoDBReadCapacity"));

    // created after the bad one: the informer is still running
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);

    assertThat(harness.calls("CreateChangeSet")).as("only orders reached CloudFormation").isEqualTo(1);
    assertThat(spec(raw().withName("typo").get()))
        .as("the operator's own writes keep the user's field").containsEntry("dynamoDBReadCapacity", 10);
  }

  @Test
  void storedResourceWithANewerCrdsFieldDoesNotStopTheOperatorAtStartup() {
    harness.stopOperator();
    raw().resource(resource("newer", Map.of("resourcePrefix", "newer-prod", "alertEmail", "ops@example.com",
        "lambda", Map.of("runtime", "nodejs22.x", "architecture", "arm64")))).create();
    harness.create(stack("orders", "orders-prod"));

    harness.startOperator();

    harness.await("orders", "synced", OperatorHarness::synced);
    assertThat(awaitTerminal("newer")).contains("spec.lambda.architecture: unknown field");
    assertThat(harness.calls("CreateChangeSet")).isEqualTo(1);
  }

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> raw() {
    return harness.client.genericKubernetesResources(ServerlessDataStack.GROUP + "/" + ServerlessDataStack.VERSION,
        "ServerlessDataStack").inNamespace(NAMESPACE);
  }

  private static GenericKubernetesResource resource(String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(ServerlessDataStack.GROUP + "/" + ServerlessDataStack.VERSION).withKind("ServerlessDataStack")
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  /** The message of the resource's ACK.Terminal condition once it is True with reason InvalidSpec. */
  private String awaitTerminal(String name) {
    return Awaitility.await().alias(name + " terminal with InvalidSpec").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> terminal(raw().withName(name).get()), Optional::isPresent).orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Optional<String> terminal(GenericKubernetesResource resource) {
    Object status = resource == null ? null : resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> fields) || !(fields.get("conditions") instanceof List<?> conditions)) {
      return Optional.empty();
    }
    return conditions.stream().map(c -> (Map<String, Object>) c)
        .filter(c -> ConditionTypes.TERMINAL.equals(c.get("type")) && "True".equals(c.get("status"))
            && "InvalidSpec".equals(c.get("reason")))
        .map(c -> (String) c.get("message")).findFirst();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }
}
