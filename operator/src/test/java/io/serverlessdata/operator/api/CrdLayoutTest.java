package io.serverlessdata.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build step that finishes the generated CRD changes what it says it does, and nothing else. */
class CrdLayoutTest {

  /** What fabric8's generator wrote (operator/pom.xml), before CrdLayout. */
  static final Path RAW = Path.of("target/crd-generator", CustomResourceDefinitionTest.FILE);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void writesTheCrdAsTheGeneratorDoes() throws Exception {
    String raw = Files.readString(RAW);

    String rewritten = CrdLayout.write(SERIALIZATION.unmarshal(raw, CustomResourceDefinition.class));

    assertThat(rewritten).isEqualTo(CrdLayout.HEADER + raw.substring(raw.indexOf('\n') + 1));
  }

  @Test
  void changesOnlyTheColumnOrderTheZeroPrioritiesAndTheKindsDescription() throws Exception {
    ObjectNode raw = (ObjectNode) YAML.readTree(RAW.toFile());
    ObjectNode finished = (ObjectNode) YAML.readTree(CustomResourceDefinitionTest.GENERATED.toFile());

    List<JsonNode> expectedColumns = new ArrayList<>();
    for (String name : List.of("STACK-STATUS", "SYNCED", "DRIFT", "ENDPOINT", "ARN", "AWAITING-APPROVAL", "AGE")) {
      ObjectNode column = columnNamed(raw, name).deepCopy();
      if (column.path("priority").asInt() == 0) {
        column.remove("priority");
      }
      expectedColumns.add(column);
    }
    assertThat(columns(finished)).containsExactlyElementsOf(expectedColumns);
    assertThat(schema(raw).has("description")).isFalse();
    assertThat(schema(finished).path("description").asText()).isEqualTo(ServerlessDataStack.DESCRIPTION);

    for (ObjectNode crd : List.of(raw, finished)) {
      version(crd).remove("additionalPrinterColumns");
      schema(crd).remove("description");
    }
    assertThat(finished).isEqualTo(raw);
  }

  @Test
  void refusesAColumnTheKindDoesNotDeclare() throws Exception {
    CustomResourceDefinition crd = SERIALIZATION.unmarshal(Files.readString(RAW), CustomResourceDefinition.class);
    crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().add(new CustomResourceColumnDefinitionBuilder()
        .withName("REGION").withJsonPath(".status.ackResourceMetadata.region").withType("string").build());

    assertThatThrownBy(() -> CrdLayout.apply(crd, ServerlessDataStack.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("printer column REGION (.status.ackResourceMetadata.region) is not declared");
  }

  private static ObjectNode version(ObjectNode crd) {
    return (ObjectNode) crd.path("spec").path("versions").path(0);
  }

  private static ObjectNode schema(ObjectNode crd) {
    return (ObjectNode) version(crd).path("schema").path("openAPIV3Schema");
  }

  private static List<JsonNode> columns(ObjectNode crd) {
    List<JsonNode> columns = new ArrayList<>();
    ((ArrayNode) version(crd).path("additionalPrinterColumns")).forEach(columns::add);
    return columns;
  }

  private static ObjectNode columnNamed(ObjectNode crd, String name) {
    return (ObjectNode) columns(crd).stream().filter(c -> c.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("the generator wrote no column " + name));
  }
}
