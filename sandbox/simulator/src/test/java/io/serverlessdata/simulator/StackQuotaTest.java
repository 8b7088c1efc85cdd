package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;

/** The account's stack quota (cloudformation-limits.html: 2,000 stacks), as the SDK's client sees it. */
class StackQuotaTest {

  private final SimulatorFixture fixture = new SimulatorFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void aNewStackBeyondTheQuotaIsRefusedWhileTheStacksWithinItStayUpdatable() {
    fixture.simulator.stackQuota(2);
    fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.create("billing", SimulatorFixture.template("Billing", 5));

    assertThatThrownBy(() -> fixture.plan("reports", "create-1", ChangeSetType.CREATE,
        SimulatorFixture.template("Reports", 5), Map.of()))
        .isInstanceOfSatisfying(CloudFormationException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceededException");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Limit for stacks has been exceeded");
          assertThat(e.statusCode()).isEqualTo(400);
        });
    assertThat(fixture.client.listStacks().stackSummaries()).as("nothing of the refused stack")
        .extracting(s -> s.stackName()).containsExactlyInAnyOrder("orders", "billing");

    fixture.update("orders", "update-1", SimulatorFixture.template("Orders", 7), "token-1");
    assertThat(fixture.describe("orders").stackStatusAsString()).isEqualTo("UPDATE_COMPLETE");
  }

  @Test
  void aDeletedStackNoLongerCountsAgainstTheQuota() {
    fixture.simulator.stackQuota(1);
    fixture.create("orders", SimulatorFixture.template("Orders", 5));
    fixture.deleteAndWait("orders", "delete-1");

    fixture.create("billing", SimulatorFixture.template("Billing", 5));

    assertThat(fixture.describe("billing").stackStatusAsString()).isEqualTo("CREATE_COMPLETE");
  }

  @Test
  void theQuotaMustBePositive() {
    assertThatThrownBy(() -> fixture.simulator.stackQuota(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stack quota must be at least 1, got 0");
  }
}
