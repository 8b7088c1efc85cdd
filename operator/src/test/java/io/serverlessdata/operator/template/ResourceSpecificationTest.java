package io.serverlessdata.operator.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serverlessdata.operator.template.cfn.ResourceType;
import io.serverlessdata.operator.template.cfn.ResourceTypes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every variant of the template conforms to the CloudFormation resource specification. */
class ResourceSpecificationTest {

  private static ResourceSpecification specification;

  @BeforeAll
  static void load() throws Exception {
    specification = ResourceSpecification.load();
  }

  static Stream<Arguments> variants() {
    List<Arguments> variants = new ArrayList<>();
    variants.add(Arguments.of("defaults", TestSettings.defaults()));
    TestSettings customerManaged = TestSettings.defaults();
    customerManaged.topicEncryption = TopicEncryption.CustomerManaged;
    variants.add(Arguments.of("CustomerManaged alerts", customerManaged));
    TestSettings delete = TestSettings.defaults();
    delete.dataRetention = DataRetention.Delete;
    variants.add(Arguments.of("dataRetention Delete", delete));
    TestSettings locked = TestSettings.defaults();
    locked.objectLock = Optional.of(new StackSettings.ObjectLock(ObjectLockMode.GOVERNANCE, 30));
    variants.add(Arguments.of("object-lock retention", locked));
    TestSettings traced = TestSettings.defaults();
    traced.tracing = true;
    variants.add(Arguments.of("tracing", traced));
    TestSettings cors = TestSettings.defaults();
    cors.origins = List.of("https://app.example.com");
    variants.add(Arguments.of("CORS", cors));
    TestSettings info = TestSettings.defaults();
    info.loggingLevel = ApiLoggingLevel.INFO;
    variants.add(Arguments.of("loggingLevel INFO", info));
    for (LambdaRuntime runtime : LambdaRuntime.values()) {
      TestSettings withRuntime = TestSettings.defaults();
      withRuntime.runtime = runtime;
      variants.add(Arguments.of("runtime " + runtime, withRuntime));
    }
    variants.add(Arguments.of("everything", TestSettings.everything()));
    return variants.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void renderedTemplateConformsToTheResourceSpecification(String name, TestSettings settings) throws Exception {
    JsonNode template = new ObjectMapper().readTree(settings.render().templateBody());

    assertThat(specification.validate(template)).as("problems of variant %s", name).isEmpty();
  }

  @Test
  void specificationIsTheOneTheAllowListIsWrittenFor() {
    assertThat(specification.version).isEqualTo("117.0.0");
  }

  @Test
  void allowListHoldsOnlyDatedPropertiesTheFrozenSpecificationLacks() {
    ResourceSpecification.NEWER_THAN_SPEC.forEach((property, added) -> {
      String type = property.substring(0, property.lastIndexOf('.'));
      String name = property.substring(property.lastIndexOf('.') + 1);
      assertThat(specification.resourceType(type).isMissingNode()).as("%s is in the specification", type).isFalse();
      assertThat(specification.resourceType(type).path("Properties").has(name))
          .as("%s is newer than specification %s", property, specification.version).isFalse();
      assertThat(java.time.LocalDate.parse(added)).as("date %s added", property).isAfter("2023-01-01");
    });
  }

  @Test
  void validatorFindsWhatIsWrong() throws Exception {
    JsonNode broken = new ObjectMapper().readTree("""
        {"Parameters": {"P": {"Type": "String"}},
         "Resources": {
           "T": {"Type": "AWS::DynamoDB::Table", "DependsOn": ["Nope"],
                 "Properties": {"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                                "TableNam": "x", "BillingMode": {"Ref": "Missing"},
                                "SSESpecification": {"SSEEnabled": "maybe"}}},
           "F": {"Type": "AWS::Lambda::Function",
                 "Properties": {"Code": {"ZipFile": "x"}, "Role": {"Fn::GetAtt": ["T", "Colour"]},
                                "FunctionName": {"Fn::Sub": "${Ghost}-f"}}},
           "X": {"Type": "AWS::Nothing::Here"},
           "B": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Keep", "UpdateReplacePolicy": "RetainExceptOnCreate"}}}
        """);

    assertThat(specification.validate(broken)).containsExactlyInAnyOrder(
        "T: DependsOn unknown resource Nope",
        "T.TableNam: AWS::DynamoDB::Table has no property TableNam",
        "T.BillingMode: Ref to unknown Missing",
        "T.SSESpecification.SSEEnabled: expected Boolean, got \"maybe\"",
        "F.Role: AWS::DynamoDB::Table has no attribute Colour",
        "F.FunctionName: Fn::Sub placeholder ${Ghost} has no target",
        "X: unknown resource type AWS::Nothing::Here",
        "B: DeletionPolicy \"Keep\" is not one of [Delete, Retain, RetainExceptOnCreate, Snapshot]",
        "B: UpdateReplacePolicy \"RetainExceptOnCreate\" is not one of [Delete, Retain, Snapshot]");
  }

  @Test
  void resourceTypesDeclareTagsAndAttributesAsTheSpecificationDoes() throws Exception {
    for (Field field : ResourceTypes.class.getFields()) {
      if (!Modifier.isStatic(field.getModifiers()) || field.getType() != ResourceType.class) {
        continue;
      }
      ResourceType type = (ResourceType) field.get(null);
      JsonNode spec = specification.resourceType(type.name());
      assertThat(spec.isMissingNode()).as("%s is in the specification", type.name()).isFalse();
      boolean tagsInSpec = spec.path("Properties").has("Tags")
          || ResourceSpecification.NEWER_THAN_SPEC.containsKey(type.name() + ".Tags");
      assertThat(type.taggable()).as("%s takes Tags", type.name()).isEqualTo(tagsInSpec);
      List<String> attributes = new ArrayList<>();
      spec.path("Attributes").fieldNames().forEachRemaining(attributes::add);
      assertThat(attributes).as("attributes of %s", type.name()).containsAll(type.attributes());
    }
  }

  @Test
  void everyResourceTypeTheTemplateUsesIsDeclared() {
    List<String> declared = Arrays.stream(ResourceTypes.class.getFields())
        .filter(f -> f.getType() == ResourceType.class)
        .map(f -> {
          try {
            return ((ResourceType) f.get(null)).name();
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }).toList();
    TemplateJson everything = TemplateJson.of(TestSettings.everything());
    everything.root.path("Resources").forEach(r -> assertThat(declared).contains(r.path("Type").asText()));
  }
}
