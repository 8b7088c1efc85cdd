package io.serverlessdata.operator.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * A rendered template read back from its JSON, with the look-ups tests need (after the AWS CDK's
 * {@code assertions.Template}: find resources by type, read their properties).
 */
final class TemplateJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  final JsonNode root;
  final RenderedStack stack;

  private TemplateJson(RenderedStack stack) {
    this.stack = stack;
    try {
      this.root = JSON.readTree(stack.templateBody());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static TemplateJson of(RenderedStack stack) {
    return new TemplateJson(stack);
  }

  static TemplateJson of(TestSettings settings) {
    return new TemplateJson(settings.render());
  }

  JsonNode resource(String logicalId) {
    JsonNode resource = root.path("Resources").path(logicalId);
    assertThat(resource.isMissingNode()).as("resource %s exists", logicalId).isFalse();
    return resource;
  }

  JsonNode props(String logicalId) {
    return resource(logicalId).path("Properties");
  }

  /** Logical ids of the resources of a type. */
  List<String> idsOfType(String type) {
    List<String> ids = new ArrayList<>();
    root.path("Resources").properties().forEach(e -> {
      if (e.getValue().path("Type").asText().equals(type)) {
        ids.add(e.getKey());
      }
    });
    return ids;
  }

  String onlyIdOfType(String type) {
    List<String> ids = idsOfType(type);
    assertThat(ids).as("resources of type %s", type).hasSize(1);
    return ids.get(0);
  }

  boolean has(String logicalId) {
    return root.path("Resources").has(logicalId);
  }

  /** Every IAM policy statement of the template: identity policies, bucket, topic and key policies. */
  List<JsonNode> statements(String logicalId, String documentProperty) {
    return StreamSupport.stream(props(logicalId).path(documentProperty).path("Statement").spliterator(), false)
        .toList();
  }

  static JsonNode json(Object value) {
    return JSON.valueToTree(value);
  }

  static JsonNode ref(String logicalId) {
    return json(Map.of("Ref", logicalId));
  }

  static JsonNode getAtt(String logicalId, String attribute) {
    return json(Map.of("Fn::GetAtt", List.of(logicalId, attribute)));
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(node -> texts.add(node.asText()));
    } else if (!array.isMissingNode()) {
      texts.add(array.asText());
    }
    return texts;
  }
}
