package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.cfn.ResourceTypes.IAM_POLICY;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.IAM_ROLE;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.LAMBDA_FUNCTION;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.LOG_GROUP;

import io.serverlessdata.operator.template.cfn.Fn;
import io.serverlessdata.operator.template.cfn.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request handler: the function with its inline code, its log group, and a role whose separate
 * policy grants exactly what the code does — read the table, write processed objects, publish alerts,
 * write its own logs.
 */
final class Processing {

  /** Key prefix the handler writes under; its policy allows nothing else in the bucket. */
  static final String OBJECT_PREFIX = "processed/";

  final Resource function;
  final Resource logGroup;
  final Resource role;
  private final List<Resource> resources = new ArrayList<>();

  Processing(StackParameters p, StackSettings settings, Storage storage, Alerts alerts, String handlerSource) {
    logGroup = new Resource("ProcessorLogGroup", LOG_GROUP)
        .set("LogGroupName", Fn.sub("/aws/lambda/${Prefix}-processor", "Prefix", p.prefix))
        .set("RetentionInDays", p.logRetention.ref());

    role = new Resource("ProcessorRole", IAM_ROLE)
        .set("Description", Fn.sub("Runs the ${Prefix} processor function", "Prefix", p.prefix))
        .set("AssumeRolePolicyDocument", Iam.trust("lambda.amazonaws.com"));

    List<Map<String, Object>> grants = new ArrayList<>();
    grants.add(Iam.allow("ReadTable", List.of("dynamodb:GetItem", "dynamodb:Query"),
        List.of(storage.table.getAtt("Arn"))));
    grants.add(Iam.allow("WriteProcessedObjects", List.of("s3:PutObject"),
        List.of(storage.objectsArn(OBJECT_PREFIX))));
    grants.add(Iam.allow("PublishAlerts", List.of("sns:Publish"), List.of(alerts.topic.ref())));
    alerts.key.ifPresent(key -> grants.add(
        Iam.allow("EncryptAlerts", Alerts.KEY_USE_ACTIONS, List.of(key.getAtt("Arn")))));
    // the log group's Arn attribute already ends in ":*", which covers its log streams
    grants.add(Iam.allow("WriteOwnLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
        List.of(logGroup.getAtt("Arn"))));
    Resource policy = new Resource("ProcessorPolicy", IAM_POLICY)
        .set("PolicyName", Fn.sub("${Prefix}-processor", "Prefix", p.prefix))
        .set("Roles", List.of(role.ref()))
        .set("PolicyDocument", Iam.document(grants));

    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("TABLE_NAME", storage.table.ref());
    environment.put("BUCKET_NAME", storage.bucket.ref());
    environment.put("TOPIC_ARN", alerts.topic.ref());
    if (!settings.api().corsAllowOrigins().isEmpty()) {
      environment.put("CORS_ALLOW_ORIGINS", p.corsAllowOrigins.ref());
    }

    function = new Resource("ProcessorFunction", LAMBDA_FUNCTION)
        .set("FunctionName", Fn.sub("${Prefix}-processor", "Prefix", p.prefix))
        .set("Description", "Processes POST /process requests")
        .set("Runtime", p.runtime.ref())
        .set("Handler", "index.handler")
        .set("Code", Map.of("ZipFile", handlerSource))
        .set("Role", role.getAtt("Arn"))
        .set("MemorySize", p.memorySize.ref())
        .set("Timeout", p.timeout.ref())
        .set("Environment", Map.of("Variables", environment))
        .set("LoggingConfig", Map.of("LogGroup", logGroup.ref()))
        .set("TracingConfig", Map.of("Mode", settings.lambda().tracing() ? "Active" : "PassThrough"))
        // the function must not run before its permissions exist
        .dependsOn(policy);

    resources.add(logGroup);
    resources.add(role);
    resources.add(policy);
    if (settings.lambda().tracing()) {
      Resource tracing = tracingPolicy(p);
      resources.add(tracing);
      function.dependsOn(tracing);
    }
    resources.add(function);
  }

  List<Resource> resources() {
    return List.copyOf(resources);
  }

  /**
   * X-Ray's write actions support no resource-level permissions, so this is the one grant whose resource
   * is {@code *}; it is rendered only when tracing is asked for.
   */
  private Resource tracingPolicy(StackParameters p) {
    return new Resource("ProcessorTracingPolicy", IAM_POLICY)
        .set("PolicyName", Fn.sub("${Prefix}-processor-tracing", "Prefix", p.prefix))
        .set("Roles", List.of(role.ref()))
        .set("PolicyDocument", Iam.document(List.of(Iam.allow("WriteTraces",
            List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"), List.of("*")))));
  }
}
