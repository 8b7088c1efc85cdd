package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.reason;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static io.serverlessdata.operator.reconciler.OperatorHarness.synced;
import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.simulator.RetainedResource;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data outlives its stack (issue 14): the table and bucket a deleted stack retained are imported into the next
 * stack of the same resource — same names, same outputs — and only then: data that is not tagged as this resource's
 * is never taken without the user's word, and a first create that fails leaves none behind.
 */
class RetainedDataIT {

  private static final String TABLE = "orders-prod-processing-table";
  private static final String BUCKET = "orders-prod-processed-data-123456789012";

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
  void aResourceDeletedAndAppliedAgainGetsItsRetainedTableAndBucketBack() {
    harness.create(stack("orders", "orders-prod"));
    Map<String, String> before = harness.await("orders", "synced", OperatorHarness::synced).getStatus().getOutputs();
    deleteAndWait("orders");
    assertThat(retainedData()).extracting(RetainedResource::physicalId)
        .containsExactlyInAnyOrder(TABLE, BUCKET);

    harness.create(stack("orders", "orders-prod"));
    ServerlessDataStack again = harness.await("orders", "synced again", OperatorHarness::synced);

    assertThat(again.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(again.getStatus().getOutputs()).containsEntry("DynamoTableName", before.get("DynamoTableName"))
        .containsEntry("S3BucketName", before.get("S3BucketName"));
    assertThat(again.getStatus().getImportedResources()).extracting(i -> i.physicalId())
        .containsExactlyInAnyOrder(TABLE, BUCKET);
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Normal ImportedRetainedData")
        && e.contains(TABLE) && e.contains(BUCKET));
    // the deleted resource's stack, still in the listing under the same name and namespace, is not the new one's
    assertThat(harness.events("orders")).noneMatch(e -> e.contains("StackDeletedOutOfBand"));
    assertThat(retainedData()).as("back in a stack").isEmpty();
  }

  @Test
  void dataRetainedByAnotherResourceIsNotTakenUntilTheUserSaysSo() {
    harness.create(stack("alder", "orders-prod"));
    harness.await("alder", "synced", OperatorHarness::synced);
    deleteAndWait("alder");
    harness.simulator.resetCalls();

    harness.create(stack("orders", "orders-prod"));
    ServerlessDataStack refused = harness.await("orders", "refused",
        r -> reason(r, ConditionTypes.SYNCED).filter("ImportRefused"::equals).isPresent());

    String message = StatusConditions.find(refused.getStatus().getConditions(), ConditionTypes.SYNCED).orElseThrow()
        .getMessage();
    assertThat(message).contains("table " + TABLE, "bucket " + BUCKET, "belongs to team-a/alder",
        "serverlessdata.io/adopt-data=true");
    assertThat(harness.calls("ExecuteChangeSet")).isZero();
    assertThat(retainedData()).extracting(RetainedResource::physicalId)
        .containsExactlyInAnyOrder(TABLE, BUCKET);
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning ImportRefused"));

    harness.annotate("orders", Annotations.ADOPT_DATA, "true");
    ServerlessDataStack adopted = harness.await("orders", "synced with the data", OperatorHarness::synced);
    assertThat(adopted.getStatus().getImportedResources()).hasSize(2);
  }

  @Test
  void dataWithoutTheOperatorsTagsIsNotTaken() {
    harness.simulator.createForeignTable(TABLE, Map.of("team", "analytics"));
    harness.simulator.createForeignBucket(BUCKET, Map.of());

    harness.create(stack("orders", "orders-prod"));
    ServerlessDataStack refused = harness.await("orders", "refused",
        r -> reason(r, ConditionTypes.SYNCED).filter("ImportRefused"::equals).isPresent());

    assertThat(StatusConditions.find(refused.getStatus().getConditions(), ConditionTypes.SYNCED).orElseThrow()
        .getMessage()).contains("table " + TABLE + ", which carries no serverlessdata.io/namespace",
            "bucket " + BUCKET + ", which carries no");
    assertThat(harness.calls("ExecuteChangeSet")).isZero();
    assertThat(retainedData()).hasSize(2);
  }

  @Test
  void aFirstCreateThatFailsLeavesNoTableOrBucketBehind() {
    harness.simulator.failResource("ErrorTopic", "Simulated: topic limit exceeded");
    harness.create(stack("orders", "orders-prod"));

    harness.await("orders", "failed", r -> reason(r, ConditionTypes.TERMINAL).filter("CreateFailed"::equals)
        .isPresent());

    assertThat(retainedData()).isEmpty();
    harness.edit("orders", r -> {
      r.setSpec(stack("orders", "orders-prod", 6).getSpec());
      return r;
    });
    harness.await("orders", "created on the retry", r -> synced(r) && r.getMetadata().getGeneration() == 2);
  }

  /**
   * The tables and buckets outside any stack (the account-wide CloudWatch role of API Gateway is retained on
   * purpose: other APIs of the account may log through it).
   */
  private java.util.List<RetainedResource> retainedData() {
    return harness.simulator.retainedResources().stream()
        .filter(r -> Planner.DATA_TYPES.contains(r.type()))
        .toList();
  }

  private void deleteAndWait(String name) {
    harness.resource(name).delete();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> harness.get(name) == null);
  }
}
