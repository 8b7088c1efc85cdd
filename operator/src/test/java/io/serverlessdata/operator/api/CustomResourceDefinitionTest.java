package io.serverlessdata.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.serverlessdata.operator.template.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed CRD is the one the model generates, and its schema carries the rules users rely on. */
class CustomResourceDefinitionTest {

  static final String FILE = "serverlessdatastacks.serverlessdata.io-v1.yml";
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8", FILE);
  static final Path COMMITTED = Path.of(System.getProperty("sds.repoRoot", ".."), "crds", FILE);

  private static JsonNode crd;

  @BeforeAll
  static void read() throws Exception {
    crd = new ObjectMapper(new YAMLFactory()).readTree(COMMITTED.toFile());
  }

  @Test
  void committedCrdIsWhatTheModelGenerates() throws Exception {
    assertThat(Files.readString(COMMITTED))
        .as("crds/%s is out of date: mvn -pl operator -am process-classes && cp operator/%s crds/ (and the chart's crds/)",
            FILE, GENERATED)
        .isEqualTo(Files.readString(GENERATED));
  }

  @Test
  void printerColumnsAreInKubectlsOrderWithAgeLast() {
    List<String> columns = new ArrayList<>();
    version().path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()));

    assertThat(columns).containsExactly("STACK-STATUS", "SYNCED", "DRIFT", "ENDPOINT", "ARN",
        "AWAITING-APPROVAL", "AGE");
  }

  @Test
  void printerColumnsCarryNoPriorityTheApiServerWouldDrop() {
    // priority is omitempty on the server: a written 0 is dropped, and a server-side apply after a client-side
    // apply then conflicts on .spec.versions; only the wide columns (kubectl get -o wide) carry one
    Map<String, Integer> priorities = new LinkedHashMap<>();
    version().path("additionalPrinterColumns").forEach(c -> priorities.put(c.path("name").asText(),
        c.has("priority") ? c.path("priority").asInt() : null));

    assertThat(priorities).containsExactlyInAnyOrderEntriesOf(mapOf(
        "STACK-STATUS", null, "SYNCED", null, "DRIFT", null, "ENDPOINT", 1, "ARN", 1, "AWAITING-APPROVAL", 1,
        "AGE", null));
  }

  private static Map<String, Integer> mapOf(Object... entries) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i += 2) {
      map.put((String) entries[i], (Integer) entries[i + 1]);
    }
    return map;
  }

  @Test
  void specIsRequired() {
    assertThat(root().path("required")).extracting(JsonNode::asText).containsExactly("spec");
  }

  @Test
  void kindSpecAndStatusAreDescribedForKubectlExplain() {
    assertThat(root().path("description").asText()).isEqualTo(ServerlessDataStack.DESCRIPTION);
    assertThat(root().path("properties").path("spec").path("description").asText()).startsWith("What the user asks for");
    assertThat(root().path("properties").path("status").path("description").asText())
        .startsWith("What the operator observed");
  }

  @Test
  void schemaDoesNotKnowHowTheModelCollectsUnknownFields() throws Exception {
    // the API server keeps pruning unknown fields: no property for the collector, no preserve-unknown-fields
    assertThat(Files.readString(COMMITTED)).doesNotContain(HasUnknownFields.COMPONENT, "preserve-unknown-fields");
  }

  @Test
  void namesScopeAndStatusSubresourceAreAckStyle() {
    JsonNode spec = crd.path("spec");
    assertThat(spec.path("group").asText()).isEqualTo("serverlessdata.io");
    assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
    assertThat(spec.path("names").path("plural").asText()).isEqualTo("serverlessdatastacks");
    assertThat(spec.path("names").path("shortNames").path(0).asText()).isEqualTo("sds");
    JsonNode version = spec.path("versions").path(0);
    assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.path("subresources").has("status")).isTrue();
  }

  @Test
  void schemaValidatesWhatTheOperatorValidates() {
    JsonNode spec = specSchema();
    assertThat(spec.path("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("resourcePrefix", "alertEmail");
    assertThat(spec.path("properties").path("dynamoDbReadCapacity").path("minimum").asInt()).isEqualTo(5);
    assertThat(spec.path("properties").path("dynamoDbWriteCapacity").path("minimum").asInt()).isEqualTo(5);
    assertThat(spec.path("properties").path("resourcePrefix").path("pattern").asText())
        .isEqualTo(Limits.RESOURCE_PREFIX_PATTERN);
    assertThat(spec.path("properties").path("alertEmail").path("pattern").asText()).isEqualTo(Limits.EMAIL_PATTERN);
    assertThat(spec.path("properties").path("lambda").path("properties").path("runtime").path("enum"))
        .extracting(JsonNode::asText).containsExactly("nodejs20.x", "nodejs22.x", "nodejs24.x");
    assertThat(spec.path("properties").path("dataRetention").path("enum"))
        .extracting(JsonNode::asText).containsExactlyInAnyOrder("Retain", "Delete");
    assertThat(spec.path("properties").path("resourcePrefix").path("description").asText()).isNotBlank();
  }

  @Test
  void resourcePrefixAndStackNameAreImmutable() {
    List<String> rules = new ArrayList<>();
    specSchema().path("x-kubernetes-validations").forEach(r -> rules.add(r.path("rule").asText()));

    assertThat(rules).contains("self.resourcePrefix == oldSelf.resourcePrefix");
    assertThat(rules).anyMatch(rule -> rule.contains("self.stackName == oldSelf.stackName"));
  }

  private static JsonNode version() {
    return crd.path("spec").path("versions").path(0);
  }

  private static JsonNode root() {
    return version().path("schema").path("openAPIV3Schema");
  }

  private static JsonNode specSchema() {
    return root().path("properties").path("spec");
  }
}
