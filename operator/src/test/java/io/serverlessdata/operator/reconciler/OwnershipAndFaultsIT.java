package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.condition;
import static io.serverlessdata.operator.reconciler.OperatorHarness.reason;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static io.serverlessdata.operator.reconciler.OperatorHarness.synced;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What running against a real API server and an independent CloudFormation found (issue 13), each through the
 * operator as {@code run} wires it (metrics, event filters, retry): ownership that holds on every pass, AWS errors
 * reported by their code and operation, drift failures that leave the stack's own state alone, annotations acted on
 * at once.
 */
class OwnershipAndFaultsIT {

  private OperatorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void aStackNameHeldByAnotherResourceStaysAConflictOnEveryPassAndDeletingTheLoserTouchesNothing() throws Exception {
    harness = new OperatorHarness();
    harness.create(withStackName(stack("alder", "alder-data"), "shared-x"));
    ServerlessDataStack alder = harness.await("alder", "synced and checked for drift", r -> synced(r)
        && r.getStatus().getDrift() != null && "IN_SYNC".equals(r.getStatus().getDrift().status()));
    harness.simulator.resetCalls();

    harness.create(withStackName(stack("birch", "birch-data"), "shared-x"));
    harness.await("birch", "in conflict", r -> reason(r, ConditionTypes.TERMINAL).filter("StackNameConflict"::equals)
        .isPresent());
    // many passes (the blocked interval is 400 ms here): the verdict must hold on each, not only the first
    Awaitility.await().pollDelay(Duration.ofSeconds(4)).until(() -> true);

    ServerlessDataStack birch = harness.get("birch");
    assertThat(reason(birch, ConditionTypes.TERMINAL)).contains("StackNameConflict");
    assertThat(birch.getStatus().getStackId()).as("a foreign stack's id never enters the status").isNull();
    assertThat(birch.getStatus().getLastChangeSet()).isNull();
    assertThat(harness.calls().keySet()).as("AWS calls since birch appeared").doesNotContain("CreateChangeSet",
        "ExecuteChangeSet", "DeleteStack", "UpdateTerminationProtection", "DetectStackDrift");
    assertThat(harness.describe("shared-x").orElseThrow().tags())
        .containsEntry("serverlessdata.io/owner-uid", alder.getMetadata().getUid());

    harness.resource("birch").delete();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> harness.get("birch") == null);

