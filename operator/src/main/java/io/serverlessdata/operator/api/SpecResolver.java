package io.serverlessdata.operator.api;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.AlertsSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ApiSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.CloudFormationSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.DriftDetectionSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ExportSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.LambdaSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ObjectLockSpec;
import io.serverlessdata.operator.template.Limits;
import io.serverlessdata.operator.template.StackSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a resource's spec against every rule of the CRD schema — the operator cannot count on the API
 * server to have done so — and fills in the defaults. All violations are reported at once.
 */
public final class SpecResolver {

  /** Stack tags the operator sets to recognise its own stacks. */
  public static final String OWNER_UID_TAG = "serverlessdata.io/owner-uid";
  public static final String OWNER_NAMESPACE_TAG = "serverlessdata.io/namespace";
  public static final String OWNER_NAME_TAG = "serverlessdata.io/name";

  private static final Pattern PREFIX = Pattern.compile(Limits.RESOURCE_PREFIX_PATTERN);
  private static final Pattern EMAIL = Pattern.compile(Limits.EMAIL_PATTERN);
  private static final Pattern STACK_NAME = Pattern.compile(Limits.STACK_NAME_PATTERN);
  private static final Pattern TAG_TEXT = Pattern.compile(Limits.ENVIRONMENT_PATTERN);
  private static final Pattern ORIGIN = Pattern.compile(SpecDefaults.ORIGIN_PATTERN);
  private static final Pattern OBJECT_NAME = Pattern.compile(SpecDefaults.OBJECT_NAME_PATTERN);
  private static final Pattern ROLE_ARN = Pattern.compile(SpecDefaults.ROLE_ARN_PATTERN);
  private static final List<String> TOP_LEVEL_FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status");

  private SpecResolver() {}

