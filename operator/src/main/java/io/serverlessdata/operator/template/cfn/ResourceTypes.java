package io.serverlessdata.operator.template.cfn;

/**
 * The resource types the stack is built from, with the attributes it reads and whether they take tags
 * (checked against the CloudFormation resource specification by the tests).
 */
public final class ResourceTypes {

  public static final ResourceType DYNAMODB_TABLE = ResourceType.taggable("AWS::DynamoDB::Table", "Arn", "StreamArn");
  public static final ResourceType S3_BUCKET =
      ResourceType.taggable("AWS::S3::Bucket", "Arn", "DomainName", "RegionalDomainName");
  public static final ResourceType S3_BUCKET_POLICY = ResourceType.untagged("AWS::S3::BucketPolicy");
  public static final ResourceType LOG_GROUP = ResourceType.taggable("AWS::Logs::LogGroup", "Arn");
  public static final ResourceType IAM_ROLE = ResourceType.taggable("AWS::IAM::Role", "Arn", "RoleId");
  public static final ResourceType IAM_POLICY = ResourceType.untagged("AWS::IAM::Policy");
  public static final ResourceType LAMBDA_FUNCTION = ResourceType.taggable("AWS::Lambda::Function", "Arn");
  public static final ResourceType LAMBDA_PERMISSION = ResourceType.untagged("AWS::Lambda::Permission");
  public static final ResourceType KMS_KEY = ResourceType.taggable("AWS::KMS::Key", "Arn", "KeyId");
  public static final ResourceType KMS_ALIAS = ResourceType.untagged("AWS::KMS::Alias");
  public static final ResourceType SNS_TOPIC = ResourceType.taggable("AWS::SNS::Topic", "TopicName");
  public static final ResourceType SNS_TOPIC_POLICY = ResourceType.untagged("AWS::SNS::TopicPolicy");
  public static final ResourceType SNS_SUBSCRIPTION = ResourceType.untagged("AWS::SNS::Subscription");
  /** Takes {@code Tags} since April 2024, after the frozen resource specification the tests check against. */
  public static final ResourceType CLOUDWATCH_ALARM = ResourceType.taggable("AWS::CloudWatch::Alarm", "Arn");
  public static final ResourceType API_ACCOUNT = ResourceType.untagged("AWS::ApiGateway::Account");
  public static final ResourceType REST_API = ResourceType.taggable("AWS::ApiGateway::RestApi", "RootResourceId");
  public static final ResourceType API_RESOURCE = ResourceType.untagged("AWS::ApiGateway::Resource");
  public static final ResourceType API_METHOD = ResourceType.untagged("AWS::ApiGateway::Method");
  public static final ResourceType API_MODEL = ResourceType.untagged("AWS::ApiGateway::Model");
  public static final ResourceType API_REQUEST_VALIDATOR = ResourceType.untagged("AWS::ApiGateway::RequestValidator");
  public static final ResourceType API_DEPLOYMENT = ResourceType.untagged("AWS::ApiGateway::Deployment");
  public static final ResourceType API_STAGE = ResourceType.taggable("AWS::ApiGateway::Stage");
  public static final ResourceType API_KEY = ResourceType.taggable("AWS::ApiGateway::ApiKey", "APIKeyId");
  public static final ResourceType USAGE_PLAN = ResourceType.taggable("AWS::ApiGateway::UsagePlan", "Id");
  public static final ResourceType USAGE_PLAN_KEY = ResourceType.untagged("AWS::ApiGateway::UsagePlanKey");
  public static final ResourceType CLOUDFRONT_OAC = ResourceType.untagged("AWS::CloudFront::OriginAccessControl", "Id");
  public static final ResourceType CLOUDFRONT_DISTRIBUTION =
      ResourceType.taggable("AWS::CloudFront::Distribution", "DomainName", "Id");

  private ResourceTypes() {}
}
