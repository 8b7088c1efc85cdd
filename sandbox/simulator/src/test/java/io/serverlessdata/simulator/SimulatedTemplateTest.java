package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SimulatedTemplateTest {

  private static final String PARAMETERS = """
      "Parameters": {
        "Prefix": {"Type": "String", "AllowedPattern": "^[a-z][a-z0-9-]{1,30}[a-z0-9]$",
                   "ConstraintDescription": "3-32 lowercase letters, digits and '-'"},
        "Capacity": {"Type": "Number", "MinValue": 5, "MaxValue": 40000, "Default": 5},
        "Retention": {"Type": "Number", "AllowedValues": ["7", "30"], "Default": "30"}
      }""";

  @Test
  void nullValuesAreATemplateFormatError() {
    assertValidationError(() -> SimulatedTemplate.parse("""
        {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"ObjectLockConfiguration": null}}}}"""),
        "Template format error: [/Resources/Bucket/Properties/ObjectLockConfiguration]"
            + " 'null' values are not allowed in templates");
  }

  @Test
  void aBodyThatIsNotJsonIsATemplateFormatError() {
    assertThatThrownBy(() -> SimulatedTemplate.parse("Resources:\n  Bucket: {Type: AWS::S3::Bucket}"))
        .isInstanceOfSatisfying(SimulatorException.class, e -> assertThat(e.getMessage())
            .startsWith("Template format error: JSON not well-formed. (line 1, column "));
  }

  @Test
  void everyReferenceMustResolve() {
    assertValidationError(() -> SimulatedTemplate.parse("""
        {"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "DependsOn": "Key",
          "Properties": {"TopicName": {"Fn::Sub": "${Prefix}-alerts"}, "DisplayName": {"Ref": "Nothing"}}}}}"""),
        "Template format error: Unresolved resource dependencies [Key, Nothing, Prefix] in the Resources block of the template");
    assertValidationError(() -> SimulatedTemplate.parse("""
        {"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}}}}"""),
        "Template error: instance of Fn::GetAtt references undefined resource Key");
    assertValidationError(() -> SimulatedTemplate.parse("""
        {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": {"Arn": {"Value": {"Ref": "Topics"}}}}"""),
        "Template format error: Unresolved resource dependencies [Topics] in the Outputs block of the template");
  }

  @Test
  void circularDependenciesAreRefused() {
    assertValidationError(() -> SimulatedTemplate.parse("""
        {"Resources": {
          "A": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["B", "TopicName"]}}},
          "B": {"Type": "AWS::SNS::Topic", "DependsOn": ["A"]}}}"""),
        "Circular dependency between resources: [A, B]");
  }

  @Test
  void resourcesAreOrderedAfterWhatTheyDependOn() {
    SimulatedTemplate template = SimulatedTemplate.parse("""
        {"Resources": {
          "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmActions": [{"Ref": "Topic"}]}},
          "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Fn::Sub": "${Key.Arn}"}}},
          "Key": {"Type": "AWS::KMS::Key"}}}""");

    assertThat(template.order()).containsExactly("Key", "Topic", "Alarm");
  }

  @Test
  void parametersAreBoundWithDefaultsAndCheckedAgainstTheirConstraints() {
    SimulatedTemplate template = SimulatedTemplate.parse("{" + PARAMETERS
        + ", \"Resources\": {\"Topic\": {\"Type\": \"AWS::SNS::Topic\"}}}");

    assertThat(template.bind(Map.of("Prefix", "orders"))).containsExactly(
        Map.entry("Prefix", "orders"), Map.entry("Capacity", "5"), Map.entry("Retention", "30"));
    assertValidationError(() -> template.bind(Map.of("Prefix", "orders", "Extra", "1")),
        "Parameters: [Extra] do not exist in the template");
    assertValidationError(() -> template.bind(Map.of()), "Parameters: [Prefix] must have values");
    assertValidationError(() -> template.bind(Map.of("Prefix", "Orders")),
        "Parameter 'Prefix' failed to satisfy constraint: 3-32 lowercase letters, digits and '-'");
    assertValidationError(() -> template.bind(Map.of("Prefix", "orders", "Capacity", "50000")),
        "Parameter 'Capacity' must be a number not greater than 40000");
    assertValidationError(() -> template.bind(Map.of("Prefix", "orders", "Capacity", "five")),
        "Parameter 'Capacity' must be a number.");
    assertValidationError(() -> template.bind(Map.of("Prefix", "orders", "Retention", "14")),
        "Parameter 'Retention' must be one of AllowedValues");
  }

  @Test
  void iamResourcesNeedTheirCapability() {
    SimulatedTemplate unnamed = SimulatedTemplate.parse("""
        {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}}}}""");
    SimulatedTemplate named = SimulatedTemplate.parse("""
        {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "deployer"}}}}""");

    unnamed.checkCapabilities(List.of("CAPABILITY_IAM"));
    assertThatThrownBy(() -> unnamed.checkCapabilities(List.of()))
        .isInstanceOfSatisfying(SimulatorException.class, e -> {
          assertThat(e.code()).isEqualTo("InsufficientCapabilitiesException");
          assertThat(e.getMessage()).isEqualTo("Requires capabilities : [CAPABILITY_IAM]");
        });
    assertThatThrownBy(() -> named.checkCapabilities(List.of("CAPABILITY_IAM")))
        .hasMessage("Requires capabilities : [CAPABILITY_NAMED_IAM]");
  }

  private static void assertValidationError(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(SimulatorException.class, e -> {
      assertThat(e.code()).isEqualTo("ValidationError");
      assertThat(e.httpStatus()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }
}
