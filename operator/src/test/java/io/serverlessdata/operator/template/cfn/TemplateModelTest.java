package io.serverlessdata.operator.template.cfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateModelTest {

  private static final ResourceType TABLE = ResourceType.taggable("AWS::DynamoDB::Table", "Arn");
  private static final ResourceType FUNCTION = ResourceType.taggable("AWS::Lambda::Function", "Arn");

  @Test
  void intrinsicsPointAtObjectsNotHandTypedIds() {
    Parameter prefix = Parameter.string("ResourcePrefix", "prefix");
    Resource table = new Resource("Table", TABLE).set("TableName", Fn.sub("${P}-t", "P", prefix));
    Resource function = new Resource("Fn", FUNCTION).set("Role", table.getAtt("Arn")).set("Env", table.ref());

    Map<String, Object> document = Template.builder("d").parameter(prefix).resources(List.of(table, function))
        .build().toMap();

    @SuppressWarnings("unchecked")
    Map<String, Object> fn = (Map<String, Object>) ((Map<String, Object>) document.get("Resources")).get("Fn");
    assertThat(fn.get("Properties")).isEqualTo(Map.of(
        "Env", Map.of("Ref", "Table"), "Role", Map.of("Fn::GetAtt", List.of("Table", "Arn"))));
  }

  @Test
  void referenceToAResourceOutsideTheTemplateIsRefused() {
    Resource stray = new Resource("Stray", TABLE);
    Resource function = new Resource("Fn", FUNCTION).set("Role", stray.getAtt("Arn"));

    assertThatThrownBy(() -> Template.builder("d").resources(List.of(function)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Fn -> Stray");
  }

  @Test
  void unknownAttributeIsRefusedWhenTheTemplateIsBuilt() {
    Resource table = new Resource("Table", TABLE);

    assertThatThrownBy(() -> table.getAtt("StreamArn")).hasMessageContaining("has no attribute StreamArn");
  }

  @Test
  void subPlaceholdersMustHaveVariables() {
    assertThatThrownBy(() -> Fn.sub("${Missing}-x")).hasMessageContaining("${Missing}");
    assertThatThrownBy(() -> Fn.sub("plain", "Unused", "v")).hasMessageContaining("not all used");
    assertThat(Fn.sub("${AWS::AccountId}").toTemplate()).isEqualTo(Map.of("Fn::Sub", "${AWS::AccountId}"));
  }

  @Test
  void duplicateLogicalIdsAreRefused() {
    assertThatThrownBy(() -> Template.builder("d")
        .resources(List.of(new Resource("Same", TABLE), new Resource("Same", FUNCTION))))
        .hasMessageContaining("duplicate logical id Same");
  }

  @Test
  void deletionAndReplacePoliciesAreWrittenAsCloudFormationSpellsThem() {
    Resource table = new Resource("Table", TABLE)
        .policies(Resource.DeletionPolicy.RetainExceptOnCreate, Resource.UpdateReplacePolicy.Retain);
    Resource plain = new Resource("Plain", FUNCTION);

    String json = Template.builder("d").resources(List.of(table, plain)).build().toJson();

    assertThat(json).contains("\"Table\":{\"Type\":\"AWS::DynamoDB::Table\",\"DeletionPolicy\":\"RetainExceptOnCreate\","
        + "\"UpdateReplacePolicy\":\"Retain\"}");
    assertThat(json).contains("\"Plain\":{\"Type\":\"AWS::Lambda::Function\"}");
    assertThat(java.util.Arrays.stream(Resource.UpdateReplacePolicy.values()).map(Enum::name))
        .doesNotContain("RetainExceptOnCreate");
  }

  @Test
  void propertiesAreWrittenWithSortedKeys() {
    Resource table = new Resource("Table", TABLE).set("Zeta", Map.of("b", 1, "a", 2)).set("Alpha", true);

    String json = Template.builder("d").resources(List.of(table)).build().toJson();

    assertThat(json).contains("\"Properties\":{\"Alpha\":true,\"Zeta\":{\"a\":2,\"b\":1}}");
  }
}
