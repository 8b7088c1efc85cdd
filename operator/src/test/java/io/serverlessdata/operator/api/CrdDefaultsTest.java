package io.serverlessdata.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.serverlessdata.operator.template.LambdaRuntime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code default:} the API server applies (the generated CRD) is the default the operator applies when the
 * field is absent (SpecResolver): a resource that spells the CRD's default out resolves exactly as one that
 * leaves the field out, while another value resolves differently (so the field is not simply ignored).
 */
class CrdDefaultsTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A field of the spec that has a {@code default:}, its path below {@code spec}, and its schema. */
  record Defaulted(List<String> path, JsonNode schema) {
    @Override
    public String toString() {
      return "spec." + String.join(".", path) + " = " + schema.get("default");
    }
  }

  static Stream<Arguments> defaults() throws IOException {
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(CustomResourceDefinitionTest.GENERATED.toFile());
    JsonNode spec = crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema")
        .path("properties").path("spec");
    List<Defaulted> found = new ArrayList<>();
    collect(spec, List.of(), found);
    return found.stream().map(Arguments::of);
  }

  private static void collect(JsonNode schema, List<String> path, List<Defaulted> found) {
    if (schema.has("default")) {
      found.add(new Defaulted(path, schema));
    }
    assertThat(schema.path("items").has("default")).as("a default inside an array at spec.%s", path).isFalse();
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      List<String> below = new ArrayList<>(path);
      below.add(property.getKey());
      collect(property.getValue(), below, found);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaults")
  void theCrdsDefaultIsWhatTheOperatorAppliesWhenTheFieldIsAbsent(Defaulted field) {
    Object absent = outcome(minimal());

    assertThat(absent).as("a minimal spec resolves").isInstanceOf(ResolvedSpec.class);
    assertThat(outcome(with(field.path(), field.schema().get("default"))))
        .as("%s spelt out resolves as the field left out", field).isEqualTo(absent);
    assertThat(outcome(with(field.path(), anotherValue(field.schema()))))
        .as("another value of spec.%s changes the outcome", String.join(".", field.path())).isNotEqualTo(absent);
  }

  @Test
  void theDefaultRuntimeIsTheOneTheDeprecationNoticeRecommends() {
    assertThat(SpecDefaults.RUNTIME).isEqualTo(LambdaRuntime.DEFAULT);
  }

  private static ObjectNode minimal() {
    return MAPPER.createObjectNode().put("resourcePrefix", "orders-prod").put("alertEmail", "ops@example.com");
  }

  private static ObjectNode with(List<String> path, JsonNode value) {
    ObjectNode spec = minimal();
    ObjectNode parent = spec;
    for (String name : path.subList(0, path.size() - 1)) {
      parent = parent.putObject(name);
    }
    parent.set(path.get(path.size() - 1), value);
    return spec;
  }

  private static JsonNode anotherValue(JsonNode schema) {
    JsonNode value = schema.get("default");
    if (schema.has("enum")) {
      for (JsonNode allowed : schema.get("enum")) {
        if (!allowed.equals(value)) {
          return allowed;
        }
      }
    }
    return switch (schema.path("type").asText()) {
      case "integer" -> IntNode.valueOf(value.asInt() + 1);
      case "boolean" -> BooleanNode.valueOf(!value.asBoolean());
      case "string" -> TextNode.valueOf(value.asText() + "x");
      default -> throw new AssertionError("no other value for a default of type " + schema.path("type"));
    };
  }

  /** The resolved spec, or the violations, of a resource with this spec as the informer reads it. */
  private static Object outcome(ObjectNode spec) {
    ObjectNode resource = MAPPER.createObjectNode().put("apiVersion", "serverlessdata.io/v1alpha1")
        .put("kind", "ServerlessDataStack");
    resource.putObject("metadata").put("name", "orders").put("namespace", "team-a").put("uid", "uid-1");
    resource.set("spec", spec);
    try {
      return SpecResolver.resolve(JSON.unmarshal(resource.toString(), ServerlessDataStack.class));
    } catch (InvalidSpecException e) {
      return e.violations();
    }
  }
}
