package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.reason;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static io.serverlessdata.operator.reconciler.OperatorHarness.synced;
import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.DriftRemediation;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.template.DataRetention;
import io.serverlessdata.simulator.Timings;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status follows the stack through the account's listing alone (docs/architecture.md, "Observation"): a stack
 * that finishes, fails, is deleted out of band or drifts is shown as it is, and no pass describes a stack between
 * two of its changes. Stacks take seconds here (a poller would describe them many times while they move), and a
 * synced resource's own timer is ten minutes away, so that only the listing can start the passes that show a change.
 */
class ObservationIT {

  private static final StackListing.Pacing LISTING = new StackListing.Pacing(Duration.ofMillis(200),
      Duration.ofSeconds(1), Duration.ZERO);
  /** A detection is asked about directly only after 15 s: the listing shows it completed long before. */
  private static final Duration DETECTION_TIMEOUT = Duration.ofSeconds(15);
  private static final ReconcilerSettings LISTENING = OperatorHarness.PACE.withSteadyInterval(Duration.ofMinutes(10))
      .withListing(LISTING, DETECTION_TIMEOUT);
  private static final Timings SECONDS = new Timings(Duration.ofMillis(100), Duration.ofSeconds(3),
      Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(1));
  private static final String STACK = "team-a-orders";