  /**
   * Validates the resource's spec and fills in its defaults.
   *
   * @throws InvalidSpecException listing every violation, each naming its field
   */
  public static ResolvedSpec resolve(ServerlessDataStack resource) throws InvalidSpecException {
    Checks checks = new Checks();
    checks.unknown("", TOP_LEVEL_FIELDS, resource.unknownFields());
    ServerlessDataStackSpec spec = resource.getSpec();
    if (spec == null) {
      checks.add("spec", "is required");
      throw new InvalidSpecException(checks.violations);
    }
    LambdaSpec lambda = orEmpty(spec.lambda(), () -> new LambdaSpec(null, null, null, null));
    ApiSpec api = orEmpty(spec.api(), () -> new ApiSpec(null, null, null, null, null));
    DriftDetectionSpec drift = orEmpty(spec.driftDetection(), () -> new DriftDetectionSpec(null, null));
    AlertsSpec alerts = orEmpty(spec.alerts(), () -> new AlertsSpec(null));
    ExportSpec export = orEmpty(spec.exportTo(), () -> new ExportSpec(null, null));
    CloudFormationSpec cloudFormation = orEmpty(spec.cloudFormation(), () -> new CloudFormationSpec(null, null));
    checks.unknown("spec", spec);

    String prefix = checks.required("spec.resourcePrefix", spec.resourcePrefix());
    if (prefix != null) {
      checks.matches("spec.resourcePrefix", prefix, PREFIX,
          "must be 3-" + Limits.RESOURCE_PREFIX_MAX_LENGTH + " lowercase letters, digits and '-', starting with a"
              + " letter and ending with a letter or digit");
      if (prefix.startsWith("xn--") || prefix.startsWith("sthree-")) {
        checks.add("spec.resourcePrefix", "must not start with 'xn--' or 'sthree-' (reserved in S3 bucket names),"
            + " got \"" + prefix + "\"");
      }
    }
    int read = checks.atLeast("spec.dynamoDbReadCapacity", spec.dynamoDbReadCapacity(), Limits.MIN_CAPACITY,
        SpecDefaults.CAPACITY);
    int write = checks.atLeast("spec.dynamoDbWriteCapacity", spec.dynamoDbWriteCapacity(), Limits.MIN_CAPACITY,
        SpecDefaults.CAPACITY);
    String email = checks.required("spec.alertEmail", spec.alertEmail());
    if (email != null) {
      checks.matches("spec.alertEmail", email, EMAIL, "must be an e-mail address like ops@example.com");
    }
    String environment = Objects.requireNonNullElse(spec.environment(), SpecDefaults.ENVIRONMENT);
    checks.matches("spec.environment", environment, TAG_TEXT,
        "must be 1-256 letters, digits, spaces and _.:/=+-@ (it is a tag value)");
    Map<String, String> userTags = checks.tags(spec.tags());
    String stackName = spec.stackName() != null ? spec.stackName() : defaultStackName(resource.getMetadata());
    checks.matches(spec.stackName() != null ? "spec.stackName" : "metadata (default spec.stackName)", stackName,
        STACK_NAME, "must start with a letter and hold at most 128 letters, digits and '-'");

    int memory = checks.between("spec.lambda.memorySize", lambda.memorySize(), Limits.MIN_MEMORY_MB,
        Limits.MAX_MEMORY_MB, SpecDefaults.MEMORY_MB);
    int timeout = checks.between("spec.lambda.timeoutSeconds", lambda.timeoutSeconds(), 1,
        Limits.MAX_TIMEOUT_SECONDS, SpecDefaults.TIMEOUT_SECONDS);
    int quota = checks.atLeast("spec.api.dailyQuota", api.dailyQuota(), 1, SpecDefaults.DAILY_QUOTA);
    int rate = checks.atLeast("spec.api.rateLimit", api.rateLimit(), 1, SpecDefaults.RATE_LIMIT);
    int burst = checks.atLeast("spec.api.burstLimit", api.burstLimit(), 1, SpecDefaults.BURST_LIMIT);
    List<String> origins = checks.origins(api.corsAllowOrigins());
    int retention = Objects.requireNonNullElse(spec.logRetentionDays(), SpecDefaults.LOG_RETENTION_DAYS);
    if (!Limits.LOG_RETENTION_DAYS.contains(retention)) {
      checks.add("spec.logRetentionDays", "must be one of " + Limits.LOG_RETENTION_DAYS + ", got " + retention);
    }
    Optional<StackSettings.ObjectLock> objectLock = checks.objectLock(spec.objectLock());
    int driftMinutes = checks.atLeast("spec.driftDetection.intervalMinutes", drift.intervalMinutes(),
        SpecDefaults.MIN_DRIFT_INTERVAL_MINUTES, SpecDefaults.DRIFT_INTERVAL_MINUTES);
    checks.optionalMatch("spec.exportTo.configMapName", export.configMapName(), OBJECT_NAME,
        "must be a Kubernetes object name (lowercase letters, digits, '-' and '.')");
    checks.optionalMatch("spec.exportTo.secretName", export.secretName(), OBJECT_NAME,
        "must be a Kubernetes object name (lowercase letters, digits, '-' and '.')");
    checks.optionalMatch("spec.cloudFormation.roleArn", cloudFormation.roleArn(), ROLE_ARN,
        "must be an IAM role ARN like arn:aws:iam::123456789012:role/cfn-service-role");

    if (!checks.violations.isEmpty()) {
      throw new InvalidSpecException(checks.violations);
    }

    Map<String, String> stackTags = new TreeMap<>(userTags);
    stackTags.put(StackSettings.ENVIRONMENT_TAG, environment);
    stackTags.putAll(ownerTags(resource.getMetadata()));
    StackSettings settings = new StackSettings(
        prefix, read, write, email, environment,
        new StackSettings.Lambda(
            Objects.requireNonNullElse(lambda.runtime(), SpecDefaults.RUNTIME), memory, timeout,
            Objects.requireNonNullElse(lambda.tracing(), SpecDefaults.TRACING)),
        new StackSettings.Api(quota, rate, burst, origins,
            Objects.requireNonNullElse(api.loggingLevel(), SpecDefaults.API_LOGGING_LEVEL)),
        retention,
        Objects.requireNonNullElse(spec.dataRetention(), SpecDefaults.DATA_RETENTION),
        objectLock,
        Objects.requireNonNullElse(alerts.topicEncryption(), SpecDefaults.TOPIC_ENCRYPTION),
        stackTags);
    return new ResolvedSpec(
        stackName,
        settings,
        Duration.ofMinutes(driftMinutes),
        Objects.requireNonNullElse(drift.remediation(), SpecDefaults.DRIFT_REMEDIATION),
        Optional.ofNullable(cloudFormation.roleArn()),
        Objects.requireNonNullElse(cloudFormation.terminationProtection(), SpecDefaults.TERMINATION_PROTECTION),
        Optional.ofNullable(export.configMapName()),
        Optional.ofNullable(export.secretName()),
        Objects.requireNonNullElse(spec.changeApproval(), SpecDefaults.CHANGE_APPROVAL));
  }

  /**
   * {@code <namespace>-<name>}, made into a valid stack name: other characters become '-', a leading digit
   * gets an {@code sds-} prefix, and a name over 128 characters is cut and suffixed with a short hash.
   */
  public static String defaultStackName(ObjectMeta metadata) {
    String namespace = Objects.requireNonNullElse(metadata == null ? null : metadata.getNamespace(), "default");
    String name = Objects.requireNonNullElse(metadata == null ? null : metadata.getName(), "");
    String full = (namespace + "-" + name).replaceAll("[^A-Za-z0-9-]", "-");
    if (!Character.isLetter(full.charAt(0))) {
      full = "sds-" + full;
    }
    if (full.length() > 128) {
      full = full.substring(0, 119) + "-" + shortHash(namespace + "/" + name);
    }
    return full;
  }

  /** Tags that tie a stack to the resource that owns it. */
  static Map<String, String> ownerTags(ObjectMeta metadata) {
    Map<String, String> tags = new TreeMap<>();
    if (metadata != null) {
      putIfPresent(tags, OWNER_UID_TAG, metadata.getUid());
      putIfPresent(tags, OWNER_NAMESPACE_TAG, metadata.getNamespace());
      putIfPresent(tags, OWNER_NAME_TAG, metadata.getName());
    }
    return tags;
  }

