package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The changes a listener of {@link CloudFormationSimulator#onStackChange} is told of, at the times they took effect. */
class StackChangesTest {

  private final SimulatorFixture fixture = new SimulatorFixture();
  private final List<StackChange> changes = new CopyOnWriteArrayList<>();

  StackChangesTest() {
    fixture.simulator.onStackChange(changes::add);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void everyStatusOfACreateIsReportedAtTheTimeItWasDueNotWhenARequestMadeItVisible() {
    Timings t = SimulatorFixture.TIMINGS;
    String id = fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.advance(Duration.ofMinutes(10));
    fixture.describe("orders");

    Instant executed = SimulatorFixture.START.plus(t.changeSet());
    assertThat(changes).containsExactly(
        new StackChange("orders", id, "REVIEW_IN_PROGRESS", Optional.empty(), SimulatorFixture.START),
        new StackChange("orders", id, "CREATE_IN_PROGRESS", Optional.empty(), executed),
        new StackChange("orders", id, "CREATE_COMPLETE", Optional.empty(), executed.plus(t.create())));
  }

  @Test
  void aFinishedDriftDetectionIsReportedWithItsLastCheckTimeAndAnOutOfBandDeletionAtOnce() {
    String id = fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.describe("orders");
    changes.clear();
    Instant started = fixture.clock.instant();
    fixture.client.detectStackDrift(r -> r.stackName("orders"));
    fixture.advance(SimulatorFixture.TIMINGS.driftDetection().plusSeconds(30));
    fixture.describe("orders");
    Instant deleted = fixture.clock.instant();
    fixture.simulator.deleteOutOfBand("orders");

    assertThat(changes).containsExactly(
        new StackChange("orders", id, "CREATE_COMPLETE", Optional.of(started),
            started.plus(SimulatorFixture.TIMINGS.driftDetection())),
        new StackChange("orders", id, "DELETE_IN_PROGRESS", Optional.of(started), deleted),
        new StackChange("orders", id, "DELETE_COMPLETE", Optional.of(started), deleted));
  }

  @Test
  void anUpdateThatFailsReportsItsRollbackStatusesInOrder() {
    String id = fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.simulator.failResource("Table", "Throughput change rejected");
    fixture.describe("orders");
    changes.clear();

    fixture.update("orders", "update-1", SimulatorFixture.template("Orders", 7), "update-1");
    fixture.advance(Duration.ofMinutes(5));
    fixture.describe(id);

    assertThat(changes).extracting(StackChange::status).containsExactly("UPDATE_IN_PROGRESS",
        "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE");
    assertThat(changes).extracting(StackChange::at).isSorted();
  }
}
