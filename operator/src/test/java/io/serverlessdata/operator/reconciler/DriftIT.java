package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.condition;
import static io.serverlessdata.operator.reconciler.OperatorHarness.reason;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.DriftRemediation;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.DriftDetectionSpec;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftedResource;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PropertyDifference;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drift detection (docs/architecture.md, "Drift") with the real operator, the mock API server and the simulator. The
 * operator's clock is moved forward to live through the spec's interval in seconds.
 */
class DriftIT {

  private static final String STACK = "team-a-orders";
  private static final String READ_CAPACITY = "ProvisionedThroughput.ReadCapacityUnits";

  private OperatorHarness harness;

  @BeforeEach
  void start() throws Exception {
    harness = new OperatorHarness();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void syncedStackWithoutDriftIsReportedInSync() {
    harness.create(withDrift(stack("orders", "orders-prod"), 60, DriftRemediation.None));

    ServerlessDataStack checked = awaitDrift("in sync", d -> "IN_SYNC".equals(d.status()));

    DriftStatus drift = checked.getStatus().getDrift();
    assertThat(drift.lastCheckTime()).isNotNull();
    assertThat(drift.detectionId()).isNotBlank();
    assertThat(drift.detectionStatus()).isEqualTo("DETECTION_COMPLETE");
    assertThat(drift.driftedResources()).isEmpty();
    assertThat(condition(checked, ConditionTypes.DRIFTED, "False")).isTrue();
    assertThat(harness.calls("DetectStackDrift")).isEqualTo(1);
    assertThat(harness.calls("DescribeStackResourceDrifts")).isZero();
  }

  @Test
  void propertyDriftIsReportedWithTheExactDifferenceAndAWarning() {
    harness.create(withDrift(stack("orders", "orders-prod"), 30, DriftRemediation.None));
    awaitDrift("in sync", d -> "IN_SYNC".equals(d.status()));

    harness.simulator.driftProperty(STACK, "ProcessingTable", READ_CAPACITY, Optional.of("7"));
    harness.clock.advance(Duration.ofMinutes(30));
    ServerlessDataStack drifted = awaitDrift("drifted", d -> "DRIFTED".equals(d.status()));

    DriftStatus drift = drifted.getStatus().getDrift();
    assertThat(drift.driftedResourceCount()).isEqualTo(1);
    DriftedResource table = drift.driftedResources().get(0);
    assertThat(table.logicalId()).isEqualTo("ProcessingTable");
    assertThat(table.resourceType()).isEqualTo("AWS::DynamoDB::Table");
    assertThat(table.driftStatus()).isEqualTo("MODIFIED");
    assertThat(table.differences()).containsExactly(
        new PropertyDifference("/ProvisionedThroughput/ReadCapacityUnits", "5", "7", "NOT_EQUAL"));
    assertThat(condition(drifted, ConditionTypes.DRIFTED, "True")).isTrue();
    assertThat(condition(drifted, ConditionTypes.SYNCED, "True")).isTrue();
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning DriftDetected")
        && e.contains("ProcessingTable MODIFIED (/ProvisionedThroughput/ReadCapacityUnits)"));
    assertThat(harness.calls("ExecuteChangeSet")).as("None only reports").isEqualTo(1);
  }

  @Test
  void revertPutsTheDriftBackThroughADriftAwareChangeSetAndConfirmsInSync() {
    harness.create(withDrift(stack("orders", "orders-prod"), 30, DriftRemediation.Revert));
    awaitDrift("in sync", d -> "IN_SYNC".equals(d.status()));

    harness.simulator.driftProperty(STACK, "ProcessorFunction", "MemorySize", Optional.of("1024"));
    harness.clock.advance(Duration.ofMinutes(30));
    awaitDrift("drifted", d -> "DRIFTED".equals(d.status()));
    ServerlessDataStack reverted = awaitDrift("in sync again after the revert", d -> "IN_SYNC".equals(d.status())
        && harness.calls("ExecuteChangeSet") == 2);

    assertThat(reverted.getStatus().getLastChangeSet().name()).contains("-revert-");
    assertThat(reverted.getStatus().getLastChangeSet().changes())
        .anyMatch(c -> c.logicalId().equals("ProcessorFunction") && c.action().equals("Modify"));
    assertThat(harness.simulator.deploymentModes(STACK)).containsExactly("REVERT_DRIFT");
    assertThat(condition(reverted, ConditionTypes.DRIFTED, "False")).isTrue();
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Normal RevertingDrift"))
        .anyMatch(e -> e.startsWith("Normal DriftCleared"));
    // the fresh detection that confirmed it came right after the revert, not an interval later
    assertThat(harness.calls("DetectStackDrift")).isEqualTo(3);
  }