  private static void putIfPresent(Map<String, String> tags, String key, String value) {
    if (value != null && !value.isEmpty()) {
      tags.put(key, value);
    }
  }

  private static <T> T orEmpty(T value, java.util.function.Supplier<T> empty) {
    return value != null ? value : empty.get();
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Collects violations while reading values with their defaults. */
  private static final class Checks {
    private final List<Violation> violations = new ArrayList<>();

    void add(String field, String message) {
      violations.add(new Violation(field, message));
    }

    /**
     * One violation per field the model does not know, in this part and every part within it (the API server
     * prunes them; the mock API server, the sandbox and a CRD newer than this operator do not), each named with
     * its full path as {@code render} does.
     */
    void unknown(String path, HasUnknownFields part) {
      if (!part.unknownFields().isEmpty()) {
        unknown(path + ".", part.knownFields(), part.unknownFields());
      }
      part.parts().forEach((name, inner) -> unknown(path + "." + name, inner));
    }

    void unknown(String prefix, List<String> known, Map<String, Object> fields) {
      fields.keySet().stream().sorted()
          .forEach(name -> add(prefix + name, "unknown field; known fields here: " + known));
    }

    String required(String field, String value) {
      if (value == null || value.isBlank()) {
        add(field, "is required");
        return null;
      }
      return value;
    }

    void matches(String field, String value, Pattern pattern, String rule) {
      if (!pattern.matcher(value).matches()) {
        add(field, rule + ", got \"" + value + "\"");
      }
    }

    void optionalMatch(String field, String value, Pattern pattern, String rule) {
      if (value != null) {
        matches(field, value, pattern, rule);
      }
    }

    int atLeast(String field, Integer value, int min, int fallback) {
      int actual = Objects.requireNonNullElse(value, fallback);
      if (actual < min) {
        add(field, "must be at least " + min + ", got " + actual);
      }
      return actual;
    }

    int between(String field, Integer value, int min, int max, int fallback) {
      int actual = Objects.requireNonNullElse(value, fallback);
      if (actual < min || actual > max) {
        add(field, "must be between " + min + " and " + max + ", got " + actual);
      }
      return actual;
    }

    Map<String, String> tags(Map<String, String> tags) {
      if (tags == null) {
        return Map.of();
      }
      if (tags.size() > SpecDefaults.MAX_USER_TAGS) {
        add("spec.tags", "at most " + SpecDefaults.MAX_USER_TAGS + " tags (CloudFormation takes 50 and the operator"
            + " sets its own), got " + tags.size());
      }
      new TreeMap<>(tags).forEach((key, value) -> {
        String field = "spec.tags[" + key + "]";
        String lower = key.toLowerCase(Locale.ROOT);
        if (key.isEmpty() || key.length() > 128 || !TAG_TEXT.matcher(key).matches()) {
          add(field, "a tag key is 1-128 letters, digits, spaces and _.:/=+-@");
        } else if (lower.startsWith("aws:") || lower.startsWith("serverlessdata.io/")
            || key.equals(StackSettings.ENVIRONMENT_TAG)) {
          add(field, "keys starting with 'aws:' or 'serverlessdata.io/' and 'Environment' (see spec.environment)"
              + " are reserved");
        }
        if (value == null || value.length() > 256 || !(value.isEmpty() || TAG_TEXT.matcher(value).matches())) {
          add(field, "a tag value is 0-256 letters, digits, spaces and _.:/=+-@");
        }
      });
      return tags;
    }

    List<String> origins(List<String> origins) {
      if (origins == null) {
        return List.of();
      }
      if (origins.size() > 20) {
        add("spec.api.corsAllowOrigins", "at most 20 origins, got " + origins.size());
      }
      for (int i = 0; i < origins.size(); i++) {
        String origin = origins.get(i);
        if (origin == null || !ORIGIN.matcher(origin).matches()) {
          add("spec.api.corsAllowOrigins[" + i + "]",
              "must be https://host[:port], http://localhost[:port] or '*', got \"" + origin + "\"");
        }
      }
      if (origins.contains("*") && origins.size() > 1) {
        add("spec.api.corsAllowOrigins", "'*' allows every origin and must stand alone");
      }
      return origins;
    }

    Optional<StackSettings.ObjectLock> objectLock(ObjectLockSpec lock) {
      if (lock == null) {
        return Optional.empty();
      }
      if (lock.mode() == null) {
        add("spec.objectLock.mode", "is required when spec.objectLock is set: GOVERNANCE or COMPLIANCE");
      }
      if (lock.days() == null) {
        add("spec.objectLock.days", "is required when spec.objectLock is set");
      } else if (lock.days() < 1 || lock.days() > Limits.MAX_OBJECT_LOCK_DAYS) {
        add("spec.objectLock.days", "must be between 1 and " + Limits.MAX_OBJECT_LOCK_DAYS + ", got " + lock.days());
      }
      return lock.mode() == null || lock.days() == null
          ? Optional.empty()
          : Optional.of(new StackSettings.ObjectLock(lock.mode(), lock.days()));
    }
  }
}
