package io.serverlessdata.operator.api;

import io.serverlessdata.operator.template.DataRetention;
import io.serverlessdata.operator.template.LambdaRuntime;
import io.serverlessdata.operator.template.TopicEncryption;

/** Defaults and formats of the spec that the template's {@link io.serverlessdata.operator.template.Limits} do not hold. */
public final class SpecDefaults {

  public static final int CAPACITY = 5;
  public static final String ENVIRONMENT = "Production";
  public static final LambdaRuntime RUNTIME = LambdaRuntime.DEFAULT;
  public static final int MEMORY_MB = 256;
  public static final int TIMEOUT_SECONDS = 10;
  public static final int DAILY_QUOTA = 1000;
  public static final int RATE_LIMIT = 10;
  public static final int BURST_LIMIT = 20;
  /** The stage's execution logging level (an {@link io.serverlessdata.operator.template.ApiLoggingLevel} name). */
  public static final String API_LOGGING_LEVEL = "ERROR";
  public static final int LOG_RETENTION_DAYS = 30;
  public static final DataRetention DATA_RETENTION = DataRetention.Retain;
  public static final TopicEncryption TOPIC_ENCRYPTION = TopicEncryption.AwsManaged;
  public static final int DRIFT_INTERVAL_MINUTES = 60;
  public static final int MIN_DRIFT_INTERVAL_MINUTES = 5;
  public static final DriftRemediation DRIFT_REMEDIATION = DriftRemediation.None;
  public static final boolean TERMINATION_PROTECTION = true;

  /** {@code https://host[:port]} or {@code http://localhost[:port]}, or {@code *}. */
  public static final String ORIGIN_PATTERN = "^(\\*|https://[A-Za-z0-9.-]+(:[0-9]{1,5})?|http://localhost(:[0-9]{1,5})?)$";
  /** A Kubernetes object name (DNS subdomain). */
  public static final String OBJECT_NAME_PATTERN = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";
  public static final String ROLE_ARN_PATTERN = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$";
  /** CloudFormation takes at most 50 stack tags; the operator sets a few of its own. */
  public static final int MAX_USER_TAGS = 40;

  private SpecDefaults() {}
}
