package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.TemplateJson.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.serverlessdata.operator.template.cfn.ResourceType;
import io.serverlessdata.operator.template.cfn.ResourceTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StackTemplateTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden/default-stack.template.json");
  private static final String HANDLER_MARKER = "<contents of lambda/index.js>";

  @Test
  void everyTaggableResourceCarriesTheEnvironmentTag() throws Exception {
    TemplateJson template = TemplateJson.of(TestSettings.everything());
    List<String> taggableTypes = new ArrayList<>();
    for (var field : ResourceTypes.class.getFields()) {
      ResourceType type = (ResourceType) field.get(null);
      if (type.taggable()) {
        taggableTypes.add(type.name());
      }
    }

    int tagged = 0;
    for (String type : taggableTypes) {
      for (String id : template.idsOfType(type)) {
        assertThat(template.props(id).path("Tags")).as("tags of %s", id)
            .contains(TemplateJson.json(Map.of("Key", "Environment", "Value", ref("Environment"))));
        tagged++;
      }
    }
    assertThat(tagged).isGreaterThanOrEqualTo(12);
  }

  @Test
  void environmentTagValueComesFromTheSpec() {
    TestSettings settings = TestSettings.defaults();
    settings.environment = "Staging";

    assertThat(settings.render().parameters()).containsEntry("Environment", "Staging");
  }

  @Test
  void everyOutputTheStatusReportsIsRendered() {
    JsonNode outputs = TemplateJson.of(TestSettings.defaults()).root.path("Outputs");

    List<String> names = new ArrayList<>();
    outputs.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder(
        "ApiEndpoint", "ApiKeyId", "CloudFrontUrl", "S3BucketName", "DynamoTableName", "FunctionName", "ErrorTopicArn");
    assertThat(outputs.path("ApiEndpoint").path("Value").path("Fn::Sub").path(0).asText())
        .isEqualTo("https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod/process");
  }

  @Test
  void sameSettingsGiveByteIdenticalTemplatesAndTheSameHash() {
    RenderedStack first = TestSettings.everything().render();
    RenderedStack second = TestSettings.everything().render();

    assertThat(second.templateBody()).isEqualTo(first.templateBody());
    assertThat(second.parameters()).isEqualTo(first.parameters());
    assertThat(second.hash()).isEqualTo(first.hash()).hasSize(64);
  }

  @Test
  void hashFollowsTemplateParametersAndTags() {
    String base = TestSettings.defaults().render().hash();

    TestSettings capacity = TestSettings.defaults();
    capacity.read = 6;
    TestSettings shape = TestSettings.defaults();
    shape.tracing = true;
    TestSettings tags = TestSettings.defaults();
    tags.tags = new TreeMap<>(Map.of("Environment", "Production", "team", "data"));

    assertThat(List.of(capacity.render().hash(), shape.render().hash(), tags.render().hash()))
        .doesNotContain(base).doesNotHaveDuplicates();
  }

  @Test
  void largestTemplateFitsCloudFormationsInlineLimit() {
    RenderedStack largest = TestSettings.everything().render();

    assertThat(largest.templateBytes()).isLessThan(Limits.MAX_TEMPLATE_BYTES);
    assertThat(largest.templateBody().getBytes(StandardCharsets.UTF_8)).hasSize(largest.templateBytes());
  }

  @Test
  void defaultTemplateMatchesTheGoldenFile() throws Exception {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode actual = (ObjectNode) json.readTree(TestSettings.defaults().render().templateBody());
    ((ObjectNode) actual.path("Resources").path("ProcessorFunction").path("Properties").path("Code"))
        .put("ZipFile", HANDLER_MARKER);
    String rendered = json.writeValueAsString(actual) + "\n";

    if (Boolean.getBoolean("sds.updateGolden")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, rendered);
    }
    assertThat(rendered)
        .as("the default template changed; review the diff and refresh the golden file with"
            + " mvn -pl operator test -Dtest=StackTemplateTest -Dsds.updateGolden=true")
        .isEqualTo(Files.readString(GOLDEN));
  }
}
