package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.TemplateJson.getAtt;
import static io.serverlessdata.operator.template.TemplateJson.json;
import static io.serverlessdata.operator.template.TemplateJson.ref;
import static io.serverlessdata.operator.template.TemplateJson.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProcessingTest {

  private final TemplateJson defaults = TemplateJson.of(TestSettings.defaults());

  @Test
  void functionRunsTheHandlerFromTheLambdaFolderInline() throws Exception {
    String handler = Files.readString(Path.of(System.getProperty("sds.repoRoot", ".."), "lambda", "index.js"));
    JsonNode function = defaults.props("ProcessorFunction");

    assertThat(function.path("Code").path("ZipFile").asText()).isEqualTo(handler);
    assertThat(handler.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(function.path("Handler").asText()).isEqualTo("index.handler");
    assertThat(handler).contains("exports.handler");
  }

  @Test
  void runtimeDefaultsToNodejs24() {
    assertThat(defaults.props("ProcessorFunction").path("Runtime")).isEqualTo(ref("LambdaRuntime"));
    assertThat(defaults.stack.parameters()).containsEntry("LambdaRuntime", "nodejs24.x");
    assertThat(LambdaRuntime.DEFAULT.id()).isEqualTo("nodejs24.x");
  }

  @ParameterizedTest
  @EnumSource(LambdaRuntime.class)
  void everyRuntimeIsSelectable(LambdaRuntime runtime) {
    TestSettings settings = TestSettings.defaults();
    settings.runtime = runtime;

    assertThat(settings.render().parameters()).containsEntry("LambdaRuntime", runtime.id());
    assertThat(texts(TemplateJson.of(settings).root.path("Parameters").path("LambdaRuntime").path("AllowedValues")))
        .contains(runtime.id());
  }

  @Test
  void nodejs20IsDeprecatedWithAwsDates() {
    assertThat(LambdaRuntime.NODEJS_20.deprecatedOn()).contains(LocalDate.of(2026, 4, 30));
    assertThat(LambdaRuntime.NODEJS_20.createBlockedOn()).contains(LocalDate.of(2027, 2, 1));
    assertThat(LambdaRuntime.NODEJS_20.updateBlockedOn()).contains(LocalDate.of(2027, 3, 3));
    assertThat(LambdaRuntime.NODEJS_20.deprecationNotice()).hasValueSatisfying(notice -> assertThat(notice)
        .contains("2026-04-30", "2027-02-01", "2027-03-03", "nodejs24.x"));
    assertThat(LambdaRuntime.NODEJS_22.deprecationNotice()).isEmpty();
    assertThat(LambdaRuntime.NODEJS_24.deprecationNotice()).isEmpty();
  }

  @Test
  void newStackOnNodejs20IsRefusedFromTheDayCreatingIsBlockedNamingASupportedRuntime() {
    assertThat(LambdaRuntime.NODEJS_20.refusalForNewStack(LocalDate.of(2026, 12, 1))).isEmpty();
    assertThat(LambdaRuntime.NODEJS_20.refusalForNewStack(LocalDate.of(2027, 1, 31))).isEmpty();

    assertThat(LambdaRuntime.NODEJS_20.refusalForNewStack(LocalDate.of(2027, 2, 1))).hasValueSatisfying(message ->
        assertThat(message).startsWith("spec.lambda.runtime nodejs20.x cannot be used for a new stack")
            .contains("2027-02-01", "set spec.lambda.runtime to nodejs24.x", LambdaRuntime.RUNTIMES_PAGE));
    assertThat(LambdaRuntime.NODEJS_20.refusalForNewStack(LocalDate.of(2027, 6, 1))).isPresent();
    for (LambdaRuntime supported : List.of(LambdaRuntime.NODEJS_22, LambdaRuntime.NODEJS_24)) {
      assertThat(supported.refusalForNewStack(LocalDate.of(2030, 1, 1))).as(supported.id()).isEmpty();
      assertThat(supported.deprecationNotice(LocalDate.of(2030, 1, 1))).as(supported.id()).isEmpty();
    }
    assertThat(LambdaRuntime.DEFAULT.deprecated()).isFalse();
  }

  @Test
  void advisoryForAnExistingStackGivesAwsDatesInTheTenseOfTheDay() {
    assertThat(LambdaRuntime.NODEJS_20.deprecationNotice(LocalDate.of(2026, 12, 1))).contains(
        "runtime nodejs20.x is deprecated on AWS Lambda since 2026-04-30: creating functions on it is blocked from"
            + " 2027-02-01 and updates from 2027-03-03 (AWS's dates, which it has moved before: "
            + LambdaRuntime.RUNTIMES_PAGE + "); move spec.lambda.runtime to nodejs24.x");
    assertThat(LambdaRuntime.NODEJS_20.deprecationNotice(LocalDate.of(2027, 2, 15))).hasValueSatisfying(notice ->
        assertThat(notice).contains("has been blocked since 2027-02-01 and updates from 2027-03-03"));
    assertThat(LambdaRuntime.NODEJS_20.deprecationNotice(LocalDate.of(2027, 3, 3))).hasValueSatisfying(notice ->
        assertThat(notice).contains("has been blocked since 2027-02-01 and updates have been blocked since 2027-03-03"));
    assertThat(LambdaRuntime.NODEJS_20.updateBlocked(LocalDate.of(2027, 3, 2))).isFalse();
    assertThat(LambdaRuntime.NODEJS_20.updateBlocked(LocalDate.of(2027, 3, 3))).isTrue();
  }

  @Test
  void functionKnowsItsTableBucketAndTopicAndLogsToItsOwnGroup() {
    JsonNode function = defaults.props("ProcessorFunction");

    assertThat(function.path("Environment").path("Variables")).isEqualTo(json(Map.of(
        "TABLE_NAME", ref("ProcessingTable"),
        "BUCKET_NAME", ref("ProcessedDataBucket"),
        "TOPIC_ARN", ref("ErrorTopic"))));
    assertThat(function.path("LoggingConfig").path("LogGroup")).isEqualTo(ref("ProcessorLogGroup"));
    JsonNode logGroup = defaults.props("ProcessorLogGroup");
    assertThat(logGroup.path("LogGroupName").path("Fn::Sub").path(0).asText()).isEqualTo("/aws/lambda/${Prefix}-processor");
    assertThat(logGroup.path("RetentionInDays")).isEqualTo(ref("LogRetentionDays"));
    assertThat(defaults.stack.parameters()).containsEntry("LogRetentionDays", "30");
  }

  @Test
  void rolesHaveNoInlinePolicies() {
    TemplateJson everything = TemplateJson.of(TestSettings.everything());

    for (String role : everything.idsOfType("AWS::IAM::Role")) {
      assertThat(everything.props(role).has("Policies")).as("%s has inline policies", role).isFalse();
    }
  }

  @Test
  void functionMayDoExactlyWhatTheHandlerDoes() {
    List<JsonNode> grants = defaults.statements("ProcessorPolicy", "PolicyDocument");
    Map<String, JsonNode> bySid = new java.util.TreeMap<>();
    grants.forEach(g -> bySid.put(g.path("Sid").asText(), g));

    assertThat(bySid).containsOnlyKeys("ReadTable", "WriteProcessedObjects", "PublishAlerts", "WriteOwnLogs");
    assertThat(texts(bySid.get("ReadTable").path("Action"))).containsExactly("dynamodb:GetItem", "dynamodb:Query");
    assertThat(bySid.get("ReadTable").path("Resource")).isEqualTo(json(List.of(getAtt("ProcessingTable", "Arn"))));
    assertThat(texts(bySid.get("WriteProcessedObjects").path("Action"))).containsExactly("s3:PutObject");
    assertThat(bySid.get("WriteProcessedObjects").path("Resource").path(0).path("Fn::Sub").path(0).asText())
        .isEqualTo("${BucketArn}/processed/*");
    assertThat(texts(bySid.get("PublishAlerts").path("Action"))).containsExactly("sns:Publish");
    assertThat(bySid.get("PublishAlerts").path("Resource")).isEqualTo(json(List.of(ref("ErrorTopic"))));
    assertThat(texts(bySid.get("WriteOwnLogs").path("Action")))
        .containsExactly("logs:CreateLogStream", "logs:PutLogEvents");
    assertThat(bySid.get("WriteOwnLogs").path("Resource")).isEqualTo(json(List.of(getAtt("ProcessorLogGroup", "Arn"))));
    assertThat(defaults.props("ProcessorPolicy").path("Roles")).isEqualTo(json(List.of(ref("ProcessorRole"))));
    assertThat(texts(defaults.resource("ProcessorFunction").path("DependsOn"))).contains("ProcessorPolicy");
  }

  @Test
  void noGrantUsesAWildcardActionOrResource() {
    TestSettings settings = TestSettings.everything();
    settings.tracing = false;
    TemplateJson template = TemplateJson.of(settings);

    List<JsonNode> allows = new ArrayList<>();
    for (String policy : template.idsOfType("AWS::IAM::Policy")) {
      allows.addAll(template.statements(policy, "PolicyDocument"));
    }
    allows.addAll(template.statements("ProcessedDataBucketPolicy", "PolicyDocument"));
    allows.addAll(template.statements("ErrorTopicPolicy", "PolicyDocument"));
    allows.removeIf(s -> !s.path("Effect").asText().equals("Allow"));

    assertThat(allows).isNotEmpty();
    for (JsonNode statement : allows) {
      assertThat(texts(statement.path("Action"))).as("actions of %s", statement.path("Sid"))
          .noneMatch(action -> action.contains("*"));
      assertThat(texts(statement.path("Resource"))).as("resources of %s", statement.path("Sid"))
          .doesNotContain("*");
    }
  }

  @Test
  void tracingAddsActiveTracingAndOnlyTheXrayWritePermissions() {
    assertThat(defaults.props("ProcessorFunction").path("TracingConfig").path("Mode").asText()).isEqualTo("PassThrough");
    assertThat(defaults.has("ProcessorTracingPolicy")).isFalse();

    TestSettings settings = TestSettings.defaults();
    settings.tracing = true;
    TemplateJson traced = TemplateJson.of(settings);

    assertThat(traced.props("ProcessorFunction").path("TracingConfig").path("Mode").asText()).isEqualTo("Active");
    assertThat(traced.props("ApiStage").path("TracingEnabled").asBoolean()).isTrue();
    List<JsonNode> tracing = traced.statements("ProcessorTracingPolicy", "PolicyDocument");
    assertThat(tracing).hasSize(1);
    assertThat(texts(tracing.get(0).path("Action"))).containsExactly("xray:PutTraceSegments", "xray:PutTelemetryRecords");
  }
}
