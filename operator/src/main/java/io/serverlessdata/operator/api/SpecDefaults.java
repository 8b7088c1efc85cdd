package io.serverlessdata.operator.api;

import io.serverlessdata.operator.template.ApiLoggingLevel;
import io.serverlessdata.operator.template.DataRetention;
import io.serverlessdata.operator.template.LambdaRuntime;
import io.serverlessdata.operator.template.TopicEncryption;

/**
 * Defaults and formats of the spec that the template's {@link io.serverlessdata.operator.template.Limits} do not hold.
 *
 * <p>Each default is written once, here. The CRD's {@code default:}s ({@code @Default} on the spec) are these
 * constants too: annotation values must be compile-time constants, so a number or a boolean goes in as
 * {@code "" + CONSTANT}, and an enum default is the constant's JSON value ({@code *_VALUE}), from which the typed
 * default below is parsed. {@code CrdDefaultsTest} checks that every {@code default:} in the generated CRD is
 * what {@link SpecResolver} applies when the field is absent.
 */
public final class SpecDefaults {

  public static final int CAPACITY = 5;
  public static final String ENVIRONMENT = "Production";
  public static final String RUNTIME_VALUE = "nodejs24.x";
  public static final LambdaRuntime RUNTIME = LambdaRuntime.fromId(RUNTIME_VALUE).orElseThrow();
  public static final int MEMORY_MB = 256;
  public static final int TIMEOUT_SECONDS = 10;
  public static final boolean TRACING = false;
  public static final int DAILY_QUOTA = 1000;
  public static final int RATE_LIMIT = 10;
  public static final int BURST_LIMIT = 20;
  /** The stage's execution logging level. */
  public static final String API_LOGGING_LEVEL_VALUE = "ERROR";
  public static final ApiLoggingLevel API_LOGGING_LEVEL = ApiLoggingLevel.valueOf(API_LOGGING_LEVEL_VALUE);
  public static final int LOG_RETENTION_DAYS = 30;
  public static final String DATA_RETENTION_VALUE = "Retain";
  public static final DataRetention DATA_RETENTION = DataRetention.valueOf(DATA_RETENTION_VALUE);
  public static final String TOPIC_ENCRYPTION_VALUE = "AwsManaged";
  public static final TopicEncryption TOPIC_ENCRYPTION = TopicEncryption.valueOf(TOPIC_ENCRYPTION_VALUE);
  public static final int DRIFT_INTERVAL_MINUTES = 60;
  public static final int MIN_DRIFT_INTERVAL_MINUTES = 5;
  public static final String CHANGE_APPROVAL_VALUE = "Automatic";
  public static final ChangeApproval CHANGE_APPROVAL = ChangeApproval.valueOf(CHANGE_APPROVAL_VALUE);
  public static final String DRIFT_REMEDIATION_VALUE = "None";
  public static final DriftRemediation DRIFT_REMEDIATION = DriftRemediation.valueOf(DRIFT_REMEDIATION_VALUE);
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
