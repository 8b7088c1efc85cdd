package io.serverlessdata.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.cloudformation.DriftInformation;
import io.serverlessdata.operator.cloudformation.ResourceDrift;
import io.serverlessdata.operator.cloudformation.TestFaults;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DriftStateTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration RETRY = Duration.ofMinutes(1);

  /** A completed detection started at {@code startedAt}. */
  private static DriftStatus checked(String status, String startedAt) {
    return DriftStatus.notChecked().started("detection-1", startedAt, "2026-11-28T09:00", null, false)
        .completed(status, startedAt, "checked", 0, List.of());
  }

  @Test
  void aDetectionIsDueAtOnceBeforeTheFirstThenOneIntervalAfterTheLastStarted() {
    assertThat(DriftState.untilDue(DriftStatus.notChecked(), HOUR, Optional.empty(), RETRY, NOW))
        .contains(Duration.ZERO);
    assertThat(DriftState.untilDue(checked("IN_SYNC", "2026-11-28T11:30:00Z"), HOUR, Optional.empty(), RETRY, NOW))
        .contains(Duration.ofMinutes(30));
    assertThat(DriftState.untilDue(checked("IN_SYNC", "2026-11-28T10:30:00Z"), HOUR, Optional.empty(), RETRY, NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void aRunningDetectionHasEndedOnceTheListingShowsACheckAfterTheRecordedOne() {
    DriftStatus running = DriftStatus.notChecked().started("detection-2", "2026-11-28T11:59:00Z", null,
        "2026-11-28T11:00:00Z", false);
    Instant recorded = Instant.parse("2026-11-28T11:00:00Z");

    assertThat(DriftState.checkedSinceRecorded(running, DriftInformation.NOT_CHECKED)).isFalse();
    assertThat(DriftState.checkedSinceRecorded(running, new DriftInformation("IN_SYNC", Optional.of(recorded))))
        .as("the check the status already recorded").isFalse();
    assertThat(DriftState.checkedSinceRecorded(running,
        new DriftInformation("DRIFTED", Optional.of(recorded.plusSeconds(90))))).isTrue();
    assertThat(DriftState.checkedSinceRecorded(DriftStatus.notChecked().started("detection-1", "2026-11-28T11:59:00Z",
        null, null, false), new DriftInformation("IN_SYNC", Optional.of(recorded)))).as("none recorded").isTrue();
  }

  @Test
  void noDetectionIsDueWhileOneRuns() {
    DriftStatus running = DriftStatus.notChecked().started("detection-2", "2026-11-28T11:59:00Z", null, null, false);

    assertThat(DriftState.untilDue(running, HOUR, Optional.of("new request"), RETRY, NOW)).isEmpty();
  }

  @Test
  void eachNewValueOfTheCheckDriftAnnotationAsksForOneDetectionNow() {
    DriftStatus drift = checked("IN_SYNC", "2026-11-28T11:59:00Z");

    assertThat(DriftState.untilDue(drift, HOUR, Optional.of("2026-11-28T09:00"), RETRY, NOW))
        .as("the request already acted on").contains(Duration.ofMinutes(59));
    assertThat(DriftState.untilDue(drift, HOUR, Optional.of("2026-11-28T12:00"), RETRY, NOW)).contains(Duration.ZERO);
  }

  @Test
  void afterFailedDriftCallsTheNextAttemptBacksOffUpToTheInterval() {
    DriftStatus once = DriftState.callFailed(DriftStatus.notChecked(), TestFaults.throttled(), null, NOW);
    DriftStatus thrice = DriftState.callFailed(DriftState.callFailed(once, TestFaults.throttled(), null, NOW),
        TestFaults.throttled(), null, NOW);
    DriftStatus many = once;
    for (int i = 0; i < 12; i++) {
      many = DriftState.callFailed(many, TestFaults.throttled(), null, NOW);
    }

    assertThat(once.status()).isEqualTo("UNKNOWN");
    assertThat(once.message()).contains("DescribeStacks: Too Many Requests", "attempt 1");
    assertThat(DriftState.untilDue(once, HOUR, Optional.empty(), RETRY, NOW)).contains(RETRY);
    assertThat(DriftState.untilDue(thrice, HOUR, Optional.empty(), RETRY, NOW)).contains(Duration.ofMinutes(4));
    assertThat(DriftState.untilDue(many, HOUR, Optional.empty(), RETRY, NOW)).contains(HOUR);
    assertThat(DriftState.conditionReason(once)).isEqualTo("DetectionFailed");
  }

  @Test
  void aCompletedDetectionRecordsItsResultAndABoundedList() {
    DriftStatus running = DriftStatus.notChecked().started("detection-3", "2026-11-28T11:58:00Z", null, null, false);
    var drifted = new ResourceDrift("ProcessingTable", "AWS::DynamoDB::Table", "MODIFIED",
        List.of(new ResourceDrift.Difference("/ProvisionedThroughput/ReadCapacityUnits", "5", "7", "NOT_EQUAL")));

    DriftStatus after = DriftState.observed(running, new Observation.Drift.Completed("DRIFTED",
        Instant.parse("2026-11-28T11:59:00Z"), 1, List.of(drifted)), NOW);

    assertThat(after.status()).isEqualTo("DRIFTED");
    assertThat(after.detectionStatus()).isEqualTo(DriftState.COMPLETE);
    assertThat(after.lastCheckTime()).isEqualTo("2026-11-28T11:59:00Z");
    assertThat(after.message()).isEqualTo("1 resource(s) differ from the template: ProcessingTable MODIFIED"
        + " (/ProvisionedThroughput/ReadCapacityUnits)");
    assertThat(DriftState.conditionStatus(after)).isEqualTo("True");
    assertThat(DriftState.untilDue(after, HOUR, Optional.empty(), RETRY, NOW)).contains(Duration.ofMinutes(58));
  }

  @Test
  void aFailedDetectionIsTriedAgainInTheNextIntervalNotSooner() {
    DriftStatus running = DriftStatus.notChecked().started("detection-4", "2026-11-28T11:58:00Z", null, null, false);

    DriftStatus failed = DriftState.observed(running, new Observation.Drift.Failed("Access denied"), NOW);

    assertThat(failed.status()).isEqualTo("UNKNOWN");
    assertThat(failed.message()).contains("Access denied", "next interval");
    assertThat(DriftState.untilDue(failed, HOUR, Optional.empty(), RETRY, NOW)).contains(Duration.ofMinutes(58));
  }

  @Test
  void aLargeDriftIsBoundedInTheStatus() {
    List<ResourceDrift.Difference> many = IntStream.range(0, 30)
        .mapToObj(i -> new ResourceDrift.Difference("/Tags/" + i, "x".repeat(1000), "y", "NOT_EQUAL"))
        .toList();

    var bounded = DriftState.bounded(new ResourceDrift("ProcessedDataBucket", "AWS::S3::Bucket", "MODIFIED", many));

    assertThat(bounded.differences()).hasSize(DriftState.MAX_DIFFERENCES);
    assertThat(bounded.differences().get(0).expected()).hasSize(DriftState.MAX_VALUE_LENGTH).endsWith("...");
    assertThat(bounded.differences().get(0).actual()).isEqualTo("y");
  }
}
