package io.serverlessdata.operator.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.serverlessdata.operator.template.ApiLoggingLevel;
import io.serverlessdata.operator.template.DataRetention;
import io.serverlessdata.operator.template.LambdaRuntime;
import io.serverlessdata.operator.template.Limits;
import io.serverlessdata.operator.template.ObjectLockMode;
import io.serverlessdata.operator.template.TopicEncryption;
import java.util.List;
import java.util.Map;

/**
 * What the user asks for. Names follow the seed's CloudFormation parameters (docs/architecture.md); every field but
 * {@code resourcePrefix} and {@code alertEmail} has a default (see {@link SpecDefaults}). Every record collects the
 * fields it does not know in {@code unknownFields}, which {@link SpecResolver} reports as violations.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Rules on fields sit here: fabric8 reads a record component's annotation twice (field and accessor).
@ValidationRule(value = "self.resourcePrefix == oldSelf.resourcePrefix", message = "resourcePrefix is immutable")
@ValidationRule(
    value = "has(oldSelf.stackName) == has(self.stackName) && (!has(self.stackName) || self.stackName == oldSelf.stackName)",
    message = "stackName is immutable: it cannot be added, changed or removed after creation")
@ValidationRule(value = "!self.resourcePrefix.startsWith('xn--') && !self.resourcePrefix.startsWith('sthree-')",
    message = "resourcePrefix must not start with 'xn--' or 'sthree-' (reserved in S3 bucket names)")
@ValidationRule(value = "!has(self.logRetentionDays) || self.logRetentionDays in [1, 3, 5, 7, 14, 30, 60, 90, 120, 150,"
    + " 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    message = "logRetentionDays must be one of the retentions CloudWatch Logs accepts")
@JsonIgnoreProperties(HasUnknownFields.COMPONENT)
public record ServerlessDataStackSpec(
    @Required
    @Pattern(Limits.RESOURCE_PREFIX_PATTERN)
    @JsonPropertyDescription("Prefix of every physical resource name: 3-32 lowercase letters, digits and '-',"
        + " starting with a letter and ending with a letter or digit. Immutable.")
    String resourcePrefix,

    @Min(Limits.MIN_CAPACITY)
    @Default("" + SpecDefaults.CAPACITY)
    @JsonPropertyDescription("Provisioned read capacity units of the DynamoDB table (minimum 5).")
    Integer dynamoDbReadCapacity,

    @Min(Limits.MIN_CAPACITY)
    @Default("" + SpecDefaults.CAPACITY)
    @JsonPropertyDescription("Provisioned write capacity units of the DynamoDB table (minimum 5).")
    Integer dynamoDbWriteCapacity,

    @Required
    @Pattern(Limits.EMAIL_PATTERN)
    @JsonPropertyDescription("E-mail address subscribed to the alert topic (AWS sends a confirmation mail first).")
    String alertEmail,

    @Pattern(Limits.ENVIRONMENT_PATTERN)
    @Default(SpecDefaults.ENVIRONMENT)
    @JsonPropertyDescription("Value of the Environment tag on the stack and every taggable resource.")
    String environment,

    @JsonPropertyDescription("Extra tags for the stack, which CloudFormation passes on to its resources."
        + " Keys must not start with 'aws:' or 'serverlessdata.io/', and must not be 'Environment'.")
    Map<String, String> tags,

    @Pattern(Limits.STACK_NAME_PATTERN)
    @JsonPropertyDescription("Name of the CloudFormation stack; defaults to <namespace>-<name>. Immutable.")
    String stackName,

    @JsonPropertyDescription("The processor function.")
    LambdaSpec lambda,

    @JsonPropertyDescription("The REST API.")
    ApiSpec api,

    @Min(1)
    @Max(3653)
    @Default("" + SpecDefaults.LOG_RETENTION_DAYS)
    @JsonPropertyDescription("Retention in days of the function's and the API's log groups; one of 1, 3, 5, 7, 14,"
        + " 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.")
    Integer logRetentionDays,

    @Default(SpecDefaults.DATA_RETENTION_VALUE)
    @JsonPropertyDescription("Retain keeps the table and the bucket when the stack is deleted or they are"
        + " replaced; Delete removes them with it.")
    DataRetention dataRetention,

    @JsonPropertyDescription("Default Object Lock retention for new objects in the bucket; none when absent.")
    ObjectLockSpec objectLock,

    @JsonPropertyDescription("Scheduled drift detection.")
    DriftDetectionSpec driftDetection,

    @JsonPropertyDescription("The alert topic.")
    AlertsSpec alerts,

    @JsonPropertyDescription("Copies of the stack's outputs for applications in the cluster.")
    ExportSpec exportTo,

    @JsonPropertyDescription("How the operator calls CloudFormation.")
    CloudFormationSpec cloudFormation,

    @Default(SpecDefaults.CHANGE_APPROVAL_VALUE)
    @JsonPropertyDescription("Automatic: every change to the stack runs once planned. Manual: each planned change"
        + " set waits in status.pendingChangeSet until the annotation serverlessdata.io/approve names it (the first"
        + " creation and drift reverts too).")
    ChangeApproval changeApproval,

    // see HasUnknownFields for the annotations
    @JsonIgnore @JsonAnySetter @JsonAnyGetter
    Map<String, Object> unknownFields) implements HasUnknownFields {

  public ServerlessDataStackSpec {
    unknownFields = HasUnknownFields.copyOf(unknownFields);
  }

  /** Without unknown fields. */
  public ServerlessDataStackSpec(String resourcePrefix, Integer dynamoDbReadCapacity, Integer dynamoDbWriteCapacity,
      String alertEmail, String environment, Map<String, String> tags, String stackName, LambdaSpec lambda, ApiSpec api,
      Integer logRetentionDays, DataRetention dataRetention, ObjectLockSpec objectLock,
      DriftDetectionSpec driftDetection, AlertsSpec alerts, ExportSpec exportTo, CloudFormationSpec cloudFormation) {
    this(resourcePrefix, dynamoDbReadCapacity, dynamoDbWriteCapacity, alertEmail, environment, tags, stackName, lambda,
        api, logRetentionDays, dataRetention, objectLock, driftDetection, alerts, exportTo, cloudFormation, null,
        Map.of());
  }

  /** The same spec with another change approval. */
  public ServerlessDataStackSpec withChangeApproval(ChangeApproval approval) {
    return new ServerlessDataStackSpec(resourcePrefix, dynamoDbReadCapacity, dynamoDbWriteCapacity, alertEmail,
        environment, tags, stackName, lambda, api, logRetentionDays, dataRetention, objectLock, driftDetection, alerts,
        exportTo, cloudFormation, approval, unknownFields);
  }

  /** The processor function. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(HasUnknownFields.COMPONENT)
  public record LambdaSpec(
      @Default(SpecDefaults.RUNTIME_VALUE)
      @JsonPropertyDescription("Node.js runtime. nodejs20.x is deprecated on Lambda (see the ACK.Advisory condition).")
      LambdaRuntime runtime,

      @Min(Limits.MIN_MEMORY_MB)
      @Max(Limits.MAX_MEMORY_MB)
      @Default("" + SpecDefaults.MEMORY_MB)
      @JsonPropertyDescription("Memory in MiB (128-10240).")
      Integer memorySize,

      @Min(1)
      @Max(Limits.MAX_TIMEOUT_SECONDS)
      @Default("" + SpecDefaults.TIMEOUT_SECONDS)
      @JsonPropertyDescription("Timeout in seconds (1-900); API Gateway itself waits at most 29 seconds.")
      Integer timeoutSeconds,

      @Default("" + SpecDefaults.TRACING)
      @JsonPropertyDescription("X-Ray active tracing for the function and the API stage.")
      Boolean tracing,

      @JsonIgnore @JsonAnySetter @JsonAnyGetter
      Map<String, Object> unknownFields) implements HasUnknownFields {

    public LambdaSpec {
      unknownFields = HasUnknownFields.copyOf(unknownFields);
    }

    /** Without unknown fields. */
    public LambdaSpec(LambdaRuntime runtime, Integer memorySize, Integer timeoutSeconds, Boolean tracing) {
      this(runtime, memorySize, timeoutSeconds, tracing, Map.of());
    }
  }

  /** The REST API. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(HasUnknownFields.COMPONENT)
  public record ApiSpec(
      @Min(1)
      @Default("" + SpecDefaults.DAILY_QUOTA)
      @JsonPropertyDescription("Requests a day allowed for the API key (usage plan quota).")
      Integer dailyQuota,

      @Min(1)
      @Default("" + SpecDefaults.RATE_LIMIT)
      @JsonPropertyDescription("Steady-state requests per second, for the API key (usage plan) and the whole stage.")
      Integer rateLimit,

      @Min(1)
      @Default("" + SpecDefaults.BURST_LIMIT)
      @JsonPropertyDescription("Burst of requests, for the API key (usage plan) and the whole stage.")
      Integer burstLimit,

      @Size(max = 20)
      @JsonPropertyDescription("Browser origins (https://host[:port]) allowed to call the API, or a single '*'."
          + " None by default: no CORS.")
      List<@Pattern(SpecDefaults.ORIGIN_PATTERN) String> corsAllowOrigins,

      @Default(SpecDefaults.API_LOGGING_LEVEL_VALUE)
      @JsonPropertyDescription("Execution logging of the stage for all methods: ERROR logs failed requests, INFO"
          + " every request. Request and response bodies are never logged.")
      ApiLoggingLevel loggingLevel,

      @JsonIgnore @JsonAnySetter @JsonAnyGetter
      Map<String, Object> unknownFields) implements HasUnknownFields {

    public ApiSpec {
      unknownFields = HasUnknownFields.copyOf(unknownFields);
    }

    /** Without unknown fields. */
    public ApiSpec(Integer dailyQuota, Integer rateLimit, Integer burstLimit, List<String> corsAllowOrigins,
        ApiLoggingLevel loggingLevel) {
      this(dailyQuota, rateLimit, burstLimit, corsAllowOrigins, loggingLevel, Map.of());
    }
  }

  /** Default retention for new object versions. */
  @JsonIgnoreProperties(HasUnknownFields.COMPONENT)
  public record ObjectLockSpec(
      @Required
      @JsonPropertyDescription("GOVERNANCE (privileged users may override) or COMPLIANCE (nobody may).")
      ObjectLockMode mode,

      @Required
      @Min(1)
      @Max(Limits.MAX_OBJECT_LOCK_DAYS)
      @JsonPropertyDescription("Days each new object version is locked.")
      Integer days,

      @JsonIgnore @JsonAnySetter @JsonAnyGetter
      Map<String, Object> unknownFields) implements HasUnknownFields {

    public ObjectLockSpec {
      unknownFields = HasUnknownFields.copyOf(unknownFields);
    }

    /** Without unknown fields. */
    public ObjectLockSpec(ObjectLockMode mode, Integer days) {
      this(mode, days, Map.of());
    }
  }

  /** Scheduled drift detection. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(HasUnknownFields.COMPONENT)
  public record DriftDetectionSpec(
      @Min(SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES)
      @Default("" + SpecDefaults.DRIFT_INTERVAL_MINUTES)
      @JsonPropertyDescription("Minutes between drift checks of a synced stack (minimum 5).")
      Integer intervalMinutes,

      @Default(SpecDefaults.DRIFT_REMEDIATION_VALUE)
      @JsonPropertyDescription("None only reports drift; Revert also puts drifted resources back to the template.")
      DriftRemediation remediation,

      @JsonIgnore @JsonAnySetter @JsonAnyGetter
      Map<String, Object> unknownFields) implements HasUnknownFields {

    public DriftDetectionSpec {
      unknownFields = HasUnknownFields.copyOf(unknownFields);
    }

    /** Without unknown fields. */
    public DriftDetectionSpec(Integer intervalMinutes, DriftRemediation remediation) {
      this(intervalMinutes, remediation, Map.of());
    }
  }

  /** The alert topic. */
  @JsonIgnoreProperties(HasUnknownFields.COMPONENT)
  public record AlertsSpec(
      @Default(SpecDefaults.TOPIC_ENCRYPTION_VALUE)
      @JsonPropertyDescription("AwsManaged encrypts with alias/aws/sns, to which CloudWatch alarms cannot publish,"
          + " so the error alarm has no action; CustomerManaged renders a KMS key and wires the alarm to the topic.")
      TopicEncryption topicEncryption,

      @JsonIgnore @JsonAnySetter @JsonAnyGetter
      Map<String, Object> unknownFields) implements HasUnknownFields {

    public AlertsSpec {
      unknownFields = HasUnknownFields.copyOf(unknownFields);
    }

    /** Without unknown fields. */
    public AlertsSpec(TopicEncryption topicEncryption) {
      this(topicEncryption, Map.of());
    }
  }

  /** Where the outputs are copied to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(HasUnknownFields.COMPONENT)
  public record ExportSpec(
      @Pattern(SpecDefaults.OBJECT_NAME_PATTERN)
      @JsonPropertyDescription("ConfigMap (in this namespace) that receives every output.")
      String configMapName,

      @Pattern(SpecDefaults.OBJECT_NAME_PATTERN)
      @JsonPropertyDescription("Secret (in this namespace) that receives the endpoint and the API key's value.")
      String secretName,

      @JsonIgnore @JsonAnySetter @JsonAnyGetter
      Map<String, Object> unknownFields) implements HasUnknownFields {

    public ExportSpec {
      unknownFields = HasUnknownFields.copyOf(unknownFields);
    }

    /** Without unknown fields. */
    public ExportSpec(String configMapName, String secretName) {
      this(configMapName, secretName, Map.of());
    }
  }

  /** How the operator calls CloudFormation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(HasUnknownFields.COMPONENT)
  public record CloudFormationSpec(
      @Pattern(SpecDefaults.ROLE_ARN_PATTERN)
      @JsonPropertyDescription("Service role CloudFormation assumes to change the stack's resources.")
      String roleArn,

      @Default("" + SpecDefaults.TERMINATION_PROTECTION)
      @JsonPropertyDescription("Termination protection of the stack (the operator lifts it when it deletes the stack).")
      Boolean terminationProtection,

      @JsonIgnore @JsonAnySetter @JsonAnyGetter
      Map<String, Object> unknownFields) implements HasUnknownFields {

    public CloudFormationSpec {
      unknownFields = HasUnknownFields.copyOf(unknownFields);
    }

    /** Without unknown fields. */
    public CloudFormationSpec(String roleArn, Boolean terminationProtection) {
      this(roleArn, terminationProtection, Map.of());
    }
  }
}
