package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.cfn.ResourceTypes.API_ACCOUNT;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.API_DEPLOYMENT;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.API_KEY;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.API_METHOD;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.API_MODEL;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.API_REQUEST_VALIDATOR;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.API_RESOURCE;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.API_STAGE;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.IAM_ROLE;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.LAMBDA_PERMISSION;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.LOG_GROUP;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.REST_API;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.USAGE_PLAN;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.USAGE_PLAN_KEY;

import io.serverlessdata.operator.template.cfn.Fn;
import io.serverlessdata.operator.template.cfn.Resource;
import io.serverlessdata.operator.template.cfn.Template;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The way in: a REST API (usage plans and API keys exist only for REST APIs) with {@code POST /process}
 * behind an API key, a request validator, stage {@code prod} with JSON access logs, execution logging and a
 * stage-wide throttle, and a usage plan.
 */
final class Api {

  static final String STAGE = "prod";
  static final String PATH = "process";

  /** One JSON object per request in the access log. */
  static final String ACCESS_LOG_FORMAT = Template.canonicalJson(Map.of(
      "requestId", "$context.requestId",
      "ip", "$context.identity.sourceIp",
      "requestTime", "$context.requestTime",
      "httpMethod", "$context.httpMethod",
      "resourcePath", "$context.resourcePath",
      "status", "$context.status",
      "responseLength", "$context.responseLength",
      "integrationLatency", "$context.integrationLatency",
      "apiKeyId", "$context.identity.apiKeyId"));

  final Resource restApi;
  final Resource stage;
  final Resource apiKey;
  private final List<Resource> resources = new ArrayList<>();

  Api(StackParameters p, StackSettings settings, Processing processing) {
    Resource function = processing.function;
    restApi = new Resource("ProcessingApi", REST_API)
        .set("Name", Fn.sub("${Prefix}-processing-api", "Prefix", p.prefix))
        .set("Description", "Accepts data for processing")
        .set("EndpointConfiguration", Map.of("Types", List.of("REGIONAL")));
    Resource process = new Resource("ProcessResource", API_RESOURCE)
        .set("RestApiId", restApi.ref())
        .set("ParentId", restApi.getAtt("RootResourceId"))
        .set("PathPart", PATH);
    Resource validator = new Resource("ProcessRequestValidator", API_REQUEST_VALIDATOR)
        .set("RestApiId", restApi.ref())
        .set("Name", "body-and-parameters")
        .set("ValidateRequestBody", true)
        .set("ValidateRequestParameters", true);
    Resource model = new Resource("ProcessRequestModel", API_MODEL)
        .set("RestApiId", restApi.ref())
        .set("Name", "ProcessRequest")
        .set("ContentType", "application/json")
        .set("Description", "A JSON object with an id; every other field is the payload")
        .set("Schema", Map.of(
            "$schema", "http://json-schema.org/draft-04/schema#",
            "title", "ProcessRequest",
            "type", "object",
            "required", List.of("id"),
            "properties", Map.of("id", Map.of(
                "type", "string", "minLength", 1, "maxLength", 256, "pattern", "^[A-Za-z0-9._:-]+$"))));
    Object invocationUri = Fn.sub(
        "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations",
        "FunctionArn", function.getAtt("Arn"));
    Resource post = new Resource("ProcessPostMethod", API_METHOD)
        .set("RestApiId", restApi.ref())
        .set("ResourceId", process.ref())
        .set("HttpMethod", "POST")
        .set("AuthorizationType", "NONE")
        .set("ApiKeyRequired", true)
        .set("RequestValidatorId", validator.ref())
        .set("RequestModels", Map.of("application/json", model.ref()))
        .set("Integration", Map.of(
            "Type", "AWS_PROXY", "IntegrationHttpMethod", "POST", "Uri", invocationUri));
    List<Resource> definition = new ArrayList<>(List.of(process, validator, model, post));
    resources.addAll(List.of(restApi, process, validator, model, post, invokePermission(function, "POST")));

    if (!settings.api().corsAllowOrigins().isEmpty()) {
      // browsers send the preflight without the API key; the handler answers it from CORS_ALLOW_ORIGINS
      Resource options = new Resource("ProcessOptionsMethod", API_METHOD)
          .set("RestApiId", restApi.ref())
          .set("ResourceId", process.ref())
          .set("HttpMethod", "OPTIONS")
          .set("AuthorizationType", "NONE")
          .set("ApiKeyRequired", false)
          .set("Integration", Map.of(
              "Type", "AWS_PROXY", "IntegrationHttpMethod", "POST", "Uri", invocationUri));
      definition.add(options);
      resources.add(options);
      resources.add(invokePermission(function, "OPTIONS"));
    }

    // A deployment is a snapshot: a new logical id whenever the definition changes makes CloudFormation
    // deploy the change instead of leaving the stage on the old snapshot.
    Resource deployment = new Resource("ApiDeployment" + fingerprint(definition), API_DEPLOYMENT)
        .set("RestApiId", restApi.ref())
        .set("Description", "POST /" + PATH)
        .dependsOn(definition.toArray(Resource[]::new));

    Resource accessLogs = new Resource("ApiAccessLogGroup", LOG_GROUP)
        .set("LogGroupName", Fn.sub("/aws/apigateway/${Prefix}-api", "Prefix", p.prefix))
        .set("RetentionInDays", p.logRetention.ref());
    Resource account = cloudWatchAccount();
    stage = new Resource("ApiStage", API_STAGE)
        .set("RestApiId", restApi.ref())
        .set("DeploymentId", deployment.ref())
        .set("StageName", STAGE)
        .set("Description", "Production stage")
        .set("TracingEnabled", settings.lambda().tracing())
        .set("AccessLogSetting", Map.of(
            "DestinationArn", accessLogs.getAtt("Arn"),
            "Format", ACCESS_LOG_FORMAT))
        .set("MethodSettings", List.of(allMethods(p)))
        // API Gateway refuses access and execution logging until the account has a CloudWatch role
        .dependsOn(account);

    apiKey = new Resource("ApiKey", API_KEY)
        .set("Name", Fn.sub("${Prefix}-api-key", "Prefix", p.prefix))
        .set("Description", "Key for POST /process")
        .set("Enabled", true);
    Resource usagePlan = new Resource("UsagePlan", USAGE_PLAN)
        .set("UsagePlanName", Fn.sub("${Prefix}-usage-plan", "Prefix", p.prefix))
        .set("Description", "Daily quota and throttle for the API key")
        .set("ApiStages", List.of(Map.of("ApiId", restApi.ref(), "Stage", stage.ref())))
        .set("Quota", Map.of("Limit", p.dailyQuota.ref(), "Period", "DAY"))
        .set("Throttle", Map.of("RateLimit", p.rateLimit.ref(), "BurstLimit", p.burstLimit.ref()));
    Resource usagePlanKey = new Resource("UsagePlanKey", USAGE_PLAN_KEY)
        .set("KeyId", apiKey.ref())
        .set("KeyType", "API_KEY")
        .set("UsagePlanId", usagePlan.ref());
    resources.addAll(List.of(deployment, accessLogs, stage, apiKey, usagePlan, usagePlanKey));
  }