  private OperatorHarness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  /** Creates orders and waits until its status shows the stack being created. */
  private void createShownMoving() throws Exception {
    harness = new OperatorHarness(LISTENING, SECONDS);
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "shown creating", r -> r.getStatus() != null
        && "CREATE_IN_PROGRESS".equals(r.getStatus().getStackStatus()));
  }

  @Test
  void aCreateIsShownMovingThenCompleteWithOneDescribeAtItsEndForTheOutputs() throws Exception {
    createShownMoving();
    int describes = harness.calls("DescribeStacks");
    int listings = harness.calls("ListStacks");

    ServerlessDataStack created = harness.await("orders", "synced", OperatorHarness::synced);

    assertThat(created.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(created.getStatus().getOutputs()).containsKey("ApiEndpoint");
    assertThat(harness.calls("DescribeStacks") - describes).as("while it moved, none; at its end, one").isEqualTo(1);
    assertThat(harness.calls("ListStacks") - listings).as("the short listings that saw it move").isPositive();
    assertThat(harness.observedChangePasses()).as("passes JOSDK submitted from the listing's delivery, first in line")
        .isPositive();
  }

  @Test
  void whileListStacksFailsAMovingStackIsFollowedByItsOwnPassesUntilItIsShownComplete() throws Exception {
    createShownMoving();

    // ListStacks fails from now on (a service degraded for one API): the resource's timer is ten minutes away
    harness.simulator.failAction("ListStacks", Integer.MAX_VALUE);
    int describes = harness.calls("DescribeStacks");
    ServerlessDataStack created = harness.await("orders", "synced", OperatorHarness::synced);

    assertThat(created.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(created.getStatus().getOutputs()).containsKey("ApiEndpoint");
    assertThat(harness.calls("DescribeStacks") - describes).as("its own passes described it while it moved")
        .isGreaterThan(1);
  }

  @Test
  void aFailedUpdateIsShownRolledBackWithItsFailureReadOnce() throws Exception {
    harness = new OperatorHarness(LISTENING, SECONDS);
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    harness.simulator.failResource("ProcessingTable", "Throughput change rejected");

    harness.edit("orders", r -> withSpec(r, 9, null));
    harness.await("orders", "shown updating", r -> Set.of("UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS")
        .contains(r.getStatus().getStackStatus()));
    int describes = harness.calls("DescribeStacks");
    ServerlessDataStack rolledBack = harness.await("orders", "rolled back",
        r -> reason(r, ConditionTypes.SYNCED).filter("UpdateRolledBack"::equals).isPresent());

    assertThat(rolledBack.getStatus().getStackStatus()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertThat(rolledBack.getStatus().getFailures()).anySatisfy(f -> {
      assertThat(f.logicalId()).isEqualTo("ProcessingTable");
      assertThat(f.reason()).contains("Throughput change rejected");
    });
    assertThat(harness.calls("DescribeStacks") - describes).as("one, when it settled").isEqualTo(1);
    assertThat(harness.calls("DescribeStackEvents")).as("the failure, read once").isEqualTo(1);
  }

  @Test
  void aStackDeletedOutOfBandIsNoticedByTheListingAndCreatedAgain() throws Exception {
    harness = new OperatorHarness(LISTENING, SECONDS);
    // the data goes with the stack: retained tables and buckets would be in the way of the new create (issue 14)
    harness.create(withSpec(stack("orders", "orders-prod"), 5, DataRetention.Delete));
    String first = harness.await("orders", "synced and checked", r -> synced(r) && r.getStatus().getDrift() != null
        && "IN_SYNC".equals(r.getStatus().getDrift().status())).getStatus().getStackId();
    harness.simulator.resetCalls();

    harness.simulator.deleteOutOfBand(STACK);
    // the resource's own timer is minutes away: only the listing's event can start the pass that notices
    ServerlessDataStack noticed = harness.await("orders", "noticed",
        r -> r.getStatus().getStackId() != null && !first.equals(r.getStatus().getStackId()));

    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning StackDeletedOutOfBand"));
    assertThat(harness.calls("ListStacks")).isPositive();
    assertThat(harness.calls("DescribeStackDriftDetectionStatus")).isZero();
    harness.await("orders", "created again", r -> synced(r) && noticed.getStatus().getStackId()
        .equals(r.getStatus().getStackId()) && "CREATE_COMPLETE".equals(r.getStatus().getStackStatus()));
  }

  @Test
  void aStackThatDriftsIsReportedWhenTheListingShowsItsDetectionCompleted() throws Exception {
    // the drift schedule needs passes on the operator's (moved) clock: the harness's steady interval of 2 s
    harness = new OperatorHarness(OperatorHarness.PACE.withListing(LISTING, DETECTION_TIMEOUT), SECONDS);
    harness.create(withDrift(stack("orders", "orders-prod"), 30));
    harness.await("orders", "in sync", r -> r.getStatus() != null && r.getStatus().getDrift() != null
        && "IN_SYNC".equals(r.getStatus().getDrift().status()));
    harness.simulator.resetCalls();

    harness.simulator.driftProperty(STACK, "ProcessingTable", "ProvisionedThroughput.ReadCapacityUnits",
        Optional.of("7"));
    harness.clock.advance(Duration.ofMinutes(30));
    ServerlessDataStack drifted = harness.await("orders", "drifted", r -> r.getStatus().getDrift() != null
        && "DRIFTED".equals(r.getStatus().getDrift().status()));

    assertThat(drifted.getStatus().getDrift().driftedResources()).singleElement()
        .satisfies(d -> assertThat(d.logicalId()).isEqualTo("ProcessingTable"));
    assertThat(harness.calls("DetectStackDrift")).isEqualTo(1);
    assertThat(harness.calls("DescribeStackDriftDetectionStatus")).as("the listing showed it completed").isZero();
    assertThat(harness.calls("DescribeStackResourceDrifts")).isEqualTo(1);
    assertThat(harness.calls("DescribeStacks")).as("the stack itself did not change").isZero();
  }

  private static ServerlessDataStack withSpec(ServerlessDataStack resource, int read, DataRetention retention) {
    ServerlessDataStackSpec s = resource.getSpec();
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), read, s.dynamoDbWriteCapacity(), s.alertEmail(),
        s.environment(), s.tags(), s.stackName(), s.lambda(), s.api(), s.logRetentionDays(),
        retention != null ? retention : s.dataRetention(), s.objectLock(), s.driftDetection(), s.alerts(),
        s.exportTo(), s.cloudFormation()));
    return resource;
  }

  private static ServerlessDataStack withDrift(ServerlessDataStack resource, int minutes) {
    ServerlessDataStackSpec s = resource.getSpec();
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), s.dynamoDbReadCapacity(),
        s.dynamoDbWriteCapacity(), s.alertEmail(), s.environment(), s.tags(), s.stackName(), s.lambda(), s.api(),
        s.logRetentionDays(), s.dataRetention(), s.objectLock(),
        new ServerlessDataStackSpec.DriftDetectionSpec(minutes, DriftRemediation.None), s.alerts(), s.exportTo(),
        s.cloudFormation()));
    return resource;
  }
}
