package io.serverlessdata.operator.template;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the template and its parameters are made from: a validated spec with every default filled in.
 *
 * @param resourcePrefix prefix of every physical name
 * @param readCapacity the table's provisioned read capacity units
 * @param writeCapacity the table's provisioned write capacity units
 * @param alertEmail subscribed to the alert topic
 * @param environment value of the {@code Environment} tag
 * @param lambda the function's settings
 * @param api the REST API's settings
 * @param logRetentionDays retention of the function's and the API's log groups
 * @param dataRetention what becomes of the table and bucket when the stack goes
 * @param objectLock the bucket's default Object Lock retention, if any
 * @param topicEncryption the alert topic's key
 * @param stackTags tags of the stack itself (CloudFormation passes them on to the resources)
 */
public record StackSettings(
    String resourcePrefix,
    int readCapacity,
    int writeCapacity,
    String alertEmail,
    String environment,
    Lambda lambda,
    Api api,
    int logRetentionDays,
    DataRetention dataRetention,
    Optional<ObjectLock> objectLock,
    TopicEncryption topicEncryption,
    Map<String, String> stackTags) {

  public static final String ENVIRONMENT_TAG = "Environment";

  public StackSettings {
    Objects.requireNonNull(resourcePrefix, "resourcePrefix");
    Objects.requireNonNull(alertEmail, "alertEmail");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(lambda, "lambda");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(dataRetention, "dataRetention");
    Objects.requireNonNull(objectLock, "objectLock");
    Objects.requireNonNull(topicEncryption, "topicEncryption");
    stackTags = java.util.Collections.unmodifiableMap(new TreeMap<>(stackTags));
  }

  /**
   * The function's settings.
   *
   * @param runtime the Node.js runtime
   * @param memorySize MiB
   * @param timeoutSeconds seconds
   * @param tracing whether X-Ray active tracing is on
   */
  public record Lambda(LambdaRuntime runtime, int memorySize, int timeoutSeconds, boolean tracing) {
    public Lambda {
      Objects.requireNonNull(runtime, "runtime");
    }
  }

  /**
   * The REST API's settings.
   *
   * @param dailyQuota requests a day for the API key
   * @param rateLimit steady requests per second, for each key (usage plan) and for the whole stage
   * @param burstLimit burst requests, for each key (usage plan) and for the whole stage
   * @param corsAllowOrigins browser origins allowed to call the API; empty means no CORS
   * @param loggingLevel the stage's execution logging for all methods
   */
  public record Api(int dailyQuota, int rateLimit, int burstLimit, List<String> corsAllowOrigins,
      ApiLoggingLevel loggingLevel) {
    public Api {
      corsAllowOrigins = List.copyOf(corsAllowOrigins);
      Objects.requireNonNull(loggingLevel, "loggingLevel");
    }
  }

  /**
   * Default retention for new object versions in the bucket.
   *
   * @param mode governance or compliance
   * @param days how long
   */
  public record ObjectLock(ObjectLockMode mode, int days) {
    public ObjectLock {
      Objects.requireNonNull(mode, "mode");
    }
  }
}