  /** The URL clients POST to. */
  Object endpoint() {
    return Fn.sub("https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + STAGE + "/" + PATH,
        "Api", restApi);
  }

  List<Resource> resources() {
    return List.copyOf(resources);
  }

  /**
   * The stage's settings for every method ({@code /*} and {@code *}): execution logging at the spec's level,
   * never with request or response bodies ({@code DataTraceEnabled: false}), CloudWatch metrics per method, and
   * the stage's own throttle. The usage plan throttles each key; without a stage throttle the stage would fall
   * back to the account's default limits.
   */
  private static Map<String, Object> allMethods(StackParameters p) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("ResourcePath", "/*");
    settings.put("HttpMethod", "*");
    settings.put("LoggingLevel", p.loggingLevel.ref());
    settings.put("DataTraceEnabled", false);
    settings.put("MetricsEnabled", true);
    settings.put("ThrottlingRateLimit", p.rateLimit.ref());
    settings.put("ThrottlingBurstLimit", p.burstLimit.ref());
    return settings;
  }

  private Resource invokePermission(Resource function, String method) {
    String id = "ApiInvoke" + method.charAt(0) + method.substring(1).toLowerCase() + "Permission";
    return new Resource(id, LAMBDA_PERMISSION)
        .set("Action", "lambda:InvokeFunction")
        .set("FunctionName", function.getAtt("Arn"))
        .set("Principal", "apigateway.amazonaws.com")
        .set("SourceArn", Fn.sub(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/" + STAGE + "/" + method + "/" + PATH,
            "Api", restApi));
  }

  /**
   * API Gateway writes logs through one CloudWatch role per account and region. The role is retained with
   * the stack, because other APIs in the account may log through it after this stack is gone.
   */
  private Resource cloudWatchAccount() {
    Resource role = new Resource("ApiGatewayCloudWatchRole", IAM_ROLE)
        .set("Description", "Lets API Gateway write access and execution logs to CloudWatch Logs")
        .set("AssumeRolePolicyDocument", Iam.trust("apigateway.amazonaws.com"))
        .set("ManagedPolicyArns", List.of(Fn.sub(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")))
        .policies(Resource.DeletionPolicy.Retain, Resource.UpdateReplacePolicy.Retain);
    Resource account = new Resource("ApiGatewayAccount", API_ACCOUNT)
        .set("CloudWatchRoleArn", role.getAtt("Arn"));
    resources.add(role);
    resources.add(account);
    return account;
  }

  private static String fingerprint(List<Resource> definition) {
    Map<String, Object> snapshot = new LinkedHashMap<>();
    definition.forEach(r -> snapshot.put(r.logicalId(), r.properties()));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Template.canonicalJson(snapshot).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
