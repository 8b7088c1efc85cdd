package io.serverlessdata.simulator;

import java.util.Map;
import java.util.Set;

/**
 * Which property changes make CloudFormation replace a resource ("Update requires: Replacement" in the
 * resource specification): the properties that name or identify the physical resource. Known types are
 * listed; for any other type, the property named after the type ({@code TableName} of a {@code Table}) counts.
 */
final class Replacements {

  private static final Map<String, Set<String>> IMMUTABLE = Map.ofEntries(
      Map.entry("AWS::DynamoDB::Table", Set.of("TableName", "KeySchema")),
      Map.entry("AWS::S3::Bucket", Set.of("BucketName", "ObjectLockEnabled")),
      Map.entry("AWS::Lambda::Function", Set.of("FunctionName")),
      Map.entry("AWS::Lambda::Permission", Set.of("Action", "FunctionName", "Principal", "SourceArn", "SourceAccount")),
      Map.entry("AWS::SNS::Topic", Set.of("TopicName", "FifoTopic")),
      Map.entry("AWS::SNS::Subscription", Set.of("Endpoint", "Protocol", "TopicArn")),
      Map.entry("AWS::Logs::LogGroup", Set.of("LogGroupName")),
      Map.entry("AWS::CloudWatch::Alarm", Set.of("AlarmName")),
      Map.entry("AWS::IAM::Role", Set.of("RoleName", "Path")),
      Map.entry("AWS::IAM::Policy", Set.of()),
      Map.entry("AWS::KMS::Key", Set.of()),
      Map.entry("AWS::KMS::Alias", Set.of("AliasName")),
      Map.entry("AWS::ApiGateway::RestApi", Set.of()),
      Map.entry("AWS::ApiGateway::Resource", Set.of("ParentId", "PathPart", "RestApiId")),
      Map.entry("AWS::ApiGateway::Method", Set.of("HttpMethod", "ResourceId", "RestApiId")),
      Map.entry("AWS::ApiGateway::Model", Set.of("ContentType", "Name", "RestApiId")),
      Map.entry("AWS::ApiGateway::RequestValidator", Set.of("Name", "RestApiId")),
      Map.entry("AWS::ApiGateway::Deployment", Set.of("RestApiId", "DeploymentCanarySettings", "StageName")),
      Map.entry("AWS::ApiGateway::Stage", Set.of("RestApiId", "StageName")),
      Map.entry("AWS::ApiGateway::ApiKey", Set.of("Name", "Value", "GenerateDistinctId")),
      Map.entry("AWS::ApiGateway::UsagePlan", Set.of()),
      Map.entry("AWS::ApiGateway::UsagePlanKey", Set.of("KeyId", "KeyType", "UsagePlanId")),
      Map.entry("AWS::CloudFront::Distribution", Set.of()),
      Map.entry("AWS::CloudFront::OriginAccessControl", Set.of()));

  private Replacements() {}

  static boolean requiresReplacement(String type, String property) {
    Set<String> immutable = IMMUTABLE.get(type);
    return immutable != null ? immutable.contains(property) : property.equals(shortName(type) + "Name");
  }

  /** {@code Table} of {@code AWS::DynamoDB::Table}. */
  static String shortName(String type) {
    return type.substring(type.lastIndexOf(':') + 1);
  }
}
