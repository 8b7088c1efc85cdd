package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.PassFixture.NOW;
import static io.serverlessdata.operator.reconciler.PassFixture.STACK_ID;
import static io.serverlessdata.operator.reconciler.PassFixture.UID;
import static io.serverlessdata.operator.reconciler.PassFixture.drivenTo;
import static io.serverlessdata.operator.reconciler.PassFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.cloudformation.AccountData;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.DriftDetection;
import io.serverlessdata.operator.cloudformation.DriftInformation;
import io.serverlessdata.operator.cloudformation.ResourceDrift;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import io.serverlessdata.operator.cloudformation.StackPage;
import io.serverlessdata.operator.cloudformation.StackStatus;
import io.serverlessdata.operator.cloudformation.StackSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which AWS calls a pass makes, from what the listing and the status already know. */
class StackObserverTest {

  /** Answers reads from fixed values and records every call; a write fails the test. */
  private static final class Reads extends RefusingStackOperations {
    final List<String> calls = new ArrayList<>();
    Optional<Stack> stack = Optional.empty();
    Optional<ChangeSet> computed = Optional.empty();
    DriftDetection detection;

    Reads() {
      super("the observer writes nothing");
    }

    @Override
    public Optional<Stack> describe(String name) {
      calls.add("DescribeStacks");
      // by name, or by the id of that incarnation only (as DescribeStacks answers)
      return stack.filter(s -> s.name().equals(name) || s.id().equals(name));
    }

    @Override
    public StackPage listStacks(Set<StackStatus> statuses, Optional<String> nextToken) {
      calls.add("ListStacks");
      return new StackPage(List.of(), Optional.empty());
    }

    @Override
    public ChangeSet describeChangeSet(String stack, String changeSet) {
      calls.add("DescribeChangeSet");
      return computed.orElseThrow(() -> new AssertionError("no change set is pending"));
    }

    @Override
    public List<StackEvent> currentOperationFailures(String stackId, int max) {
      calls.add("DescribeStackEvents");
      return List.of();
    }

    @Override
    public DriftDetection driftDetection(String detectionId) {
      calls.add("DescribeStackDriftDetectionStatus");
      return detection;
    }

    @Override
    public List<ResourceDrift> resourceDrifts(String stackId, int max) {
      calls.add("DescribeStackResourceDrifts");
      return List.of(new ResourceDrift("ProcessorFunction", "AWS::Lambda::Function", "MODIFIED", List.of()));
    }
  }

  private final Reads aws = new Reads();
  private final StackObserver observer = new StackObserver(aws, new NoAccountData(), Duration.ofMinutes(5),
      Duration.ofSeconds(10));

  /** No import is planned in these tests: reading a table's or bucket's tags fails them. */
  private static final class NoAccountData implements AccountData {
    @Override
    public String accountId() {
      return "123456789012";
    }

    @Override
    public Optional<Map<String, String>> tableTags(String tableName) {
      throw new AssertionError("no import is planned");
    }

    @Override
    public Optional<Map<String, String>> bucketTags(String bucketName) {
      throw new AssertionError("no import is planned");
    }
  }

  private static StackSummary summary(String status, Instant changed, DriftInformation drift) {
    return new StackSummary("team-a-orders", STACK_ID, StackStatus.of(status), Optional.empty(), Instant.EPOCH,
        Optional.of(changed), Optional.empty(), drift);
  }

  /** The status of a stack driven to the current spec, as last seen when it changed at {@code changed}. */
  private static ServerlessDataStackStatus recorded(Instant changed) {
    ServerlessDataStackStatus status = drivenTo(target(2, PassFixture.plain()).hash(), "UPDATE_COMPLETE");
    status.setStackLastUpdatedTime(changed.toString());
    return status;
  }

  @Test
  void aStackAsTheStatusDescribesItCostsNoCall() {
    Instant changed = Instant.parse("2026-11-28T11:00:00.123Z");

    Observation seen = observer.observe(target(2, PassFixture.plain()), new Prior(recorded(changed)),
        Optional.of(summary("UPDATE_COMPLETE", changed, DriftInformation.NOT_CHECKED)), false, NOW);

    assertThat(aws.calls).isEmpty();
    assertThat(seen.stack()).isPresent();
    assertThat(seen.described()).isEmpty();
  }

