package io.serverlessdata.operator.template;

import io.serverlessdata.operator.template.cfn.ResourceTypes;
import io.serverlessdata.operator.template.cfn.Fn;
import io.serverlessdata.operator.template.cfn.Template;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the serverless data-processing stack: storage, alerts, processing, API and delivery, wired
 * together the way the architecture diagram reads, every taggable resource tagged with its environment.
 */
public final class StackTemplate {

  static final String DESCRIPTION = "Serverless data processing: API Gateway -> Lambda -> DynamoDB/S3,"
      + " CloudFront in front of the bucket, SNS alerts (managed by the serverless-data-stack operator)";

  /**
   * The resources that hold the data: the table and the bucket. Under {@code dataRetention: Retain} they outlive
   * their stack ({@code DeletionPolicy: RetainExceptOnCreate}), so a CREATE change set with
   * {@code ImportExistingResources} may plan an {@code Import} of them; the reconciler checks such an import
   * against these logical ids and types before it executes the change set.
   */
  public static final List<DataResource> DATA_RESOURCES = List.of(
      new DataResource(Storage.TABLE_ID, ResourceTypes.DYNAMODB_TABLE.name()),
      new DataResource(Storage.BUCKET_ID, ResourceTypes.S3_BUCKET.name()));

  /**
   * A resource of the stack that holds data.
   *
   * @param logicalId its logical id in the template, as a change set's {@code ResourceChange} names it
   * @param type its CloudFormation type, e.g. {@code AWS::DynamoDB::Table}
   */
  public record DataResource(String logicalId, String type) {}

  private StackTemplate() {}

  /**
   * The settings that change the template itself. Every other setting is a parameter value, so stacks of the
   * same shape share one template: it is rendered and serialised once per shape (at most 32 of them).
   */
  record Shape(DataRetention dataRetention, boolean objectLock, TopicEncryption topicEncryption, boolean cors,
      boolean tracing) {

    static Shape of(StackSettings settings) {
      return new Shape(settings.dataRetention(), settings.objectLock().isPresent(), settings.topicEncryption(),
          !settings.api().corsAllowOrigins().isEmpty(), settings.lambda().tracing());
    }
  }

  /** The rendered template of each shape with the packed handler; bounded by the number of shapes. */
  private static final Map<Shape, RenderedStack> SHAPES = new java.util.concurrent.ConcurrentHashMap<>();

  /** Where a shape's template holds the table's and bucket's names, filled in for each stack. */
  private static final String TABLE_NAME_SLOT = "__sds_table_name__";
  private static final String BUCKET_NAME_SLOT = "__sds_bucket_name__";

  /**
   * Renders as the operator sends it, with the packed handler: the shape's template (rendered once) with this
   * stack's static table and bucket names, this spec's parameter values and tags, and their hash. The names are
   * literal — CloudFormation imports a retained table or bucket into a new stack only when its name is static in
   * the template ("Import AWS resources into a CloudFormation stack automatically", user guide) — so the bucket's
   * needs the account's id.
   *
   * @param accountId the AWS account the stack is in; without it (an offline render) the bucket's name is left to
   *     CloudFormation ({@code Fn::Sub} of {@code AWS::AccountId}), which the operator itself never sends
   */
  public static RenderedStack render(StackSettings settings, Optional<String> accountId) {
    RenderedStack shape = SHAPES.computeIfAbsent(Shape.of(settings),
        s -> render(settings, HandlerSource.get(), TABLE_NAME_SLOT, BUCKET_NAME_SLOT));
    String prefix = settings.resourcePrefix();
    String bucket = accountId.map(account -> json(Storage.bucketName(prefix, account)))
        .orElseGet(() -> Template.canonicalJson(Fn.sub(Storage.bucketName(prefix, "${AWS::AccountId}"))));
    String body = shape.templateBody()
        .replace(json(TABLE_NAME_SLOT), json(Storage.tableName(prefix)))
        .replace(json(BUCKET_NAME_SLOT), bucket);
    return RenderedStack.of(shape.template(), body, new StackParameters(settings).values(), settings.stackTags());
  }

  /** Renders offline: the bucket's name left to CloudFormation (see {@link #render(StackSettings, Optional)}). */
  public static RenderedStack render(StackSettings settings) {
    return render(settings, Optional.empty());
  }

  /** A name in JSON: names are lowercase letters, digits and {@code -} (validated), so they need no escaping. */
  private static String json(String name) {
    return "\"" + name + "\"";
  }

  /** Renders uncached, with the table's and bucket's names as given (literal, or for the bucket an intrinsic). */
  static RenderedStack render(StackSettings settings, String handlerSource, Object tableName, Object bucketName) {
    StackParameters p = new StackParameters(settings);
    Storage storage = new Storage(p, settings, tableName, bucketName);
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
