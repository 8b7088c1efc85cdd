package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.TemplateJson.getAtt;
import static io.serverlessdata.operator.template.TemplateJson.json;
import static io.serverlessdata.operator.template.TemplateJson.ref;
import static io.serverlessdata.operator.template.TemplateJson.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiTest {

  private final TemplateJson defaults = TemplateJson.of(TestSettings.defaults());

  @Test
  void postProcessIsARestApiMethodThatNeedsAnApiKeyAndValidatesItsBody() {
    assertThat(defaults.idsOfType("AWS::ApiGateway::RestApi")).containsExactly("ProcessingApi");
    assertThat(defaults.props("ProcessResource").path("PathPart").asText()).isEqualTo("process");
    assertThat(defaults.props("ProcessResource").path("ParentId")).isEqualTo(getAtt("ProcessingApi", "RootResourceId"));

    JsonNode post = defaults.props("ProcessPostMethod");
    assertThat(post.path("HttpMethod").asText()).isEqualTo("POST");
    assertThat(post.path("ApiKeyRequired").asBoolean()).isTrue();
    assertThat(post.path("ResourceId")).isEqualTo(ref("ProcessResource"));
    assertThat(post.path("RequestValidatorId")).isEqualTo(ref("ProcessRequestValidator"));
    assertThat(post.path("RequestModels").path("application/json")).isEqualTo(ref("ProcessRequestModel"));
    assertThat(post.path("Integration").path("Type").asText()).isEqualTo("AWS_PROXY");
    assertThat(post.path("Integration").path("IntegrationHttpMethod").asText()).isEqualTo("POST");
    assertThat(post.path("Integration").path("Uri").path("Fn::Sub").path(1).path("FunctionArn"))
        .isEqualTo(getAtt("ProcessorFunction", "Arn"));

    assertThat(defaults.props("ProcessRequestValidator").path("ValidateRequestBody").asBoolean()).isTrue();
    JsonNode schema = defaults.props("ProcessRequestModel").path("Schema");
    assertThat(texts(schema.path("required"))).containsExactly("id");
    assertThat(schema.path("properties").path("id").path("maxLength").asInt()).isEqualTo(256);
  }

  @Test
  void prodStageWritesJsonAccessLogsToItsOwnLogGroup() throws Exception {
    JsonNode stage = defaults.props("ApiStage");

    assertThat(stage.path("StageName").asText()).isEqualTo("prod");
    assertThat(stage.path("AccessLogSetting").path("DestinationArn")).isEqualTo(getAtt("ApiAccessLogGroup", "Arn"));
    JsonNode format = new ObjectMapper().readTree(stage.path("AccessLogSetting").path("Format").asText());
    assertThat(format.path("requestId").asText()).isEqualTo("$context.requestId");
    assertThat(format.path("status").asText()).isEqualTo("$context.status");
    assertThat(defaults.props("ApiAccessLogGroup").path("RetentionInDays")).isEqualTo(ref("LogRetentionDays"));
    assertThat(texts(defaults.resource("ApiStage").path("DependsOn"))).contains("ApiGatewayAccount");
  }

  @Test
  void prodStageLogsEveryMethodAtErrorWithoutBodiesWithMetricsAndTheStagesOwnThrottle() {
    JsonNode stage = defaults.props("ApiStage");

    assertThat(stage.path("MethodSettings")).isEqualTo(json(List.of(Map.of(
        "ResourcePath", "/*",
        "HttpMethod", "*",
        "LoggingLevel", ref("ApiLoggingLevel"),
        "DataTraceEnabled", false,
        "MetricsEnabled", true,
        "ThrottlingRateLimit", ref("ApiRateLimit"),
        "ThrottlingBurstLimit", ref("ApiBurstLimit")))));
    assertThat(defaults.stack.parameters()).containsEntry("ApiLoggingLevel", "ERROR");
    assertThat(texts(defaults.root.path("Parameters").path("ApiLoggingLevel").path("AllowedValues")))
        .containsExactly("ERROR", "INFO");
    // execution logging, like access logging, needs the account's CloudWatch role first
    assertThat(texts(defaults.resource("ApiStage").path("DependsOn"))).contains("ApiGatewayAccount");
  }

  @Test
  void loggingLevelInfoIsAParameterValueOfTheSameTemplate() {
    TestSettings settings = TestSettings.defaults();
    settings.loggingLevel = ApiLoggingLevel.INFO;
    RenderedStack info = settings.render();

    assertThat(info.parameters()).containsEntry("ApiLoggingLevel", "INFO");
    assertThat(info.templateBody()).isEqualTo(defaults.stack.templateBody());
    assertThat(info.hash()).isNotEqualTo(defaults.stack.hash());
  }

  @Test
  void stageThrottleTakesTheSpecsRateAndBurst() {
    TestSettings settings = TestSettings.defaults();
    settings.rate = 50;
    settings.burst = 100;

    assertThat(settings.render().parameters()).containsEntry("ApiRateLimit", "50").containsEntry("ApiBurstLimit", "100");
    JsonNode methods = TemplateJson.of(settings).props("ApiStage").path("MethodSettings").path(0);
    assertThat(methods.path("ThrottlingRateLimit")).isEqualTo(ref("ApiRateLimit"));
    assertThat(methods.path("ThrottlingBurstLimit")).isEqualTo(ref("ApiBurstLimit"));
  }

  @Test
  void accountHasACloudWatchRoleForApiGatewayThatOutlivesTheStack() {
    JsonNode account = defaults.props("ApiGatewayAccount");
    assertThat(account.path("CloudWatchRoleArn")).isEqualTo(getAtt("ApiGatewayCloudWatchRole", "Arn"));

    JsonNode role = defaults.resource("ApiGatewayCloudWatchRole");
    assertThat(role.path("DeletionPolicy").asText()).isEqualTo("Retain");
    assertThat(role.path("Properties").path("AssumeRolePolicyDocument").path("Statement").path(0).path("Principal"))
        .isEqualTo(json(Map.of("Service", "apigateway.amazonaws.com")));
    assertThat(role.path("Properties").path("ManagedPolicyArns").path(0).path("Fn::Sub").asText())
        .endsWith(":iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
  }

  @Test
  void usagePlanAllowsAThousandRequestsADayWithThrottle() {
    JsonNode plan = defaults.props("UsagePlan");

    assertThat(plan.path("Quota")).isEqualTo(json(Map.of("Limit", ref("ApiDailyQuota"), "Period", "DAY")));
    assertThat(plan.path("Throttle")).isEqualTo(json(Map.of("RateLimit", ref("ApiRateLimit"), "BurstLimit", ref("ApiBurstLimit"))));
    assertThat(plan.path("ApiStages")).isEqualTo(json(List.of(Map.of("ApiId", ref("ProcessingApi"), "Stage", ref("ApiStage")))));
    assertThat(defaults.stack.parameters())
        .containsEntry("ApiDailyQuota", "1000")
        .containsEntry("ApiRateLimit", "10")
        .containsEntry("ApiBurstLimit", "20");
    JsonNode key = defaults.props("UsagePlanKey");
    assertThat(key.path("KeyId")).isEqualTo(ref("ApiKey"));
    assertThat(key.path("KeyType").asText()).isEqualTo("API_KEY");
    assertThat(key.path("UsagePlanId")).isEqualTo(ref("UsagePlan"));
    assertThat(defaults.props("ApiKey").path("Enabled").asBoolean()).isTrue();
  }

  @Test
  void apiGatewayMayInvokeTheFunctionOnlyThroughPostProcessOnProd() {
    JsonNode permission = defaults.props("ApiInvokePostPermission");

    assertThat(permission.path("Action").asText()).isEqualTo("lambda:InvokeFunction");
    assertThat(permission.path("Principal").asText()).isEqualTo("apigateway.amazonaws.com");
    assertThat(permission.path("SourceArn").path("Fn::Sub").path(0).asText())
        .isEqualTo("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/prod/POST/process");
    assertThat(defaults.idsOfType("AWS::Lambda::Permission")).containsExactly("ApiInvokePostPermission");
  }

  @Test
  void deploymentIsRedeployedWhenTheApiDefinitionChanges() {
    String plain = defaults.onlyIdOfType("AWS::ApiGateway::Deployment");
    assertThat(TemplateJson.of(TestSettings.defaults()).onlyIdOfType("AWS::ApiGateway::Deployment")).isEqualTo(plain);

    TestSettings cors = TestSettings.defaults();
    cors.origins = List.of("https://app.example.com");
    TemplateJson withCors = TemplateJson.of(cors);
    String changed = withCors.onlyIdOfType("AWS::ApiGateway::Deployment");

    assertThat(changed).isNotEqualTo(plain).startsWith("ApiDeployment");
    assertThat(withCors.props("ApiStage").path("DeploymentId")).isEqualTo(ref(changed));
    assertThat(texts(withCors.resource(changed).path("DependsOn"))).contains("ProcessPostMethod", "ProcessOptionsMethod");
  }

  @Test
  void corsAnswersPreflightWithoutAnApiKeyThroughTheHandler() {
    assertThat(defaults.has("ProcessOptionsMethod")).isFalse();
    assertThat(defaults.props("ProcessorFunction").path("Environment").path("Variables").has("CORS_ALLOW_ORIGINS")).isFalse();

    TestSettings settings = TestSettings.defaults();
    settings.origins = List.of("https://app.example.com", "http://localhost:3000");
    TemplateJson cors = TemplateJson.of(settings);

    JsonNode options = cors.props("ProcessOptionsMethod");
    assertThat(options.path("HttpMethod").asText()).isEqualTo("OPTIONS");
    assertThat(options.path("ApiKeyRequired").asBoolean()).isFalse();
    assertThat(options.path("Integration").path("Type").asText()).isEqualTo("AWS_PROXY");
    assertThat(cors.props("ProcessorFunction").path("Environment").path("Variables").path("CORS_ALLOW_ORIGINS"))
        .isEqualTo(ref("CorsAllowOrigins"));
    assertThat(cors.stack.parameters()).containsEntry("CorsAllowOrigins", "https://app.example.com,http://localhost:3000");
    assertThat(cors.props("ApiInvokeOptionsPermission").path("SourceArn").path("Fn::Sub").path(0).asText())
        .endsWith("/prod/OPTIONS/process");
  }
}
