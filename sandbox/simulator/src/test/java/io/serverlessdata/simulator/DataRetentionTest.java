package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Physical names, deletion policies, retained resources and ImportExistingResources, read through the real
 * CloudFormation, DynamoDB and S3 clients.
 */
class DataRetentionTest {

  private static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders-table";
  private static final String BUCKET = "orders-data-123456789012";

  private final SimulatorFixture fixture = new SimulatorFixture();
  private final CloudFormationSimulator simulator = fixture.simulator;
  private final DynamoDbClient dynamoDb = DynamoDbClient.builder().region(Region.US_EAST_1)
      .endpointOverride(simulator.endpoint()).credentialsProvider(SimulatorFixture.credentials())
      .httpClient(UrlConnectionHttpClient.create()).build();
  private final S3Client s3 = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
      .endpointOverride(simulator.endpoint()).credentialsProvider(SimulatorFixture.credentials())
      .httpClient(UrlConnectionHttpClient.create()).build();

  @AfterEach
  void stop() {
    dynamoDb.close();
    s3.close();
    fixture.close();
  }

  static String template(String deletionPolicy, String tableName) {
    return """
        {"Resources": {
          "Table": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "%1$s", "UpdateReplacePolicy": "Retain",
            "Properties": {"TableName": %2$s, "BillingMode": "PAY_PER_REQUEST",
              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
              "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
          "Bucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "%1$s",
            "Properties": {"BucketName": "orders-data-123456789012", "Tags": [{"Key": "purpose", "Value": "data"}]}},
          "Topic": {"Type": "AWS::SNS::Topic"}}}""".formatted(deletionPolicy, tableName);
  }

  static String template(String deletionPolicy) {
    return template(deletionPolicy, "\"orders-table\"");
  }

  @Test
  void aBucketNameIsTakenAcrossStacksAndTheSecondCreateFailsOnItAndRollsBack() {
    fixture.create("orders", template("Delete"));

    fixture.create("orders-copy", template("Delete"));
    fixture.advance(SimulatorFixture.TIMINGS.rollback());

    assertThat(fixture.describe("orders-copy").stackStatusAsString()).isEqualTo("ROLLBACK_COMPLETE");
    assertThat(failures("orders-copy")).containsExactly("Bucket CREATE_FAILED " + BUCKET + " already exists");
    assertThat(dynamoDb.describeTable(r -> r.tableName("orders-table")).table().tableStatusAsString())
        .as("the first stack's table is untouched").isEqualTo("ACTIVE");
  }

