package io.serverlessdata.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.AlertsSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ApiSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.CloudFormationSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.DriftDetectionSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ExportSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.LambdaSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.ObjectLockSpec;
import io.serverlessdata.operator.template.ApiLoggingLevel;
import io.serverlessdata.operator.template.DataRetention;
import io.serverlessdata.operator.template.LambdaRuntime;
import io.serverlessdata.operator.template.ObjectLockMode;
import io.serverlessdata.operator.template.StackSettings;
import io.serverlessdata.operator.template.TopicEncryption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecResolverTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** A minimal valid spec: only the two required fields. */
  static ServerlessDataStackSpec minimal() {
    return new ServerlessDataStackSpec("orders-prod", null, null, "ops@example.com", null, null, null, null, null,
        null, null, null, null, null, null, null);
  }

  static ServerlessDataStack resource(ServerlessDataStackSpec spec) {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("team-a").withUid("uid-1").build());
    resource.setSpec(spec);
    return resource;
  }

  private static ServerlessDataStackSpec with(UnaryOperator<SpecCopy> change) {
    return change.apply(new SpecCopy(minimal())).build();
  }

  private static List<String> violations(ServerlessDataStackSpec spec) {
    try {
      SpecResolver.resolve(resource(spec));
      return List.of();
    } catch (InvalidSpecException e) {
      return e.violations().stream().map(Violation::toString).toList();
    }
  }

  @Test
  void minimalSpecGetsEveryDefault() throws Exception {
    ResolvedSpec resolved = SpecResolver.resolve(resource(minimal()));
    StackSettings s = resolved.settings();

    assertThat(resolved.stackName()).isEqualTo("team-a-orders");
    assertThat(s.readCapacity()).isEqualTo(5);
    assertThat(s.writeCapacity()).isEqualTo(5);
    assertThat(s.environment()).isEqualTo("Production");
    assertThat(s.lambda()).isEqualTo(new StackSettings.Lambda(LambdaRuntime.NODEJS_24, 256, 10, false));
    assertThat(s.api()).isEqualTo(new StackSettings.Api(1000, 10, 20, List.of(), ApiLoggingLevel.ERROR));
    assertThat(s.logRetentionDays()).isEqualTo(30);
    assertThat(s.dataRetention()).isEqualTo(DataRetention.Retain);
    assertThat(s.objectLock()).isEmpty();
    assertThat(s.topicEncryption()).isEqualTo(TopicEncryption.AwsManaged);
    assertThat(resolved.driftInterval()).isEqualTo(Duration.ofMinutes(60));
    assertThat(resolved.driftRemediation()).isEqualTo(DriftRemediation.None);
    assertThat(resolved.terminationProtection()).isTrue();
    assertThat(resolved.roleArn()).isEmpty();
    assertThat(s.stackTags()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "Environment", "Production",
        "serverlessdata.io/owner-uid", "uid-1",
        "serverlessdata.io/namespace", "team-a",
        "serverlessdata.io/name", "orders"));
  }

  @Test
  void everyFieldReachesTheSettings() throws Exception {
    ServerlessDataStackSpec spec = new ServerlessDataStackSpec("orders", 10, 20, "a@b.io", "Staging",
        Map.of("team", "data"), "my-stack", new LambdaSpec(LambdaRuntime.NODEJS_22, 512, 20, true),
        new ApiSpec(50, 2, 4, List.of("https://app.example.com"), ApiLoggingLevel.INFO), 90, DataRetention.Delete,
        new ObjectLockSpec(ObjectLockMode.GOVERNANCE, 7), new DriftDetectionSpec(15, DriftRemediation.Revert),
        new AlertsSpec(TopicEncryption.CustomerManaged), new ExportSpec("orders-outputs", "orders-key"),
        new CloudFormationSpec("arn:aws:iam::123456789012:role/cfn", false));

    ResolvedSpec resolved = SpecResolver.resolve(resource(spec));

    assertThat(resolved.stackName()).isEqualTo("my-stack");
    assertThat(resolved.settings().lambda()).isEqualTo(new StackSettings.Lambda(LambdaRuntime.NODEJS_22, 512, 20, true));
    assertThat(resolved.settings().api()).isEqualTo(
        new StackSettings.Api(50, 2, 4, List.of("https://app.example.com"), ApiLoggingLevel.INFO));
    assertThat(resolved.settings().objectLock()).contains(new StackSettings.ObjectLock(ObjectLockMode.GOVERNANCE, 7));
    assertThat(resolved.settings().stackTags()).containsEntry("team", "data").containsEntry("Environment", "Staging");
    assertThat(resolved.driftInterval()).isEqualTo(Duration.ofMinutes(15));
    assertThat(resolved.driftRemediation()).isEqualTo(DriftRemediation.Revert);
    assertThat(resolved.roleArn()).contains("arn:aws:iam::123456789012:role/cfn");
    assertThat(resolved.terminationProtection()).isFalse();
    assertThat(resolved.configMapName()).contains("orders-outputs");
    assertThat(resolved.secretName()).contains("orders-key");
  }

  @Test
  void missingSpecIsReported() {
    assertThatThrownBy(() -> SpecResolver.resolve(resource(null)))
        .isInstanceOf(InvalidSpecException.class).hasMessage("spec: is required");
  }

  @Test
  void requiredFieldsAreNamed() {
    assertThat(violations(with(s -> s.resourcePrefix(null).alertEmail(""))))
        .containsExactly("spec.resourcePrefix: is required", "spec.alertEmail: is required");
  }

  @Test
  void readCapacityBelowFiveIsRejected() {
    assertThat(violations(with(s -> s.read(4)))).containsExactly("spec.dynamoDbReadCapacity: must be at least 5, got 4");
  }

  @Test
  void writeCapacityBelowFiveIsRejected() {
    assertThat(violations(with(s -> s.write(0)))).containsExactly("spec.dynamoDbWriteCapacity: must be at least 5, got 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Orders", "1orders", "ab", "orders-", "orders_prod", "a23456789012345678901234567890123"})
  void prefixOutsideThePatternIsRejected(String prefix) {
    assertThat(violations(with(s -> s.resourcePrefix(prefix))))
        .singleElement().asString()
        .startsWith("spec.resourcePrefix: must be 3-32 lowercase letters, digits and '-'")
        .endsWith("got \"" + prefix + "\"");
  }

  @Test
  void prefixOfThirtyTwoCharactersIsAccepted() {
    assertThat(violations(with(s -> s.resourcePrefix("a2345678901234567890123456789012")))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"xn--orders", "sthree-orders"})
  void prefixReservedByS3IsRejected(String prefix) {
    assertThat(violations(with(s -> s.resourcePrefix(prefix))))
        .singleElement().asString().startsWith("spec.resourcePrefix: must not start with 'xn--' or 'sthree-'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ops", "ops@example", "ops @example.com", "@example.com"})
  void badEmailIsRejected(String email) {
    assertThat(violations(with(s -> s.alertEmail(email))))
        .singleElement().asString().startsWith("spec.alertEmail: must be an e-mail address");
  }

  @Test
  void negativeLogRetentionIsRejectedWithTheAllowedValues() {
    assertThat(violations(with(s -> s.logRetention(-1))))
        .singleElement().asString().startsWith("spec.logRetentionDays: must be one of [1, 3, 5, 7, 14, 30")
        .endsWith("got -1");
  }

  @Test
  void logRetentionCloudWatchDoesNotOfferIsRejected() {
    assertThat(violations(with(s -> s.logRetention(31)))).singleElement().asString().startsWith("spec.logRetentionDays");
  }

  @Test
  void lambdaLimitsAreChecked() {
    assertThat(violations(with(s -> s.lambda(new LambdaSpec(null, 64, 901, null))))).containsExactly(
        "spec.lambda.memorySize: must be between 128 and 10240, got 64",
        "spec.lambda.timeoutSeconds: must be between 1 and 900, got 901");
  }

  @Test
  void apiLimitsAreChecked() {
    assertThat(violations(with(s -> s.api(new ApiSpec(0, 0, 0, null, null))))).containsExactly(
        "spec.api.dailyQuota: must be at least 1, got 0",
        "spec.api.rateLimit: must be at least 1, got 0",
        "spec.api.burstLimit: must be at least 1, got 0");
  }

  @Test
  void corsOriginsMustBeOriginsAndAWildcardStandsAlone() {
    assertThat(violations(with(s -> s.api(new ApiSpec(null, null, null,
        List.of("https://ok.example.com", "ftp://x", "https://ok.example.com/path"), null))))).containsExactly(
        "spec.api.corsAllowOrigins[1]: must be https://host[:port], http://localhost[:port] or '*', got \"ftp://x\"",
        "spec.api.corsAllowOrigins[2]: must be https://host[:port], http://localhost[:port] or '*', got"
            + " \"https://ok.example.com/path\"");
    assertThat(violations(with(s -> s.api(new ApiSpec(null, null, null, List.of("*", "https://a.example.com"), null)))))
        .containsExactly("spec.api.corsAllowOrigins: '*' allows every origin and must stand alone");
  }

  @Test
  void objectLockNeedsModeAndDaysInRange() {
    assertThat(violations(with(s -> s.objectLock(new ObjectLockSpec(null, 0))))).containsExactly(
        "spec.objectLock.mode: is required when spec.objectLock is set: GOVERNANCE or COMPLIANCE",
        "spec.objectLock.days: must be between 1 and 36500, got 0");
  }

  @Test
  void driftIntervalBelowFiveMinutesIsRejected() {
    assertThat(violations(with(s -> s.drift(new DriftDetectionSpec(4, null)))))
        .containsExactly("spec.driftDetection.intervalMinutes: must be at least 5, got 4");
  }

  @Test
  void reservedAndMalformedTagsAreRejected() {
    assertThat(violations(with(s -> s.tags(Map.of("aws:cost", "x", "Environment", "y", "ok", "fine",
        "serverlessdata.io/owner-uid", "z", "bad{key}", "v")))))
        .containsExactlyInAnyOrder(
            "spec.tags[aws:cost]: keys starting with 'aws:' or 'serverlessdata.io/' and 'Environment' (see"
                + " spec.environment) are reserved",
            "spec.tags[Environment]: keys starting with 'aws:' or 'serverlessdata.io/' and 'Environment' (see"
                + " spec.environment) are reserved",
            "spec.tags[serverlessdata.io/owner-uid]: keys starting with 'aws:' or 'serverlessdata.io/' and"
                + " 'Environment' (see spec.environment) are reserved",
            "spec.tags[bad{key}]: a tag key is 1-128 letters, digits, spaces and _.:/=+-@");
  }

  @Test
  void stackNameAndExportNamesAndRoleArnAreChecked() {
    assertThat(violations(with(s -> s.stackName("1stack").export(new ExportSpec("Bad_Name", null))
        .cloudFormation(new CloudFormationSpec("arn:aws:iam::123:user/x", null))))).containsExactly(
        "spec.stackName: must start with a letter and hold at most 128 letters, digits and '-', got \"1stack\"",
        "spec.exportTo.configMapName: must be a Kubernetes object name (lowercase letters, digits, '-' and '.'),"
            + " got \"Bad_Name\"",
        "spec.cloudFormation.roleArn: must be an IAM role ARN like arn:aws:iam::123456789012:role/cfn-service-role,"
            + " got \"arn:aws:iam::123:user/x\"");
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    assertThat(violations(new ServerlessDataStackSpec("Bad", 1, 2, "nope", null, null, null,
        new LambdaSpec(null, 1, null, null), null, 2, null, null, null, null, null, null))).hasSize(6);
  }

  /** As the informer reads a resource: fabric8's serialisation of the JSON the API server sends. */
  static ServerlessDataStack read(String specJson) {
    return JSON.unmarshal("""
        {"apiVersion": "serverlessdata.io/v1alpha1", "kind": "ServerlessDataStack",
         "metadata": {"name": "orders", "namespace": "team-a", "uid": "uid-1"},
         "spec": %s}""".formatted(specJson), ServerlessDataStack.class);
  }

  private static List<String> violations(ServerlessDataStack resource) {
    try {
      SpecResolver.resolve(resource);
      return List.of();
    } catch (InvalidSpecException e) {
      return e.violations().stream().map(Violation::toString).toList();
    }
  }

  @Test
  void unknownSpecFieldIsReadAndReportedWithItsPathAndTheKnownFields() {
    ServerlessDataStack typo = read("""
        {"resourcePrefix": "orders-prod", "alertEmail": "ops@example.com", "dynamoDBReadCapacity": 10}""");

    assertThat(violations(typo)).containsExactly("spec.dynamoDBReadCapacity: unknown field; known fields here:"
        + " [alertEmail, alerts, api, changeApproval, cloudFormation, dataRetention, driftDetection,"
        + " dynamoDbReadCapacity, dynamoDbWriteCapacity, environment, exportTo, lambda, logRetentionDays, objectLock,"
        + " resourcePrefix, stackName, tags]");
  }

  @Test
  void unknownFieldsAreReportedAtEveryLevelWhateverTheirValue() {
    ServerlessDataStack resource = JSON.unmarshal("""
        {"apiVersion": "serverlessdata.io/v1alpha1", "kind": "ServerlessDataStack",
         "metadata": {"name": "orders", "namespace": "team-a"}, "specs": {},
         "spec": {"resourcePrefix": "orders-prod", "alertEmail": "ops@example.com", "newer": null,
                  "lambda": {"memory": 512}, "api": {"throttle": "INFO", "quota": [1]},
                  "objectLock": {"mode": "GOVERNANCE", "days": 1, "years": {"n": 1}},
                  "driftDetection": {"interval": 5}, "alerts": {"encryption": "x"},
                  "exportTo": {"configMap": "x"}, "cloudFormation": {"role": "x"}}}""", ServerlessDataStack.class);

    assertThat(violations(resource)).extracting(v -> v.substring(0, v.indexOf(':'))).containsExactly(
        "specs", "spec.newer", "spec.lambda.memory", "spec.api.quota", "spec.api.throttle",
        "spec.objectLock.years", "spec.driftDetection.interval", "spec.alerts.encryption", "spec.exportTo.configMap",
        "spec.cloudFormation.role");
    assertThat(violations(resource)).first().asString()
        .isEqualTo("specs: unknown field; known fields here: [apiVersion, kind, metadata, spec, status]");
    assertThat(violations(resource)).filteredOn(v -> v.startsWith("spec.lambda.")).singleElement().asString()
        .endsWith("known fields here: [memorySize, runtime, timeoutSeconds, tracing]");
  }

  @Test
  void unknownFieldsAreWrittenBackAsTheyCame() {
    ServerlessDataStack resource = read("""
        {"resourcePrefix": "orders-prod", "alertEmail": "ops@example.com", "newer": {"a": [1, 2]},
         "lambda": {"memorySize": 512, "memory": null}}""");

    String written = JSON.asJson(resource);

    assertThat(written).contains("\"newer\":{\"a\":[1,2]}", "\"memory\":null").doesNotContain("unknownFields");
    assertThat(JSON.unmarshal(written, ServerlessDataStack.class).getSpec()).isEqualTo(resource.getSpec());
  }

  @Test
  void aFieldSpeltLikeTheCollectorDoesNotFailTheRead() {
    // Jackson would bind it to the record's collecting component and fail; it is skipped (and not reported)
    ServerlessDataStack resource = read("""
        {"resourcePrefix": "orders-prod", "alertEmail": "ops@example.com", "unknownFields": 1,
         "lambda": {"unknownFields": {"a": 1}}}""");

    assertThat(violations(resource)).isEmpty();
  }

  @Test
  void unknownStatusFieldsOfANewerOperatorAreIgnored() {
    ServerlessDataStack resource = JSON.unmarshal("""
        {"apiVersion": "serverlessdata.io/v1alpha1", "kind": "ServerlessDataStack",
         "metadata": {"name": "orders", "namespace": "team-a"},
         "spec": {"resourcePrefix": "orders-prod", "alertEmail": "ops@example.com"},
         "status": {"stackName": "team-a-orders", "phase": "Synced", "drift": {"status": "IN_SYNC", "next": 1},
                    "lastChangeSet": {"name": "c", "changes": [{"action": "Add", "scope": ["Properties"]}]},
                    "ackResourceMetadata": {"arn": "a", "partition": "aws"}, "exports": {"extra": 1},
                    "failures": [{"reason": "r", "code": 1}]}}""", ServerlessDataStack.class);

    assertThat(resource.getStatus().getStackName()).isEqualTo("team-a-orders");
    assertThat(resource.getStatus().getDrift().status()).isEqualTo("IN_SYNC");
    assertThat(resource.getStatus().getLastChangeSet().changes()).singleElement()
        .extracting(ServerlessDataStackStatus.PlannedChange::action).isEqualTo("Add");
    assertThat(violations(resource)).isEmpty();
  }

  @Test
  void resourceWithoutSpecNamesItAndItsUnknownFields() {
    ServerlessDataStack resource = JSON.unmarshal("""
        {"apiVersion": "serverlessdata.io/v1alpha1", "kind": "ServerlessDataStack",
         "metadata": {"name": "orders", "namespace": "team-a"}, "sepc": {}}""", ServerlessDataStack.class);

    assertThat(violations(resource)).containsExactly(
        "sepc: unknown field; known fields here: [apiVersion, kind, metadata, spec, status]", "spec: is required");
  }

  @Test
  void defaultStackNameIsAValidCloudFormationName() {
    assertThat(SpecResolver.defaultStackName(new ObjectMetaBuilder().withNamespace("team.a").withName("my.stack").build()))
        .isEqualTo("team-a-my-stack");
    assertThat(SpecResolver.defaultStackName(new ObjectMetaBuilder().withNamespace("1team").withName("x").build()))
        .isEqualTo("sds-1team-x");
    String longName = SpecResolver.defaultStackName(
        new ObjectMetaBuilder().withNamespace("n".repeat(63)).withName("m".repeat(120)).build());
    assertThat(longName).hasSize(128).matches("[A-Za-z][A-Za-z0-9-]*");
  }

  /** Copies a spec with one field changed (records have no withers). */
  static final class SpecCopy {
    private String resourcePrefix;
    private Integer read;
    private Integer write;
    private String alertEmail;
    private final String environment;
    private Map<String, String> tags;
    private String stackName;
    private LambdaSpec lambda;
    private ApiSpec api;
    private Integer logRetention;
    private final DataRetention dataRetention;
    private ObjectLockSpec objectLock;
    private DriftDetectionSpec drift;
    private final AlertsSpec alerts;
    private ExportSpec export;
    private CloudFormationSpec cloudFormation;

    SpecCopy(ServerlessDataStackSpec s) {
      resourcePrefix = s.resourcePrefix();
      read = s.dynamoDbReadCapacity();
      write = s.dynamoDbWriteCapacity();
      alertEmail = s.alertEmail();
      environment = s.environment();
      tags = s.tags();
      stackName = s.stackName();
      lambda = s.lambda();
      api = s.api();
      logRetention = s.logRetentionDays();
      dataRetention = s.dataRetention();
      objectLock = s.objectLock();
      drift = s.driftDetection();
      alerts = s.alerts();
      export = s.exportTo();
      cloudFormation = s.cloudFormation();
    }

    SpecCopy resourcePrefix(String v) { resourcePrefix = v; return this; }
    SpecCopy read(Integer v) { read = v; return this; }
    SpecCopy write(Integer v) { write = v; return this; }
    SpecCopy alertEmail(String v) { alertEmail = v; return this; }
    SpecCopy tags(Map<String, String> v) { tags = v; return this; }
    SpecCopy stackName(String v) { stackName = v; return this; }
    SpecCopy lambda(LambdaSpec v) { lambda = v; return this; }
    SpecCopy api(ApiSpec v) { api = v; return this; }
    SpecCopy logRetention(Integer v) { logRetention = v; return this; }
    SpecCopy objectLock(ObjectLockSpec v) { objectLock = v; return this; }
    SpecCopy drift(DriftDetectionSpec v) { drift = v; return this; }
    SpecCopy export(ExportSpec v) { export = v; return this; }
    SpecCopy cloudFormation(CloudFormationSpec v) { cloudFormation = v; return this; }

    ServerlessDataStackSpec build() {
      return new ServerlessDataStackSpec(resourcePrefix, read, write, alertEmail, environment, tags, stackName, lambda,
          api, logRetention, dataRetention, objectLock, drift, alerts, export, cloudFormation);
    }
  }
}