  @Test
  void aStackThatChangedIsDescribedForItsOutputsAndAMovingOneIsNot() {
    Instant before = Instant.parse("2026-11-28T11:00:00.123Z");
    Instant after = Instant.parse("2026-11-28T11:05:00.456Z");
    aws.stack = Optional.of(new Stack("team-a-orders", STACK_ID, StackStatus.UPDATE_COMPLETE, Optional.empty(),
        Map.of("ApiEndpoint", "https://e"), Map.of(), Map.of(), true, Instant.EPOCH, Optional.of(after),
        DriftInformation.NOT_CHECKED));

    observer.observe(target(2, PassFixture.plain()), new Prior(recorded(before)),
        Optional.of(summary("UPDATE_IN_PROGRESS", after, DriftInformation.NOT_CHECKED)), false, NOW);
    assertThat(aws.calls).isEmpty();

    Observation settled = observer.observe(target(2, PassFixture.plain()), new Prior(recorded(before)),
        Optional.of(summary("UPDATE_COMPLETE", after, DriftInformation.NOT_CHECKED)), false, NOW);
    assertThat(aws.calls).containsExactly("DescribeStacks");
    assertThat(settled.described()).get().extracting(Stack::outputs).isEqualTo(Map.of("ApiEndpoint", "https://e"));
  }

  @Test
  void aNewSpecGenerationDescribesTheStackOnce() {
    Instant changed = Instant.parse("2026-11-28T11:00:00Z");
    aws.stack = Optional.of(PassFixture.described("UPDATE_COMPLETE", UID, true));

    observer.observe(target(3, PassFixture.plain()), new Prior(recorded(changed)),
        Optional.of(summary("UPDATE_COMPLETE", changed, DriftInformation.NOT_CHECKED)), false, NOW);

    assertThat(aws.calls).containsExactly("DescribeStacks");
  }

  @Test
  void aSpecNotPlannedYetDescribesTheStackForTheParametersItsPlanChanges() {
    Instant changed = Instant.parse("2026-11-28T11:00:00Z");
    aws.stack = Optional.of(PassFixture.described("UPDATE_COMPLETE", UID, true));
    // the same generation, rendered differently (an operator upgrade)
    ServerlessDataStackStatus before = recorded(changed);
    before.setSpecHash("hash-of-the-earlier-operator");

    observer.observe(target(2, PassFixture.plain()), new Prior(before),
        Optional.of(summary("UPDATE_COMPLETE", changed, DriftInformation.NOT_CHECKED)), false, NOW);

    assertThat(aws.calls).containsExactly("DescribeStacks");
  }

  @Test
  void aSummaryOfAnEarlierIncarnationIsNotTakenForTheStackTheStatusRecorded() {
    // a resource deleted and created again under its name: the listing still has the old resource's deleted stack
    String newId = STACK_ID.replace("/1", "/2");
    aws.stack = Optional.of(new Stack("team-a-orders", newId, StackStatus.REVIEW_IN_PROGRESS, Optional.empty(),
        Map.of(), Map.of(), Map.of(), false, NOW, Optional.empty(), DriftInformation.NOT_CHECKED));
    ServerlessDataStackStatus created = new ServerlessDataStackStatus();
    created.setStackId(newId);
    created.setStackStatus("REVIEW_IN_PROGRESS");

    Observation seen = observer.observe(target(1, PassFixture.plain()), new Prior(created),
        Optional.of(summary("DELETE_COMPLETE", Instant.parse("2026-11-28T11:00:00Z"), DriftInformation.NOT_CHECKED)),
        false, NOW);

    assertThat(aws.calls).containsExactly("DescribeStacks");
    assertThat(seen.stack()).hasValueSatisfying(s -> assertThat(s.id()).isEqualTo(newId));
  }

