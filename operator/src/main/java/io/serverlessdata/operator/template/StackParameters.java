package io.serverlessdata.operator.template;

import io.serverlessdata.operator.template.cfn.Parameter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stack's parameters and the values a spec gives them. Scalar values are parameters, so one template
 * serves every resource with the same shape; optional parts change the template itself.
 */
final class StackParameters {

  final Parameter prefix = Parameter.string("ResourcePrefix", "Prefix of every physical resource name")
      .with("AllowedPattern", Limits.RESOURCE_PREFIX_PATTERN)
      .with("ConstraintDescription", "3-32 lowercase letters, digits and '-', starting with a letter");
  final Parameter readCapacity = Parameter.number("DynamoDbReadCapacity", "DynamoDB read capacity units")
      .with("MinValue", Limits.MIN_CAPACITY);
  final Parameter writeCapacity = Parameter.number("DynamoDbWriteCapacity", "DynamoDB write capacity units")
      .with("MinValue", Limits.MIN_CAPACITY);
  final Parameter alertEmail = Parameter.string("AlertEmail", "E-mail address subscribed to the alert topic")
      .with("AllowedPattern", Limits.EMAIL_PATTERN);
  final Parameter environment = Parameter.string("Environment", "Value of the Environment tag")
      .with("MinLength", 1).with("MaxLength", 256);
  final Parameter runtime = Parameter.string("LambdaRuntime", "Node.js runtime of the function")
      .with("AllowedValues", Arrays.stream(LambdaRuntime.values()).map(LambdaRuntime::id).toList());
  final Parameter memorySize = Parameter.number("LambdaMemorySize", "Memory of the function in MiB")
      .with("MinValue", Limits.MIN_MEMORY_MB).with("MaxValue", Limits.MAX_MEMORY_MB);
  final Parameter timeout = Parameter.number("LambdaTimeout", "Timeout of the function in seconds")
      .with("MinValue", 1).with("MaxValue", Limits.MAX_TIMEOUT_SECONDS);
  final Parameter dailyQuota = Parameter.number("ApiDailyQuota", "Requests a day allowed for the API key")
      .with("MinValue", 1);
  final Parameter rateLimit = Parameter.number("ApiRateLimit", "Steady-state requests per second")
      .with("MinValue", 1);
  final Parameter burstLimit = Parameter.number("ApiBurstLimit", "Burst requests").with("MinValue", 1);
  final Parameter loggingLevel = Parameter.string("ApiLoggingLevel", "Execution logging of the API stage")
      .with("AllowedValues", Arrays.stream(ApiLoggingLevel.values()).map(Enum::name).toList());
  final Parameter logRetention = Parameter.number("LogRetentionDays", "Retention of the log groups in days")
      .with("AllowedValues", Limits.LOG_RETENTION_DAYS.stream().map(String::valueOf).toList());
  final Parameter objectLockMode = Parameter.string("ObjectLockMode", "Default Object Lock retention mode")
      .with("AllowedValues", Arrays.stream(ObjectLockMode.values()).map(Enum::name).toList());
  final Parameter objectLockDays = Parameter.number("ObjectLockRetentionDays", "Default Object Lock retention in days")
      .with("MinValue", 1).with("MaxValue", Limits.MAX_OBJECT_LOCK_DAYS);
  final Parameter corsAllowOrigins = Parameter.string("CorsAllowOrigins",
      "Comma-separated origins allowed to call the API from a browser");

  private final Map<Parameter, String> values = new LinkedHashMap<>();

  StackParameters(StackSettings settings) {
    values.put(prefix, settings.resourcePrefix());
    values.put(readCapacity, String.valueOf(settings.readCapacity()));
    values.put(writeCapacity, String.valueOf(settings.writeCapacity()));
    values.put(alertEmail, settings.alertEmail());
    values.put(environment, settings.environment());
    values.put(runtime, settings.lambda().runtime().id());
    values.put(memorySize, String.valueOf(settings.lambda().memorySize()));
    values.put(timeout, String.valueOf(settings.lambda().timeoutSeconds()));
    values.put(dailyQuota, String.valueOf(settings.api().dailyQuota()));
    values.put(rateLimit, String.valueOf(settings.api().rateLimit()));
    values.put(burstLimit, String.valueOf(settings.api().burstLimit()));
    values.put(loggingLevel, settings.api().loggingLevel().name());
    values.put(logRetention, String.valueOf(settings.logRetentionDays()));
    settings.objectLock().ifPresent(lock -> {
      values.put(objectLockMode, lock.mode().name());
      values.put(objectLockDays, String.valueOf(lock.days()));
    });
    if (!settings.api().corsAllowOrigins().isEmpty()) {
      values.put(corsAllowOrigins, String.join(",", settings.api().corsAllowOrigins()));
    }
  }

  /** The parameters this stack declares: those the settings give a value. */
  List<Parameter> declared() {
    return List.copyOf(values.keySet());
  }

  /** Parameter name to value. */
  Map<String, String> values() {
    Map<String, String> byName = new LinkedHashMap<>();
    values.forEach((parameter, value) -> byName.put(parameter.logicalId(), value));
    return byName;
  }
}
