package io.serverlessdata.operator.template;

import io.serverlessdata.operator.template.cfn.Template;
import java.util.List;
import java.util.Map;

/**
 * Renders the serverless data-processing stack: storage, alerts, processing, API and delivery, wired
 * together the way the architecture diagram reads, every taggable resource tagged with its environment.
 */
public final class StackTemplate {

  static final String DESCRIPTION = "Serverless data processing: API Gateway -> Lambda -> DynamoDB/S3,"
      + " CloudFront in front of the bucket, SNS alerts (managed by the serverless-data-stack operator)";

  private StackTemplate() {}

  /** Renders with the handler packed into the operator. */
  public static RenderedStack render(StackSettings settings) {
    return render(settings, HandlerSource.get());
  }

  static RenderedStack render(StackSettings settings, String handlerSource) {
    StackParameters p = new StackParameters(settings);
    Storage storage = new Storage(p, settings);
    Alerts alerts = new Alerts(p, settings);
    Processing processing = new Processing(p, settings, storage, alerts, handlerSource);
    alerts.alarmOnErrors(processing.function);
    Api api = new Api(p, settings, processing);
    Delivery delivery = new Delivery(p, storage);
    storage.bucketPolicy(List.of(delivery.readAccess(storage)));

    Template.Builder template = Template.builder(DESCRIPTION);
    p.declared().forEach(template::parameter);
    template.resources(storage.resources())
        .resources(alerts.resources())
        .resources(processing.resources())
        .resources(api.resources())
        .resources(delivery.resources())
        .tagAll(Map.of(StackSettings.ENVIRONMENT_TAG, p.environment.ref()))
        .output("ApiEndpoint", "URL to POST data to (send the API key in the x-api-key header)", api.endpoint())
        .output("ApiKeyId", "Id of the API key (read its value with apigateway get-api-key --include-value)",
            api.apiKey.ref())
        .output("CloudFrontUrl", "HTTPS URL of the CloudFront distribution serving processed data", delivery.url())
        .output("S3BucketName", "Bucket holding processed data", storage.bucket.ref())
        .output("DynamoTableName", "Table the processor reads", storage.table.ref())
        .output("FunctionName", "The processor function", processing.function.ref())
        .output("ErrorTopicArn", "Topic that receives processing alerts", alerts.topic.ref());

    return RenderedStack.of(template.build(), p.values(), settings.stackTags());
  }
}
