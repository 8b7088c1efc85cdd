package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.TemplateJson.getAtt;
import static io.serverlessdata.operator.template.TemplateJson.json;
import static io.serverlessdata.operator.template.TemplateJson.ref;
import static io.serverlessdata.operator.template.TemplateJson.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StorageTest {

  private final TemplateJson defaults = TemplateJson.of(TestSettings.defaults());

  @Test
  void tableIsKeyedByIdWithProvisionedCapacityFromParameters() {
    JsonNode table = defaults.props("ProcessingTable");

    assertThat(table.path("KeySchema")).isEqualTo(json(List.of(Map.of("AttributeName", "id", "KeyType", "HASH"))));
    assertThat(table.path("AttributeDefinitions"))
        .isEqualTo(json(List.of(Map.of("AttributeName", "id", "AttributeType", "S"))));
    assertThat(table.path("BillingMode").asText()).isEqualTo("PROVISIONED");
    assertThat(table.path("ProvisionedThroughput")).isEqualTo(json(Map.of(
        "ReadCapacityUnits", ref("DynamoDbReadCapacity"), "WriteCapacityUnits", ref("DynamoDbWriteCapacity"))));
    assertThat(defaults.root.path("Parameters").path("DynamoDbReadCapacity").path("MinValue").asInt()).isEqualTo(5);
    assertThat(defaults.root.path("Parameters").path("DynamoDbWriteCapacity").path("MinValue").asInt()).isEqualTo(5);
  }

  @Test
  void capacitiesReachTheStackAsParameterValues() {
    TestSettings settings = TestSettings.defaults();
    settings.read = 12;
    settings.write = 7;

    assertThat(settings.render().parameters())
        .containsEntry("DynamoDbReadCapacity", "12")
        .containsEntry("DynamoDbWriteCapacity", "7");
  }

  @Test
  void tableIsEncryptedWithTheAwsManagedKeyAndRecoverableToAPointInTime() {
    JsonNode table = defaults.props("ProcessingTable");

    assertThat(table.path("SSESpecification")).isEqualTo(json(Map.of("SSEEnabled", true)));
    assertThat(table.path("PointInTimeRecoverySpecification"))
        .isEqualTo(json(Map.of("PointInTimeRecoveryEnabled", true)));
  }

  @Test
  void dataOutlivesTheStackButNotAFailedFirstCreate() {
    for (String id : List.of("ProcessingTable", "ProcessedDataBucket")) {
      assertThat(defaults.resource(id).path("DeletionPolicy").asText()).as(id).isEqualTo("RetainExceptOnCreate");
      assertThat(defaults.resource(id).path("UpdateReplacePolicy").asText()).as(id).isEqualTo("Retain");
    }
  }

  @Test
  void onlyTheDataResourcesAreRetainedExceptOnCreate() {
    TemplateJson everything = TemplateJson.of(TestSettings.everything());
    everything.root.path("Resources").properties().forEach(entry -> assertThat(entry.getValue().path("DeletionPolicy")
        .asText()).as(entry.getKey()).isNotEqualTo("RetainExceptOnCreate"));

    List<String> retained = new java.util.ArrayList<>();
    defaults.root.path("Resources").properties().forEach(entry -> {
      if (entry.getValue().path("DeletionPolicy").asText().equals("RetainExceptOnCreate")) {
        retained.add(entry.getKey() + " " + entry.getValue().path("Type").asText());
      }
    });
    assertThat(retained).containsExactlyInAnyOrderElementsOf(StackTemplate.DATA_RESOURCES.stream()
        .map(data -> data.logicalId() + " " + data.type()).toList());
  }

  @Test
  void dataRetentionDeleteLetsTheStackRemoveTableAndBucket() {
    TestSettings settings = TestSettings.defaults();
    settings.dataRetention = DataRetention.Delete;
    TemplateJson template = TemplateJson.of(settings);

    for (String id : List.of("ProcessingTable", "ProcessedDataBucket")) {
      assertThat(template.resource(id).path("DeletionPolicy").asText()).as(id).isEqualTo("Delete");
      assertThat(template.resource(id).path("UpdateReplacePolicy").asText()).as(id).isEqualTo("Delete");
    }
  }

  @Test
  void bucketHasObjectLockVersioningSseS3AndNoPublicAccess() {
    JsonNode bucket = defaults.props("ProcessedDataBucket");

    assertThat(bucket.path("ObjectLockEnabled").asBoolean()).isTrue();
    assertThat(bucket.path("VersioningConfiguration")).isEqualTo(json(Map.of("Status", "Enabled")));
    assertThat(bucket.path("BucketEncryption").path("ServerSideEncryptionConfiguration").path(0)
        .path("ServerSideEncryptionByDefault")).isEqualTo(json(Map.of("SSEAlgorithm", "AES256")));
    assertThat(bucket.path("PublicAccessBlockConfiguration")).isEqualTo(json(Map.of(
        "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true)));
    assertThat(bucket.path("OwnershipControls").path("Rules").path(0).path("ObjectOwnership").asText())
        .isEqualTo("BucketOwnerEnforced");
    // rendered offline: the account is left to CloudFormation
    assertThat(bucket.path("BucketName")).isEqualTo(json(Map.of("Fn::Sub",
        TestSettings.defaults().prefix + "-processed-data-${AWS::AccountId}")));
  }

  @Test
  void asTheOperatorRendersThemTheTablesAndBucketsNamesAreStaticSoThatARetainedOneCanBeImported() {
    TestSettings settings = TestSettings.defaults();
    TemplateJson template = TemplateJson.of(StackTemplate.render(settings.build(), Optional.of("210987654321")));

    assertThat(template.resource("ProcessingTable").path("Properties").path("TableName").asText())
        .isEqualTo(settings.prefix + "-processing-table");
    assertThat(template.resource("ProcessedDataBucket").path("Properties").path("BucketName").asText())
        .isEqualTo(settings.prefix + "-processed-data-210987654321");

    // stacks of the same shape share one template, each with its own names
    settings.prefix = "billing-dev";
    TemplateJson other = TemplateJson.of(StackTemplate.render(settings.build(), Optional.of("210987654321")));
    assertThat(other.resource("ProcessingTable").path("Properties").path("TableName").asText())
        .isEqualTo("billing-dev-processing-table");
    assertThat(other.resource("ProcessedDataBucket").path("Properties").path("BucketName").asText())
        .isEqualTo("billing-dev-processed-data-210987654321");
  }

  @Test
  void objectLockDefaultRetentionOnlyWhenAskedFor() {
    assertThat(defaults.props("ProcessedDataBucket").has("ObjectLockConfiguration")).isFalse();
    assertThat(defaults.root.path("Parameters").has("ObjectLockMode")).isFalse();

    TestSettings settings = TestSettings.defaults();
    settings.objectLock = Optional.of(new StackSettings.ObjectLock(ObjectLockMode.COMPLIANCE, 365));
    TemplateJson locked = TemplateJson.of(settings);

    assertThat(locked.props("ProcessedDataBucket").path("ObjectLockConfiguration")).isEqualTo(json(Map.of(
        "ObjectLockEnabled", "Enabled",
        "Rule", Map.of("DefaultRetention", Map.of("Mode", ref("ObjectLockMode"), "Days", ref("ObjectLockRetentionDays"))))));
    assertThat(locked.stack.parameters())
        .containsEntry("ObjectLockMode", "COMPLIANCE")
        .containsEntry("ObjectLockRetentionDays", "365");
  }

  @Test
  void bucketPolicyDeniesPlainHttpAndLetsOnlyThisDistributionRead() {
    List<JsonNode> statements = defaults.statements("ProcessedDataBucketPolicy", "PolicyDocument");

    JsonNode deny = statements.stream().filter(s -> s.path("Effect").asText().equals("Deny")).findFirst().orElseThrow();
    assertThat(deny.path("Condition")).isEqualTo(json(Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
    assertThat(deny.path("Resource")).hasSize(2);

    List<JsonNode> allows = statements.stream().filter(s -> s.path("Effect").asText().equals("Allow")).toList();
    assertThat(allows).hasSize(1);
    JsonNode read = allows.get(0);
    assertThat(read.path("Principal")).isEqualTo(json(Map.of("Service", "cloudfront.amazonaws.com")));
    assertThat(texts(read.path("Action"))).containsExactly("s3:GetObject");
    assertThat(read.path("Condition").path("StringEquals").path("AWS:SourceArn").path("Fn::Sub").path(1)
        .path("Distribution")).isEqualTo(ref("ProcessedDataDistribution"));
    assertThat(defaults.props("ProcessedDataBucketPolicy").path("Bucket")).isEqualTo(ref("ProcessedDataBucket"));
    assertThat(read.path("Resource").path(0).path("Fn::Sub").path(1).path("BucketArn"))
        .isEqualTo(getAtt("ProcessedDataBucket", "Arn"));
  }
}
