package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.TokenAlreadyExistsException;

/**
 * Client request tokens: a repeat of the same call is a retry; the same token for another request on a stack of
 * that name is refused. And what a stack shows before its CREATE change set runs.
 */
class ClientTokensTest {

  private final SimulatorFixture fixture = new SimulatorFixture();
  private final CloudFormationSimulator simulator = fixture.simulator;

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void aRepeatedExecuteWithTheSameTokenIsARetryThatStartsNoSecondOperation() {
    fixture.plan("orders", "create-1", ChangeSetType.CREATE, SimulatorFixture.template("Orders", 5), Map.of());
    fixture.client.executeChangeSet(r -> r.stackName("orders").changeSetName("create-1").clientRequestToken("exec-1"));
    fixture.advance(SimulatorFixture.TIMINGS.create());

    fixture.client.executeChangeSet(r -> r.stackName("orders").changeSetName("create-1").clientRequestToken("exec-1"));

    assertThat(fixture.describe("orders").stackStatusAsString()).isEqualTo("CREATE_COMPLETE");
    assertThat(userInitiated("orders")).isEqualTo(2);
  }

  @Test
  void theSameTokenForAnotherChangeSetIsRefusedAndExecutesNothing() {
    fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.update("orders", "update-1", SimulatorFixture.template("Orders", 6), "exec-x");
    fixture.plan("orders", "update-2", ChangeSetType.UPDATE, SimulatorFixture.template("Orders", 7), Map.of());

    assertThatThrownBy(() -> fixture.client.executeChangeSet(r -> r.stackName("orders").changeSetName("update-2")
        .clientRequestToken("exec-x")))
        .isInstanceOfSatisfying(TokenAlreadyExistsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorMessage()).contains("exec-x", "ExecuteChangeSet");
        });
    assertThat(fixture.client.describeChangeSet(r -> r.stackName("orders").changeSetName("update-2"))
        .executionStatusAsString()).isEqualTo("AVAILABLE");
  }

  @Test
  void aRepeatedDeleteWithItsTokenIsARetryButTheTokenOfTheLastIncarnationIsRefused() {
    String first = fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.client.deleteStack(r -> r.stackName("orders").clientRequestToken("delete-orders"));
    fixture.client.deleteStack(r -> r.stackName("orders").clientRequestToken("delete-orders"));
    fixture.advance(SimulatorFixture.TIMINGS.delete());
    fixture.client.deleteStack(r -> r.stackName(first).clientRequestToken("delete-orders"));
    String second = fixture.create("orders", SimulatorFixture.template("Orders", 5));

    assertThatThrownBy(() -> fixture.client.deleteStack(r -> r.stackName("orders")
        .clientRequestToken("delete-orders")))
        .isInstanceOfSatisfying(TokenAlreadyExistsException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .contains("DeleteStack", first));
    fixture.client.deleteStack(r -> r.stackName("orders").clientRequestToken("delete-orders-2"));

    assertThat(userInitiatedWith(first, "DELETE_IN_PROGRESS")).isEqualTo(1);
    assertThat(fixture.describe(first).stackStatusAsString()).isEqualTo("DELETE_COMPLETE");
    assertThat(fixture.describe(second).stackStatusAsString()).isEqualTo("DELETE_IN_PROGRESS");
  }

  @Test
  void continueUpdateRollbackCarriesItsTokenOnItsEventsAndARetryContinuesNothingTwice() {
    fixture.create("orders", SimulatorFixture.template("Orders", 5));
    simulator.failResource("Table", "Throughput change rejected");
    simulator.failNextRollback();
    fixture.update("orders", "update-1", SimulatorFixture.template("Orders", 6), "exec-1");
    fixture.advance(SimulatorFixture.TIMINGS.rollback());
    assertThat(fixture.describe("orders").stackStatusAsString()).isEqualTo("UPDATE_ROLLBACK_FAILED");

    fixture.client.continueUpdateRollback(r -> r.stackName("orders").clientRequestToken("continue-1"));
    fixture.client.continueUpdateRollback(r -> r.stackName("orders").clientRequestToken("continue-1"));
    fixture.advance(SimulatorFixture.TIMINGS.rollback().plus(SimulatorFixture.TIMINGS.cleanup()));

    StackEvent newest = fixture.client.describeStackEvents(r -> r.stackName("orders")).stackEvents().get(0);
    assertThat(newest.resourceStatusAsString()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertThat(newest.clientRequestToken()).isEqualTo("continue-1");
    assertThat(userInitiatedWith("orders", "UPDATE_ROLLBACK_IN_PROGRESS")).isEqualTo(1);
  }

  @Test
  void aRepeatedCreateChangeSetWithItsClientTokenFindsTheChangeSetItMadeAndWithoutItIsRefused() {
    String template = SimulatorFixture.template("Orders", 5);
    String id = fixture.client.createChangeSet(r -> r.stackName("orders").changeSetName("create-1")
        .changeSetType(ChangeSetType.CREATE).templateBody(template).clientToken("plan-1")).id();

    String again = fixture.client.createChangeSet(r -> r.stackName("orders").changeSetName("create-1")
        .changeSetType(ChangeSetType.CREATE).templateBody(template).clientToken("plan-1")).id();

    assertThat(again).isEqualTo(id);
    assertThat(simulator.changeSetsCreated()).isEqualTo(1);
    assertThatThrownBy(() -> fixture.client.createChangeSet(r -> r.stackName("orders").changeSetName("create-1")
        .changeSetType(ChangeSetType.CREATE).templateBody(template)))
        .isInstanceOf(software.amazon.awssdk.services.cloudformation.model.AlreadyExistsException.class);
  }

  @Test
  void aStackUnderReviewShowsNoTagsOutputsOrParametersUntilItsChangeSetRuns() {
    String id = fixture.plan("orders", "create-1", ChangeSetType.CREATE, SimulatorFixture.template("Orders", 5),
        Map.of("serverlessdata.io/owner", "team-a/orders")).stackId();

    Stack review = fixture.describe("orders");

    assertThat(review.stackId()).isEqualTo(id);
    assertThat(review.stackStatusAsString()).isEqualTo("REVIEW_IN_PROGRESS");
    assertThat(review.creationTime()).isEqualTo(SimulatorFixture.START);
    assertThat(review.tags()).isEmpty();
    assertThat(review.outputs()).isEmpty();
    assertThat(review.parameters()).isEmpty();
    assertThat(review.enableTerminationProtection()).isFalse();
    assertThat(review.driftInformation().stackDriftStatusAsString()).isEqualTo("NOT_CHECKED");

    fixture.client.executeChangeSet(r -> r.stackName("orders").changeSetName("create-1"));

    assertThat(fixture.describe("orders").tags()).singleElement()
        .satisfies(t -> assertThat(t.value()).isEqualTo("team-a/orders"));
  }

  private long userInitiated(String stack) {
    return fixture.client.describeStackEvents(r -> r.stackName(stack)).stackEvents().stream()
        .filter(e -> "User Initiated".equals(e.resourceStatusReason())).count();
  }

  private long userInitiatedWith(String stack, String status) {
    return fixture.client.describeStackEvents(r -> r.stackName(stack)).stackEvents().stream()
        .filter(e -> "User Initiated".equals(e.resourceStatusReason()) && status.equals(e.resourceStatusAsString()))
        .count();
  }
}
