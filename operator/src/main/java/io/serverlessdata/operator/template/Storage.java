package io.serverlessdata.operator.template;

import static io.serverlessdata.operator.template.cfn.ResourceTypes.DYNAMODB_TABLE;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.S3_BUCKET;
import static io.serverlessdata.operator.template.cfn.ResourceTypes.S3_BUCKET_POLICY;

import io.serverlessdata.operator.template.cfn.Fn;
import io.serverlessdata.operator.template.cfn.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the data lives: the DynamoDB table the function reads and the Object Lock bucket it writes,
 * both kept when the stack goes unless the spec asks otherwise.
 *
 * <p>{@code dataRetention: Retain} renders {@code DeletionPolicy: RetainExceptOnCreate}: the data outlives a
 * stack deletion, but a first create that rolls back deletes the table and bucket it made, so a retry does not
 * collide with their names. {@code UpdateReplacePolicy} stays {@code Retain}: a replacement keeps the old data.
 */
final class Storage {

  static final String TABLE_ID = "ProcessingTable";
  static final String BUCKET_ID = "ProcessedDataBucket";

  /** The table's name: the prefix's, so that a re-created stack finds the table its predecessor retained. */
  static String tableName(String prefix) {
    return prefix + "-processing-table";
  }

  /** The bucket's name: bucket names are global, so it carries the account's id too. */
  static String bucketName(String prefix, String accountId) {
    return prefix + "-processed-data-" + accountId;
  }

  final Resource table;
  final Resource bucket;
  private final List<Resource> resources = new ArrayList<>();

  /**
   * @param tableName the table's physical name, static in the template (CloudFormation's auto-import of a retained
   *     table needs it so)
   * @param bucketName the bucket's, likewise
   */
  Storage(StackParameters p, StackSettings settings, Object tableName, Object bucketName) {
    boolean retain = settings.dataRetention() == DataRetention.Retain;
    Resource.DeletionPolicy onDelete = retain ? Resource.DeletionPolicy.RetainExceptOnCreate : Resource.DeletionPolicy.Delete;
    Resource.UpdateReplacePolicy onReplace = retain ? Resource.UpdateReplacePolicy.Retain : Resource.UpdateReplacePolicy.Delete;

    table = new Resource(TABLE_ID, DYNAMODB_TABLE)
        .set("TableName", tableName)
        .set("AttributeDefinitions", List.of(Map.of("AttributeName", "id", "AttributeType", "S")))
        .set("KeySchema", List.of(Map.of("AttributeName", "id", "KeyType", "HASH")))
        .set("BillingMode", "PROVISIONED")
        .set("ProvisionedThroughput", Map.of(
            "ReadCapacityUnits", p.readCapacity.ref(),
            "WriteCapacityUnits", p.writeCapacity.ref()))
        // SSE with the AWS-managed key (aws/dynamodb)
        .set("SSESpecification", Map.of("SSEEnabled", true))
        .set("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))
        .policies(onDelete, onReplace);

    bucket = new Resource(BUCKET_ID, S3_BUCKET)
        .set("BucketName", bucketName)
        // Object Lock can only be switched on when the bucket is created; it needs versioning.
        .set("ObjectLockEnabled", true)
        .set("ObjectLockConfiguration", settings.objectLock().map(lock -> Map.of(
            "ObjectLockEnabled", "Enabled",
            "Rule", Map.of("DefaultRetention", Map.of(
                "Mode", p.objectLockMode.ref(),
                "Days", p.objectLockDays.ref())))))
        .set("VersioningConfiguration", Map.of("Status", "Enabled"))
        // SSE-S3: CloudFront's origin access control cannot read objects under the AWS-managed aws/s3 KMS key.
        .set("BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
            "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))))
        .set("PublicAccessBlockConfiguration", Map.of(
            "BlockPublicAcls", true,
            "BlockPublicPolicy", true,
            "IgnorePublicAcls", true,
            "RestrictPublicBuckets", true))
        .set("OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))))
        .policies(onDelete, onReplace);

    resources.add(table);
    resources.add(bucket);
  }

  Object bucketArn() {
    return bucket.getAtt("Arn");
  }

  Object objectsArn(String keyPrefix) {
    return Fn.sub("${BucketArn}/" + keyPrefix + "*", "BucketArn", bucket.getAtt("Arn"));
  }

  /**
   * The bucket's policy: TLS only, plus the given grants (the CDN's read access). A bucket has one policy,
   * so the part that serves the bucket hands its statements here.
   */
  Resource bucketPolicy(List<Map<String, Object>> grants) {
    List<Map<String, Object>> statements = new ArrayList<>();
    statements.add(Iam.denyInsecureTransport(List.of("s3:*"), List.of(bucketArn(), objectsArn(""))));
    statements.addAll(grants);
    Resource policy = new Resource("ProcessedDataBucketPolicy", S3_BUCKET_POLICY)
        .set("Bucket", bucket.ref())
        .set("PolicyDocument", Iam.document(statements));
    resources.add(policy);
    return policy;
  }

  List<Resource> resources() {
    return List.copyOf(resources);
  }
}
