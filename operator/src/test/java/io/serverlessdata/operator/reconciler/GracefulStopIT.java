package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.ServerlessDataStack;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stop (SIGTERM, a rolling update) lets the pass in flight finish: its AWS write and the status that records it,
 * not one without the other.
 */
class GracefulStopIT {

  private OperatorHarness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aPassInFlightWhenTheOperatorStopsFinishesWithItsWriteRecorded() throws Exception {
    harness = new OperatorHarness();
    harness.stopOperator();
    // one call every 2 s: the first pass spends seconds waiting for the tokens of its calls
    harness.simulator.resetCalls();
    harness.startOperator(config -> config.withAwsCallBudget(0.5, 1));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls("ListStacks") >= 1);

    harness.create(stack("orders", "orders-prod"));
    // the pass's first call (the account id its template needs); its DescribeStacks and CreateChangeSet are to come
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls("GetCallerIdentity") == 1);
    assertThat(harness.calls("CreateChangeSet")).isZero();
    harness.stopOperator();

    assertThat(harness.calls("CreateChangeSet")).as("the pass went on to plan the stack").isEqualTo(1);
    ServerlessDataStack orders = harness.get("orders");
    assertThat(orders.getStatus()).as("the pass wrote its status").isNotNull();
    assertThat(orders.getStatus().getLastChangeSet()).as("the change set it planned is recorded").isNotNull();
  }
}
