package io.serverlessdata.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.DriftRemediation;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.cloudformation.ResourceDrift;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DriftTrackerTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final String CHANGE_SET = "sds-g3-0123456789abcdef";

  private static DriftStatus checked(String status, String at, String detectionId) {
    return new DriftStatus(status, at, detectionId, "DETECTION_COMPLETE", null, 0, List.of(), "2026-11-28T09:00");
  }

  @Test
  void aDetectionIsDueAtOnceWhenNoneDescribesTheStackThenOncePerInterval() {
    assertThat(DriftTracker.untilDue(DriftStatus.notChecked(), HOUR, Optional.empty(), NOW)).isZero();
    assertThat(DriftTracker.untilDue(checked("IN_SYNC", "2026-11-28T11:40:00Z", "d-1"), HOUR, Optional.empty(), NOW))
        .isEqualTo(Duration.ofMinutes(40));
    assertThat(DriftTracker.untilDue(checked("IN_SYNC", "2026-11-28T10:00:00Z", "d-1"), HOUR, Optional.empty(), NOW)).isZero();
    assertThat(DriftTracker.untilDue(checked("DRIFTED", "2026-11-28T11:59:00Z", null), HOUR, Optional.empty(), NOW))
        .as("after a revert, a new detection confirms at once").isZero();
  }

  @Test
  void theOperatorsDefaultIntervalAppliesOnlyWhereTheSpecSetsNone() {
    var silent = OperatorHarness.stack("orders", "orders-prod");
    var explicit = OperatorHarness.stack("billing", "billing-prod");
    var s = explicit.getSpec();
    explicit.setSpec(new io.serverlessdata.operator.api.ServerlessDataStackSpec(s.resourcePrefix(),
        s.dynamoDbReadCapacity(), s.dynamoDbWriteCapacity(), s.alertEmail(), s.environment(), s.tags(), s.stackName(),
        s.lambda(), s.api(), s.logRetentionDays(), s.dataRetention(), s.objectLock(),
        new io.serverlessdata.operator.api.ServerlessDataStackSpec.DriftDetectionSpec(60, null), s.alerts(),
        s.exportTo(), s.cloudFormation()));
    Optional<Duration> operatorDefault = Optional.of(Duration.ofMinutes(15));

    assertThat(DriftTracker.interval(silent, HOUR, operatorDefault)).isEqualTo(Duration.ofMinutes(15));
    assertThat(DriftTracker.interval(silent, HOUR, Optional.empty())).isEqualTo(HOUR);
    assertThat(DriftTracker.interval(explicit, HOUR, operatorDefault)).as("the spec's own 60 wins").isEqualTo(HOUR);
  }

  @Test
  void eachNewValueOfTheCheckDriftAnnotationAsksForOneDetectionNow() {
    DriftStatus recent = checked("IN_SYNC", "2026-11-28T11:59:00Z", "d-1");

    assertThat(DriftTracker.untilDue(recent, HOUR, Optional.of("2026-11-28T12:00"), NOW)).isZero();
    assertThat(DriftTracker.untilDue(recent, HOUR, Optional.of("2026-11-28T09:00"), NOW))
        .as("a request already acted on").isEqualTo(Duration.ofMinutes(59));
  }

  @Test
  void revertIsAskedForOnlyWithRevertOnADriftOfTheCurrentSpecUntilItConcluded() {
    ServerlessDataStackStatus status = new ServerlessDataStackStatus();
    status.setSpecHash("hash");
    status.setDrift(checked("DRIFTED", "2026-11-28T11:00:00Z", "5b1f2a9c-0000-4000-8000-000000000000"));

    assertThat(DriftTracker.revertChangeSet(status, DriftRemediation.Revert, false, "hash", CHANGE_SET))
        .contains(CHANGE_SET + "-revert-5b1f2a9c");
    assertThat(DriftTracker.revertChangeSet(status, DriftRemediation.None, false, "hash", CHANGE_SET)).isEmpty();
    assertThat(DriftTracker.revertChangeSet(status, DriftRemediation.Revert, true, "hash", CHANGE_SET))
        .as("read-only changes nothing").isEmpty();
    assertThat(DriftTracker.revertChangeSet(status, DriftRemediation.Revert, false, "new-spec", CHANGE_SET))
        .as("a new spec is planned first").isEmpty();

    status.setLastChangeSet(new ChangeSetStatus(CHANGE_SET + "-revert-5b1f2a9c", "CREATE_COMPLETE", "AVAILABLE",
        List.of()));
    assertThat(DriftTracker.revertChangeSet(status, DriftRemediation.Revert, false, "hash", CHANGE_SET)).isPresent();
    status.setLastChangeSet(new ChangeSetStatus(CHANGE_SET + "-revert-5b1f2a9c", "FAILED", "UNAVAILABLE", List.of()));
    assertThat(DriftTracker.revertChangeSet(status, DriftRemediation.Revert, false, "hash", CHANGE_SET))
        .as("a revert that could change nothing is not tried again for the same detection").isEmpty();

    status.setDrift(checked("IN_SYNC", "2026-11-28T11:00:00Z", "d-2"));
    assertThat(DriftTracker.revertChangeSet(status, DriftRemediation.Revert, false, "hash", CHANGE_SET)).isEmpty();
  }

  @Test
  void aLargeDriftIsBoundedInTheStatus() {
    List<ResourceDrift.Difference> many = IntStream.range(0, 30)
        .mapToObj(i -> new ResourceDrift.Difference("/Tags/" + i, "x".repeat(1000), "y", "NOT_EQUAL"))
        .toList();

    var bounded = DriftTracker.bounded(new ResourceDrift("ProcessedDataBucket", "AWS::S3::Bucket", "MODIFIED", many));

    assertThat(bounded.differences()).hasSize(DriftTracker.MAX_DIFFERENCES);
    assertThat(bounded.differences().get(0).expected()).hasSize(DriftTracker.MAX_VALUE_LENGTH).endsWith("...");
    assertThat(bounded.differences().get(0).actual()).isEqualTo("y");
  }
}
