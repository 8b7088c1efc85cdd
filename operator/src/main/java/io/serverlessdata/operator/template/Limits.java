package io.serverlessdata.operator.template;

import java.util.List;

/**
 * Bounds shared by the CRD schema, the operator's own validation and the template's parameter constraints,
 * so the three cannot drift apart.
 */
public final class Limits {

  /** 3-32 characters, so the bucket name {@code <prefix>-processed-data-<account>} stays within 63. */
  public static final String RESOURCE_PREFIX_PATTERN = "^[a-z][a-z0-9-]{1,30}[a-z0-9]$";
  public static final int RESOURCE_PREFIX_MAX_LENGTH = 32;
  public static final String EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";
  /** What CloudFormation accepts as a stack name. */
  public static final String STACK_NAME_PATTERN = "^[A-Za-z][A-Za-z0-9-]{0,127}$";
  public static final String ENVIRONMENT_PATTERN = "^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]{1,256}$";
  public static final int MIN_CAPACITY = 5;
  public static final int MIN_MEMORY_MB = 128;
  public static final int MAX_MEMORY_MB = 10240;
  public static final int MAX_TIMEOUT_SECONDS = 900;
  public static final int MAX_OBJECT_LOCK_DAYS = 36500;
  /** CloudFormation's inline {@code TemplateBody} limit. */
  public static final int MAX_TEMPLATE_BYTES = 51_200;
  /** Lambda's inline {@code Code.ZipFile} limit. */
  public static final int MAX_INLINE_CODE_BYTES = 4096;

  /** Retention periods CloudWatch Logs accepts. */
  public static final List<Integer> LOG_RETENTION_DAYS = List.of(
      1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

  private Limits() {}
}