  @Test
  void revertThatWouldReplaceTheTableIsBlockedLikeAnyChangeSet() {
    harness.create(withDrift(stack("orders", "orders-prod"), 30, DriftRemediation.Revert));
    awaitDrift("in sync", d -> "IN_SYNC".equals(d.status()));

    harness.simulator.driftProperty(STACK, "ProcessingTable", "TableName", Optional.of("renamed-by-hand"));
    harness.clock.advance(Duration.ofMinutes(30));
    ServerlessDataStack blocked = harness.await("orders", "blocked",
        r -> reason(r, ConditionTypes.SYNCED).filter("ReplacementBlocked"::equals).isPresent());

    assertThat(blocked.getStatus().getDrift().status()).isEqualTo("DRIFTED");
    assertThat(harness.calls("ExecuteChangeSet")).isEqualTo(1);
  }

  @Test
  void deletedResourceIsReported() {
    harness.create(withDrift(stack("orders", "orders-prod"), 30, DriftRemediation.None));
    awaitDrift("in sync", d -> "IN_SYNC".equals(d.status()));

    harness.simulator.deleteResource(STACK, "ErrorTopic");
    harness.clock.advance(Duration.ofMinutes(30));
    ServerlessDataStack drifted = awaitDrift("drifted", d -> "DRIFTED".equals(d.status()));

    assertThat(drifted.getStatus().getDrift().driftedResources()).singleElement().satisfies(r -> {
      assertThat(r.logicalId()).isEqualTo("ErrorTopic");
      assertThat(r.driftStatus()).isEqualTo("DELETED");
      assertThat(r.differences()).isEmpty();
    });
  }

  @Test
  void failedDetectionIsReportedAndTriedAgainInTheNextInterval() {
    harness.simulator.failNextDriftDetection("Access denied for operation 's3:GetBucketPolicy'");
    harness.create(withDrift(stack("orders", "orders-prod"), 15, DriftRemediation.None));

    ServerlessDataStack failed = awaitDrift("unknown", d -> "UNKNOWN".equals(d.status()));
    assertThat(failed.getStatus().getDrift().detectionStatus()).isEqualTo("DETECTION_FAILED");
    assertThat(failed.getStatus().getDrift().message()).contains("s3:GetBucketPolicy");
    assertThat(reason(failed, ConditionTypes.DRIFTED)).contains("DetectionFailed");
    assertThat(condition(failed, ConditionTypes.SYNCED, "True")).isTrue();
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning DriftDetectionFailed"));
    sleep(Duration.ofSeconds(3));
    assertThat(harness.calls("DetectStackDrift")).as("no retry before the interval").isEqualTo(1);

    harness.clock.advance(Duration.ofMinutes(15));
    awaitDrift("in sync", d -> "IN_SYNC".equals(d.status()));
    assertThat(harness.calls("DetectStackDrift")).isEqualTo(2);
  }

  @Test
  void noMoreThanOneDetectionPerIntervalAcrossHoursAndARestart() {
    harness.create(withDrift(stack("orders", "orders-prod"), 10, DriftRemediation.None));
    awaitDrift("in sync", d -> "IN_SYNC".equals(d.status()));

    // 40 simulated minutes in 2-minute steps, each longer than the operator's steady interval here
    for (int step = 0; step < 20; step++) {
      harness.clock.advance(Duration.ofMinutes(2));
      sleep(Duration.ofMillis(250));
      if (step == 10) {
        harness.stopOperator();
        harness.startOperator();
      }
    }
    sleep(OperatorHarness.PACE.steadyInterval().plusMillis(500));

    int detections = harness.calls("DetectStackDrift");
    assertThat(detections).as("one at once, then at most one per 10 minutes of 40").isBetween(2, 5);
  }

  private ServerlessDataStack awaitDrift(String description, Predicate<DriftStatus> test) {
    return harness.await("orders", "drift " + description, r -> r.getStatus() != null
        && r.getStatus().getDrift() != null && test.test(r.getStatus().getDrift()));
  }

  private static ServerlessDataStack withDrift(ServerlessDataStack resource, int minutes, DriftRemediation remediation) {
    ServerlessDataStackSpec s = resource.getSpec();
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), s.dynamoDbReadCapacity(), s.dynamoDbWriteCapacity(),
        s.alertEmail(), s.environment(), s.tags(), s.stackName(), s.lambda(), s.api(), s.logRetentionDays(),
        s.dataRetention(), s.objectLock(), new DriftDetectionSpec(minutes, remediation), s.alerts(), s.exportTo(),
        s.cloudFormation()));
    return resource;
  }

  private static void sleep(Duration duration) {
    Awaitility.await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
  }
}
