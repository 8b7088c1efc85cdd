package io.serverlessdata.operator.cloudformation;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@link AccountData} on the AWS SDK v2 STS, DynamoDB and S3 clients, configured like the CloudFormation client
 * (region, credentials, retries, timeouts, the call budget, metrics); errors translated by {@link AwsErrors}.
 */
public final class AwsAccountData implements AccountData, AutoCloseable {

  private final StsClient sts;
  private final DynamoDbClient dynamoDb;
  private final S3Client s3;
  private volatile String accountId;

  AwsAccountData(StsClient sts, DynamoDbClient dynamoDb, S3Client s3) {
    this.sts = sts;
    this.dynamoDb = dynamoDb;
    this.s3 = s3;
  }

  /**
   * Clients for each service at its endpoint (AWS's own unless overridden), every call reported to the listener of
   * its service ({@code sts}, {@code dynamodb}, {@code s3}).
   */
  public static AwsAccountData create(ClientSettings settings, Optional<URI> stsEndpoint, Optional<URI> dynamoDbEndpoint,
      Optional<URI> s3Endpoint, Function<String, ApiCallListener> listeners) {
    StsClient sts = CloudFormationClientFactory.configure(StsClient.builder(), settings.withEndpoint(stsEndpoint),
        metered(listeners, "sts")).build();
    DynamoDbClient dynamoDb = CloudFormationClientFactory.configure(DynamoDbClient.builder(),
        settings.withEndpoint(dynamoDbEndpoint), metered(listeners, "dynamodb")).build();
    // an overridden endpoint (a VPC endpoint, the simulator) is addressed path-style: GET /{bucket}?tagging
    S3Client s3 = CloudFormationClientFactory.configure(S3Client.builder(), settings.withEndpoint(s3Endpoint),
            metered(listeners, "s3"))
        .forcePathStyle(s3Endpoint.isPresent())
        .build();
    return new AwsAccountData(sts, dynamoDb, s3);
  }

  @Override
  public String accountId() {
    String known = accountId;
    if (known == null) {
      // the first reconciles all ask at once: one of them reads it, the others wait for that answer
      synchronized (this) {
        known = accountId;
        if (known == null) {
          known = call("GetCallerIdentity", () -> sts.getCallerIdentity().account());
          accountId = known;
        }
      }
    }
    return known;
  }

  @Override
  public Optional<Map<String, String>> tableTags(String tableName) {
    String arn = "arn:aws:dynamodb:" + CloudFormationClientFactory.REGION.id() + ":" + accountId() + ":table/"
        + tableName;
    try {
      Map<String, String> tags = new TreeMap<>();
      call("ListTagsOfResource", () -> dynamoDb.listTagsOfResource(r -> r.resourceArn(arn)))
          .tags().forEach(tag -> tags.put(tag.key(), tag.value()));
      return Optional.of(tags);
    } catch (RejectedStackOperationException e) {
      if (e.getCause() instanceof ResourceNotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<Map<String, String>> bucketTags(String bucketName) {
    try {
      Map<String, String> tags = new TreeMap<>();
      s3.getBucketTagging(r -> r.bucket(bucketName)).tagSet().forEach(tag -> tags.put(tag.key(), tag.value()));
      return Optional.of(tags);
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      if ("NoSuchTagSet".equals(code)) {
        return Optional.of(Map.of());
      }
      if ("NoSuchBucket".equals(code)) {
        return Optional.empty();
      }
      throw AwsErrors.translate("GetBucketTagging", e);
    } catch (SdkException e) {
      throw AwsErrors.translate("GetBucketTagging", e);
    }
  }

  @Override
  public void close() {
    sts.close();
    dynamoDb.close();
    s3.close();
  }

  private static List<ExecutionInterceptor> metered(Function<String, ApiCallListener> listeners, String service) {
    return List.of(new AwsApiCallInterceptor(listeners.apply(service)));
  }

  private static <T> T call(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw AwsErrors.translate(operation, e);
    }
  }
}