  @Test
  void aComputedChangeSetRecordedWithoutItsChangesIsDescribedBeforeAnythingIsDecided() {
    Instant changed = Instant.parse("2026-11-28T11:00:00Z");
    ServerlessDataStackStatus found = recorded(changed);
    // what a plan records when CloudFormation says the change set exists already: computed, changes not read
    found.setLastChangeSet(PassFixture.recorded("sds-g2-abc", "CREATE_COMPLETE", null, "AVAILABLE"));
    ChangeSet described = new ChangeSet("team-a-orders", STACK_ID, "sds-g2-abc", "arn:cs/sds-g2-abc",
        "CREATE_COMPLETE", Optional.empty(), "AVAILABLE", List.of(new io.serverlessdata.operator.cloudformation.Change(
            "Modify", "ProcessingTable", "AWS::DynamoDB::Table", Optional.of("False"))));
    aws.computed = Optional.of(described);

    Observation seen = observer.observe(target(2, PassFixture.plain()), new Prior(found),
        Optional.of(summary("UPDATE_COMPLETE", changed, DriftInformation.NOT_CHECKED)), false, NOW);

    assertThat(aws.calls).containsExactly("DescribeChangeSet");
    assertThat(seen.changeSet()).contains(described);
  }

  @Test
  void aResourceWithoutAStackThatTheListingKnowsAbsentCostsNoCall() {
    Observation seen = observer.observe(target(1, PassFixture.plain()), new Prior(new ServerlessDataStackStatus()),
        Optional.empty(), true, NOW);

    assertThat(aws.calls).isEmpty();
    assertThat(seen.stack()).isEmpty();
  }

  @Test
  void aDetectionCompletesWhenTheStackShowsALaterCheckToTheMillisecond() {
    Instant changed = Instant.parse("2026-11-28T11:00:00Z");
    Instant firstCheck = Instant.parse("2026-11-28T11:30:00.587Z");
    ServerlessDataStackStatus running = recorded(changed);
    running.setDrift(DriftStatus.notChecked()
        .started("detection-2", "2026-11-28T11:59:00Z", null, firstCheck.toString(), false));

    Observation.Drift same = observer.observe(target(2, PassFixture.plain()), new Prior(running),
        Optional.of(summary("UPDATE_COMPLETE", changed, new DriftInformation("DRIFTED", Optional.of(firstCheck)))),
        false, NOW).drift();
    assertThat(same).as("the previous detection's check, not this one's").isInstanceOf(Observation.Drift.Unchanged.class);
    assertThat(aws.calls).isEmpty();

    Observation.Drift later = observer.observe(target(2, PassFixture.plain()), new Prior(running),
        Optional.of(summary("UPDATE_COMPLETE", changed,
            new DriftInformation("DRIFTED", Optional.of(firstCheck.plusMillis(1))))), false, NOW).drift();
    assertThat(later).isInstanceOf(Observation.Drift.Completed.class);
    assertThat(aws.calls).containsExactly("DescribeStackResourceDrifts");
  }

  @Test
  void aDetectionTheListingDoesNotShowIsAskedAboutOnlyAfterItsTimeout() {
    Instant changed = Instant.parse("2026-11-28T11:00:00Z");
    ServerlessDataStackStatus running = recorded(changed);
    running.setDrift(DriftStatus.notChecked().started("detection-3", NOW.minusSeconds(60).toString(), null, null,
        false));
    aws.detection = new DriftDetection("detection-3", DriftDetection.State.FAILED, "UNKNOWN",
        Optional.of("Access denied"), 0, NOW);
    StackSummary unchecked = summary("UPDATE_COMPLETE", changed, DriftInformation.NOT_CHECKED);

    assertThat(observer.observe(target(2, PassFixture.plain()), new Prior(running), Optional.of(unchecked), false,
        NOW).drift()).isInstanceOf(Observation.Drift.Unchanged.class);
    assertThat(aws.calls).isEmpty();

    Observation.Drift late = observer.observe(target(2, PassFixture.plain()), new Prior(running),
        Optional.of(unchecked), false, NOW.plus(Duration.ofMinutes(5))).drift();
    assertThat(late).isEqualTo(new Observation.Drift.Failed("Access denied"));
    assertThat(aws.calls).containsExactly("DescribeStackDriftDetectionStatus");
  }
}