    assertThat(harness.calls("DeleteStack")).isZero();
    assertThat(harness.describe("shared-x")).get().extracting(s -> s.status().name()).isEqualTo("CREATE_COMPLETE");
    assertThat(synced(harness.get("alder"))).isTrue();
    assertThat(harness.events("birch")).anyMatch(e -> e.startsWith("Normal Retained") && e.contains("does not belong"));
  }

  @Test
  void awsErrorsReportTheirCodeAndTheFailedOperationAndEachNewErrorIsAnnounced() throws Exception {
    harness = new OperatorHarness();
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);

    harness.simulator.throttleNext(100_000);
    harness.edit("orders", r -> withCapacity(r, 7));
    Condition throttled = recoverable(harness.await("orders", "throttled",
        r -> reason(r, ConditionTypes.RECOVERABLE).filter("Throttling"::equals).isPresent()));
    assertThat(throttled.getMessage()).matches("[A-Z][A-Za-z]+: Rate exceeded");
    assertThat(throttled.getMessage()).doesNotContain("Exception", "java.", "software.amazon");

    // a different fault while the first is still reported is a new event, not hidden behind the old reason
    harness.simulator.failNext(100_000);
    harness.simulator.throttleNext(0);
    Condition failing = recoverable(harness.await("orders", "failing with 5xx",
        r -> reason(r, ConditionTypes.RECOVERABLE).filter("InternalFailure"::equals).isPresent()));
    assertThat(failing.getMessage()).matches("[A-Z][A-Za-z]+: The request processing has failed.*");
    assertThat(harness.events("orders"))
        .anyMatch(e -> e.matches("Warning AwsError: Throttling: [A-Z][A-Za-z]+: Rate exceeded \\(retrying with backoff\\)"))
        .anyMatch(e -> e.startsWith("Warning AwsError: InternalFailure: ")
            && e.contains(": The request processing has failed"));

    harness.simulator.failNext(0);
    harness.await("orders", "synced once AWS answers", r -> synced(r) && r.getMetadata().getGeneration() == 2);
  }

  @Test
  void aFailingDriftCallLeavesTheStackSyncedAndReadyAndTheDriftUnknown() throws Exception {
    harness = new OperatorHarness();
    harness.simulator.failAction("DetectStackDrift", 100_000);
    harness.create(stack("orders", "orders-prod"));

    ServerlessDataStack unknown = harness.await("orders", "drift unknown",
        r -> reason(r, ConditionTypes.DRIFTED).filter("DetectionFailed"::equals).isPresent());

    assertThat(synced(unknown)).isTrue();
    assertThat(condition(unknown, ConditionTypes.READY, "True")).isTrue();
    assertThat(condition(unknown, ConditionTypes.DRIFTED, "Unknown")).isTrue();
    assertThat(condition(unknown, ConditionTypes.RECOVERABLE, "True")).isFalse();
    assertThat(unknown.getStatus().getDrift().message()).contains("DetectStackDrift", "InternalFailure");
    assertThat(unknown.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
  }

  @Test
  void annotationsAreActedOnAtOnceNotAtTheNextResync() throws Exception {
    // production-like: a blocked or synced resource is looked at again only after ten minutes
    harness = new OperatorHarness(OperatorHarness.PACE.withPacing(Duration.ofMillis(150), Duration.ofMinutes(10),
        Duration.ofMinutes(10)));
    harness.create(stack("orders", "orders-prod"));
    ServerlessDataStack synced = harness.await("orders", "synced and checked for drift", r -> synced(r)
        && r.getStatus().getDrift() != null && "IN_SYNC".equals(r.getStatus().getDrift().status()));
    String firstCheck = synced.getStatus().getDrift().detectionId();

    harness.annotate("orders", Annotations.CHECK_DRIFT, "now");
    harness.await("orders", "checked again", r -> r.getStatus().getDrift() != null
        && r.getStatus().getDrift().detectionId() != null && !firstCheck.equals(r.getStatus().getDrift().detectionId())
        && "now".equals(r.getStatus().getDrift().checkRequest()));

    harness.edit("orders", r -> {
      r.setSpec(stack("orders", "orders-next").getSpec());
      return r;
    });
    harness.await("orders", "blocked", r -> reason(r, ConditionTypes.SYNCED).filter("ReplacementBlocked"::equals)
        .isPresent());
    harness.annotate("orders", Annotations.ALLOW_REPLACEMENT, "true");
    harness.await("orders", "replaced within seconds of the annotation",
        r -> synced(r) && r.getMetadata().getGeneration() == 2);
  }

  private static Condition recoverable(ServerlessDataStack resource) {
    return StatusConditions.find(resource.getStatus().getConditions(), ConditionTypes.RECOVERABLE).orElseThrow();
  }

  private static ServerlessDataStack withStackName(ServerlessDataStack resource, String stackName) {
    ServerlessDataStackSpec s = resource.getSpec();
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), s.dynamoDbReadCapacity(),
        s.dynamoDbWriteCapacity(), s.alertEmail(), s.environment(), s.tags(), stackName, s.lambda(), s.api(),
        s.logRetentionDays(), s.dataRetention(), s.objectLock(), s.driftDetection(), s.alerts(), s.exportTo(),
        s.cloudFormation()));
    return resource;
  }

  private static ServerlessDataStack withCapacity(ServerlessDataStack resource, int read) {
    ServerlessDataStackSpec s = resource.getSpec();
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), read, s.dynamoDbWriteCapacity(),
        s.alertEmail(), s.environment(), s.tags(), s.stackName(), s.lambda(), s.api(), s.logRetentionDays(),
        s.dataRetention(), s.objectLock(), s.driftDetection(), s.alerts(), s.exportTo(), s.cloudFormation()));
    return resource;
  }
}
