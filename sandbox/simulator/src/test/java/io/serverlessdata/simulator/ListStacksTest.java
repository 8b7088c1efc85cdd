package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.ListStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.StackDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.StackSummary;

/** ListStacks and the drift information of DescribeStacks, as the SDK's client reads them. */
class ListStacksTest {

  private final SimulatorFixture fixture = new SimulatorFixture();
  private final CloudFormationSimulator simulator = fixture.simulator;

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void summariesCarryIdsTimesStatusDescriptionAndDriftInformation() {
    String id = fixture.create("orders", SimulatorFixture.template("Orders pipeline", 5));

    StackSummary summary = fixture.client.listStacks().stackSummaries().get(0);

    assertThat(summary.stackId()).isEqualTo(id);
    assertThat(summary.stackName()).isEqualTo("orders");
    assertThat(summary.templateDescription()).isEqualTo("Orders pipeline");
    assertThat(summary.stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(summary.creationTime()).isEqualTo(SimulatorFixture.START);
    assertThat(summary.lastUpdatedTime()).isNull();
    assertThat(summary.deletionTime()).isNull();
    assertThat(summary.driftInformation().stackDriftStatus()).isEqualTo(StackDriftStatus.NOT_CHECKED);
    assertThat(summary.driftInformation().lastCheckTimestamp()).isNull();
  }

  @Test
  void deletedStacksAreListedWithTheirDeletionTimeFor90DaysUnlessFilteredOut() {
    String id = fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.deleteAndWait("orders", "delete-1");
    fixture.create("orders", SimulatorFixture.template("Orders again", 5));

    List<StackSummary> all = fixture.client.listStacks().stackSummaries();
    List<StackSummary> live = fixture.client.listStacks(r -> r.stackStatusFilters(StackStatus.CREATE_COMPLETE,
        StackStatus.UPDATE_COMPLETE)).stackSummaries();

    assertThat(all).extracting(StackSummary::stackStatus)
        .containsExactly(StackStatus.CREATE_COMPLETE, StackStatus.DELETE_COMPLETE);
    assertThat(all.get(1).stackId()).isEqualTo(id);
    assertThat(all.get(1).deletionTime()).isEqualTo(SimulatorFixture.START.plus(Duration.ofSeconds(62 + 40)));
    assertThat(live).singleElement().satisfies(s -> assertThat(s.stackId()).isNotEqualTo(id));
    assertThat(fixture.describe(id).stackStatus()).as("a deleted stack by its id").isEqualTo(StackStatus.DELETE_COMPLETE);

    fixture.advance(Duration.ofDays(90));

    assertThat(fixture.client.listStacks().stackSummaries()).extracting(StackSummary::stackStatus)
        .containsExactly(StackStatus.CREATE_COMPLETE);
    assertThatThrownBy(() -> fixture.describe(id)).isInstanceOfSatisfying(CloudFormationException.class,
        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Stack with id " + id + " does not exist"));
  }

  @Test
  void pagesHoldAHundredSummariesNewestFirstAndTheTokenSurvivesChangesBetweenPages() {
    for (int i = 0; i < 101; i++) {
      fixture.plan("stack-" + i, "create", software.amazon.awssdk.services.cloudformation.model.ChangeSetType.CREATE,
          SimulatorFixture.template("s", 5), java.util.Map.of());
    }

    ListStacksResponse first = fixture.client.listStacks();
    fixture.plan("stack-new", "create", software.amazon.awssdk.services.cloudformation.model.ChangeSetType.CREATE,
        SimulatorFixture.template("s", 5), java.util.Map.of());
    ListStacksResponse second = fixture.client.listStacks(r -> r.nextToken(first.nextToken()));

    assertThat(first.stackSummaries()).hasSize(100);
    assertThat(first.stackSummaries().get(0).stackName()).isEqualTo("stack-100");
    assertThat(first.nextToken()).isNotBlank();
    assertThat(second.stackSummaries()).extracting(StackSummary::stackName).containsExactly("stack-0");
    assertThat(second.nextToken()).isNull();
    assertThat(simulator.calls("ListStacks")).isEqualTo(2);
  }

  @Test
  void aSmallerPageSizeIsForTestsAndTheSdkPaginatorReadsEveryPage() {
    simulator.listStacksPageSize(2);
    for (int i = 0; i < 5; i++) {
      fixture.create("stack-" + i, SimulatorFixture.template("s", 5));
    }
    simulator.resetCalls();

    List<String> names = new ArrayList<>();
    fixture.client.listStacksPaginator(r -> r.stackStatusFilters(StackStatus.CREATE_COMPLETE)).stackSummaries()
        .forEach(s -> names.add(s.stackName()));

    assertThat(names).containsExactly("stack-4", "stack-3", "stack-2", "stack-1", "stack-0");
    assertThat(simulator.calls("ListStacks")).isEqualTo(3);
  }

  @Test
  void anUnknownStatusFilterOrAForeignTokenIsAValidationError() {
    assertThatThrownBy(() -> fixture.client.listStacks(r -> r.stackStatusFiltersWithStrings("DONE")))
        .isInstanceOfSatisfying(CloudFormationException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
          assertThat(e.awsErrorDetails().errorMessage()).contains("'stackStatusFilter'", "REVIEW_IN_PROGRESS");
        });
    assertThatThrownBy(() -> fixture.client.listStacks(r -> r.nextToken(PageTokens.of("DescribeStackEvents", 3))))
        .isInstanceOfSatisfying(CloudFormationException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
  }

  @Test
  void listStacksIsCountedAndThrottledByTheAccountRateLimitLikeAnyOtherCall() {
    simulator.limitRate(1, 1);

    fixture.client.listStacks();
    assertThatThrownBy(() -> fixture.client.listStacks()).isInstanceOfSatisfying(CloudFormationException.class,
        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling"));

    assertThat(simulator.calls("ListStacks")).isEqualTo(2);
    assertThat(simulator.throttledByRateLimit()).isEqualTo(1);
  }

  @Test
  void aDetectionTakesTimeAndTheLastCheckMovesExactlyWhenItCompletes() {
    fixture.create("orders", SimulatorFixture.template("Orders", 5));
    simulator.driftProperty("orders", "Table", "ProvisionedThroughput.ReadCapacityUnits", java.util.Optional.of("9"));
    java.time.Instant started = fixture.clock.instant();
    String detection = fixture.client.detectStackDrift(r -> r.stackName("orders")).stackDriftDetectionId();
    Duration takes = SimulatorFixture.TIMINGS.driftDetection();

    fixture.advance(takes.minusMillis(1));
    assertThat(summary().driftInformation().stackDriftStatus()).isEqualTo(StackDriftStatus.NOT_CHECKED);
    assertThat(summary().driftInformation().lastCheckTimestamp()).isNull();
    assertThat(fixture.client.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(detection))
        .detectionStatusAsString()).isEqualTo("DETECTION_IN_PROGRESS");

    fixture.advance(Duration.ofMillis(1));
    assertThat(summary().driftInformation().stackDriftStatus()).isEqualTo(StackDriftStatus.DRIFTED);
    assertThat(summary().driftInformation().lastCheckTimestamp()).as("when the detection was initiated")
        .isEqualTo(started);
    assertThat(fixture.describe("orders").driftInformation().stackDriftStatus()).isEqualTo(StackDriftStatus.DRIFTED);
    assertThat(fixture.describe("orders").driftInformation().lastCheckTimestamp()).isEqualTo(started);
    assertThat(fixture.client.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(detection)).timestamp())
        .isEqualTo(started);
  }

  @Test
  void aFailedDetectionLeavesTheDriftStatusUnknownAndStillMovesTheLastCheck() {
    fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.client.detectStackDrift(r -> r.stackName("orders"));
    fixture.advance(SimulatorFixture.TIMINGS.driftDetection());
    assertThat(summary().driftInformation().stackDriftStatus()).isEqualTo(StackDriftStatus.IN_SYNC);

    simulator.failNextDriftDetection("Internal Failure");
    java.time.Instant started = fixture.clock.instant();
    fixture.client.detectStackDrift(r -> r.stackName("orders"));
    fixture.advance(SimulatorFixture.TIMINGS.driftDetection());

    assertThat(summary().driftInformation().stackDriftStatus()).isEqualTo(StackDriftStatus.UNKNOWN);
    assertThat(summary().driftInformation().lastCheckTimestamp()).isEqualTo(started);
  }

  private StackSummary summary() {
    return fixture.client.listStacks().stackSummaries().get(0);
  }
}