  @Test
  void aTableNameIsTakenInTheAccountAndABucketNameByAnotherAccountToo() {
    simulator.createForeignTable("orders-table", Map.of());
    fixture.create("orders", template("Delete").replace(BUCKET, "orders-other"));
    simulator.createOtherAccountsBucket("orders-elsewhere");
    fixture.create("elsewhere", template("Delete").replace(BUCKET, "orders-elsewhere")
        .replace("\"orders-table\"", "\"elsewhere-table\""));

    assertThat(failures("orders")).containsExactly("Table CREATE_FAILED orders-table already exists");
    assertThat(failures("elsewhere")).containsExactly("Bucket CREATE_FAILED orders-elsewhere already exists");
    assertThatThrownBy(() -> s3.getBucketTagging(r -> r.bucket("orders-elsewhere")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
  }

  @Test
  void retainedResourcesOutliveTheirStackWithTheirNamesAndTheTagsTheStackGaveThem() {
    String id = fixture.create("orders", template("RetainExceptOnCreate"));
    fixture.deleteAndWait("orders", "delete-1");

    assertThat(simulator.retainedResources()).extracting(RetainedResource::type, RetainedResource::physicalId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("AWS::S3::Bucket", BUCKET),
            org.assertj.core.groups.Tuple.tuple("AWS::DynamoDB::Table", "orders-table"));
    Map<String, String> tableTags = dynamoDb.listTagsOfResource(r -> r.resourceArn(TABLE_ARN)).tags().stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    assertThat(tableTags).containsExactlyInAnyOrderEntriesOf(Map.of("team", "data",
        "aws:cloudformation:stack-name", "orders", "aws:cloudformation:stack-id", id,
        "aws:cloudformation:logical-id", "Table"));
    assertThat(s3.getBucketTagging(r -> r.bucket(BUCKET)).tagSet()).extracting(t -> t.key() + "=" + t.value())
        .contains("team=data", "purpose=data", "aws:cloudformation:logical-id=Bucket");
    assertThat(fixture.client.describeStackEvents(r -> r.stackName(id)).stackEvents())
        .filteredOn(e -> "Table".equals(e.logicalResourceId())).first()
        .satisfies(e -> assertThat(e.resourceStatusAsString()).isEqualTo("DELETE_SKIPPED"));
  }

  @Test
  void retainExceptOnCreateDeletesWhatAFailedFirstCreateMadeButRetainKeepsIt() {
    simulator.failResource("orders", "Topic", "Resource handler returned message: \"quota\"");
    fixture.create("orders", template("RetainExceptOnCreate"));
    fixture.advance(SimulatorFixture.TIMINGS.rollback());
    simulator.failResource("kept", "Topic", "Resource handler returned message: \"quota\"");
    fixture.create("kept", template("Retain").replace(BUCKET, "kept-data").replace("\"orders-table\"", "\"kept-table\""));
    fixture.advance(SimulatorFixture.TIMINGS.rollback());

    assertThat(fixture.describe("orders").stackStatusAsString()).isEqualTo("ROLLBACK_COMPLETE");
    assertThat(simulator.retainedResources()).extracting(RetainedResource::physicalId)
        .containsExactly("kept-data", "kept-table");
    assertThatThrownBy(() -> dynamoDb.describeTable(r -> r.tableName("orders-table")))
        .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Requested resource not found: Table: orders-table not found"));
    assertThatThrownBy(() -> s3.getBucketTagging(r -> r.bucket(BUCKET))).isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void aCreateThatFailsBeforeReachingTheTableLeavesItsNameFreeForTheNextTry() {
    simulator.failResource("orders", "Bucket", "Resource handler returned message: \"denied\"");
    fixture.create("orders", template("Retain"));
    fixture.advance(SimulatorFixture.TIMINGS.rollback());
    fixture.client.deleteStack(r -> r.stackName("orders"));
    fixture.advance(SimulatorFixture.TIMINGS.delete());

    fixture.create("orders", template("Retain"));

    assertThat(fixture.describe("orders").stackStatusAsString()).isEqualTo("CREATE_COMPLETE");
    assertThat(simulator.retainedResources()).isEmpty();
  }

  @Test
  void importExistingResourcesPlansAnImportOfTheRetainedTableAndBucketAndTheCreateTakesThemIn() {
    fixture.create("orders", template("RetainExceptOnCreate"));
    fixture.deleteAndWait("orders", "delete-1");

    fixture.client.createChangeSet(r -> r.stackName("orders").changeSetName("create-2")
        .changeSetType(ChangeSetType.CREATE).templateBody(template("RetainExceptOnCreate"))
        .importExistingResources(true));
    fixture.advance(SimulatorFixture.TIMINGS.changeSet());
    DescribeChangeSetResponse planned = fixture.client.describeChangeSet(r -> r.stackName("orders")
        .changeSetName("create-2"));
    fixture.client.executeChangeSet(r -> r.stackName("orders").changeSetName("create-2"));
    fixture.advance(SimulatorFixture.TIMINGS.create());

    assertThat(planned.importExistingResources()).isTrue();
    assertThat(planned.changes()).extracting(Change::resourceChange).extracting(
        c -> c.logicalResourceId() + " " + c.actionAsString() + " " + c.physicalResourceId())
        .containsExactly("Bucket Import " + BUCKET, "Table Import orders-table", "Topic Add null");
    assertThat(fixture.describe("orders").stackStatusAsString()).isEqualTo("CREATE_COMPLETE");
    assertThat(simulator.retainedResources()).isEmpty();
    assertThat(fixture.client.describeStackEvents(r -> r.stackName("orders")).stackEvents())
        .filteredOn(e -> "Table".equals(e.logicalResourceId())).extracting(StackEvent::resourceStatusAsString)
        .containsExactly("IMPORT_COMPLETE", "IMPORT_IN_PROGRESS");
  }

  @Test
  void withoutTheFlagOrWithADynamicNameOrWithoutARetainingPolicyTheCreateCollides() {
    fixture.create("orders", template("Retain"));
    fixture.deleteAndWait("orders", "delete-1");

    assertThat(importPlan("plain", template("Retain"), false)).containsExactly("Add", "Add", "Add");
    assertThat(importPlan("dynamic", template("Retain", "{\"Fn::Sub\": \"orders-table\"}").replace(
        "\"BucketName\": \"" + BUCKET + "\"", "\"BucketName\": {\"Fn::Sub\": \"orders-data-${AWS::AccountId}\"}"), true))
        .containsExactly("Add", "Add", "Add");
    assertThat(importPlan("deleting", template("Delete"), true)).containsExactly("Add", "Add", "Add");

    fixture.client.executeChangeSet(r -> r.stackName("plain").changeSetName("create"));
    fixture.advance(SimulatorFixture.TIMINGS.create());
    assertThat(failures("plain")).containsExactly("Bucket CREATE_FAILED " + BUCKET + " already exists");
    assertThat(simulator.retainedResources()).hasSize(2);
  }

  @Test
  void aReplacementUnderTheSameCustomNameFailsAndOneUnderANewNameRetainsTheOldTable() {
    fixture.create("orders", template("Retain"));
    String keyChanged = template("Retain").replace("\"KeyType\": \"HASH\"}]", "\"KeyType\": \"HASH\"}], \"Tags\": []")
        .replace("{\"AttributeName\": \"id\", \"KeyType\"", "{\"AttributeName\": \"pk\", \"KeyType\"");
    fixture.update("orders", "rekey", keyChanged, "rekey-1");
    fixture.advance(SimulatorFixture.TIMINGS.rollback());

    assertThat(failures("orders")).first().isEqualTo("Table UPDATE_FAILED CloudFormation cannot update a stack when a"
        + " custom-named resource requires replacing. Rename orders-table and update the stack again.");

    fixture.update("orders", "rename", template("Retain", "\"orders-table-v2\""), "rename-1");

    assertThat(fixture.describe("orders").stackStatusAsString()).isEqualTo("UPDATE_COMPLETE");
    assertThat(simulator.retainedResources()).extracting(RetainedResource::physicalId).containsExactly("orders-table");
  }

  @Test
  void theTagReadsAnswerAsDynamoDbAndS3DoAndAreCounted() {
    simulator.createForeignBucket("bare", Map.of());
    simulator.createForeignTable("foreign-table", Map.of("owner", "someone"));

    TableDescription table = dynamoDb.describeTable(r -> r.tableName("foreign-table")).table();

    assertThat(table.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:123456789012:table/foreign-table");
    assertThat(dynamoDb.listTagsOfResource(r -> r.resourceArn(table.tableArn())).tags())
        .singleElement().satisfies(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("owner=someone"));
    assertThatThrownBy(() -> dynamoDb.listTagsOfResource(r -> r.resourceArn(TABLE_ARN)))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> s3.getBucketTagging(r -> r.bucket("bare"))).isInstanceOfSatisfying(S3Exception.class,
        e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchTagSet");
        });
    assertThatThrownBy(() -> s3.getBucketTagging(r -> r.bucket("missing"))).isInstanceOf(NoSuchBucketException.class);
    assertThat(simulator.calls("DescribeTable")).isEqualTo(1);
    assertThat(simulator.calls("ListTagsOfResource")).isEqualTo(2);
    assertThat(simulator.calls("GetBucketTagging")).isEqualTo(2);

    simulator.deleteRetained("AWS::S3::Bucket", "bare");
    assertThat(simulator.retainedResources()).extracting(RetainedResource::physicalId).containsExactly("foreign-table");
  }

  private List<String> importPlan(String stack, String template, boolean importExisting) {
    fixture.client.createChangeSet(r -> r.stackName(stack).changeSetName("create").changeSetType(ChangeSetType.CREATE)
        .templateBody(template).importExistingResources(importExisting));
    fixture.advance(SimulatorFixture.TIMINGS.changeSet());
    return fixture.client.describeChangeSet(r -> r.stackName(stack).changeSetName("create")).changes().stream()
        .map(c -> c.resourceChange().actionAsString()).toList();
  }

  private List<String> failures(String stack) {
    return fixture.client.describeStackEvents(r -> r.stackName(stack)).stackEvents().stream()
        .filter(e -> e.resourceStatusAsString().endsWith("_FAILED"))
        .map(e -> e.logicalResourceId() + " " + e.resourceStatusAsString() + " " + e.resourceStatusReason())
        .toList();
  }
}
