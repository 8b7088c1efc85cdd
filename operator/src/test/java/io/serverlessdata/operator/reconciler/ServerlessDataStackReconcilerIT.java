package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.condition;
import static io.serverlessdata.operator.reconciler.OperatorHarness.reason;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static io.serverlessdata.operator.reconciler.OperatorHarness.synced;
import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.ServerlessDataStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a user sees with kubectl while the operator drives stacks in the simulator. */
class ServerlessDataStackReconcilerIT {

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
  void createdResourceEndsSyncedWithEveryOutput() {
    harness.create(stack("orders", "orders-prod"));

    ServerlessDataStack synced = harness.await("orders", "synced", OperatorHarness::synced);

    assertThat(synced.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(synced.getStatus().getStackName()).isEqualTo("team-a-orders");
    assertThat(synced.getStatus().getOutputs()).containsKeys(
        "ApiEndpoint", "ApiKeyId", "CloudFrontUrl", "S3BucketName", "DynamoTableName", "FunctionName", "ErrorTopicArn");
    assertThat(synced.getStatus().getAckResourceMetadata().region()).isEqualTo("us-east-1");
    assertThat(synced.getStatus().getAckResourceMetadata().ownerAccountID()).isEqualTo("123456789012");
    assertThat(condition(synced, ConditionTypes.READY, "True")).isTrue();
    assertThat(reason(synced, ConditionTypes.ADVISORY)).contains("Advisory");
    assertThat(synced.getMetadata().getFinalizers()).contains(ServerlessDataStackReconciler.FINALIZER);
    assertThat(harness.calls("CreateChangeSet")).isEqualTo(1);
    assertThat(harness.calls("ExecuteChangeSet")).isEqualTo(1);
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Normal ChangeSetCreated"))
        .anyMatch(e -> e.startsWith("Normal Executing")).anyMatch(e -> e.startsWith("Normal Synced"));
  }
}
