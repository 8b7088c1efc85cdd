package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.condition;
import static io.serverlessdata.operator.reconciler.OperatorHarness.reason;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static io.serverlessdata.operator.reconciler.OperatorHarness.synced;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.template.DataRetention;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  @Test
  void capacityChangeUpdatesTheStackThroughOneChangeSet() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    harness.simulator.resetCalls();

    harness.edit("orders", r -> withCapacity(r, 10));
    ServerlessDataStack updated = harness.await("orders", "synced at generation 2",
        r -> synced(r) && r.getMetadata().getGeneration() == 2);

    assertThat(updated.getStatus().getStackStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(updated.getStatus().getLastChangeSet().changes())
        .anySatisfy(c -> {
          assertThat(c.logicalId()).isEqualTo("ProcessingTable");
          assertThat(c.action()).isEqualTo("Modify");
          assertThat(c.replacement()).isEqualTo("False");
        });
    assertThat(harness.calls("CreateChangeSet")).isEqualTo(1);
    assertThat(harness.calls("ExecuteChangeSet")).isEqualTo(1);
  }

  @Test
  void specThatRendersTheSameStackChangesNothing() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    harness.simulator.resetCalls();

    // the default, now spelled out: a new generation, the same template and parameters
    harness.edit("orders", r -> withCapacity(r, 5));
    harness.await("orders", "synced at generation 2", r -> synced(r) && r.getMetadata().getGeneration() == 2);

    assertThat(harness.calls("CreateChangeSet")).isZero();
    assertThat(harness.calls("ExecuteChangeSet")).isZero();
  }

  @Test
  void replacingTheTableIsBlockedUntilTheAnnotationAllowsIt() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    harness.simulator.resetCalls();

    harness.edit("orders", r -> {
      r.setSpec(stack("orders", "orders-next").getSpec());
      return r;
    });
    ServerlessDataStack blocked = harness.await("orders", "blocked",
        r -> reason(r, ConditionTypes.SYNCED).filter("ReplacementBlocked"::equals).isPresent());

    String message = io.serverlessdata.operator.reconciler.StatusConditions
        .find(blocked.getStatus().getConditions(), ConditionTypes.SYNCED).orElseThrow().getMessage();
    assertThat(message).contains("replace ProcessingTable (AWS::DynamoDB::Table)", "ProcessedDataBucket",
        "serverlessdata.io/allow-replacement=true");
    assertThat(harness.calls("ExecuteChangeSet")).isZero();
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning ReplacementBlocked"));

    harness.annotate("orders", Annotations.ALLOW_REPLACEMENT, "true");
    ServerlessDataStack replaced = harness.await("orders", "synced after the annotation", OperatorHarness::synced);

    assertThat(replaced.getStatus().getOutputs().get("DynamoTableName")).isEqualTo("orders-next-processing-table");
    assertThat(harness.calls("ExecuteChangeSet")).isEqualTo(1);
  }

  @Test
  void invalidSpecIsTerminalNamingTheFieldWithoutCallingAws() {
    harness.create(stack("orders", "orders-prod", 4));

    ServerlessDataStack terminal = harness.await("orders", "terminal",
        r -> condition(r, ConditionTypes.TERMINAL, "True"));

    assertThat(reason(terminal, ConditionTypes.TERMINAL)).contains("InvalidSpec");
    assertThat(StatusConditions.find(terminal.getStatus().getConditions(), ConditionTypes.TERMINAL).orElseThrow()
        .getMessage()).contains("spec.dynamoDbReadCapacity: must be at least 5, got 4");
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning InvalidSpec"));
    assertThat(harness.calls().keySet()).as("nothing but the account's listing").isSubsetOf(Set.of("ListStacks"));

    harness.edit("orders", r -> withCapacity(r, 5));
    harness.await("orders", "synced after the fix", OperatorHarness::synced);
  }

  @Test
  void stackOfTheSameNameThatBelongsToNobodyIsAConflictUntilAdopted() {
    harness.foreignStack("team-a-orders", "orders-prod");
    harness.create(stack("orders", "orders-prod"));

    ServerlessDataStack conflict = harness.await("orders", "terminal",
        r -> reason(r, ConditionTypes.TERMINAL).filter("StackNameConflict"::equals).isPresent());
    assertThat(conflict.getStatus().getLastChangeSet()).isNull();
    assertThat(harness.calls("CreateChangeSet")).isEqualTo(1);

    harness.annotate("orders", Annotations.ADOPTION_POLICY, "adopt");
    ServerlessDataStack adopted = harness.await("orders", "adopted and synced", OperatorHarness::synced);

    assertThat(condition(adopted, ConditionTypes.ADOPTED, "True")).isTrue();
    assertThat(harness.describe("team-a-orders").orElseThrow().tags())
        .containsEntry("serverlessdata.io/owner-uid", adopted.getMetadata().getUid());
  }

  @Test
  void secondResourceWithTheSamePrefixIsTerminalBeforeAnyAwsCall() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    harness.simulator.resetCalls();

    harness.create(stack("copy", "orders-prod"));
    ServerlessDataStack copy = harness.await("copy", "terminal",
        r -> reason(r, ConditionTypes.TERMINAL).filter("PrefixConflict"::equals).isPresent());

    assertThat(StatusConditions.find(copy.getStatus().getConditions(), ConditionTypes.TERMINAL).orElseThrow()
        .getMessage()).contains("team-a/orders");
    assertThat(copy.getStatus().getStackId()).isNull();
    assertThat(harness.calls("CreateChangeSet")).isZero();
  }

  @Test
  void failedCreateIsTerminalWithTheFailingResourceThenRecoversAfterASpecChange() {
    harness.simulator.failResource("ProcessingTable", "Subscriber limit exceeded: tables");
    harness.create(stack("orders", "orders-prod"));

    ServerlessDataStack failed = harness.await("orders", "terminal",
        r -> reason(r, ConditionTypes.TERMINAL).filter("CreateFailed"::equals).isPresent());

    assertThat(failed.getStatus().getStackStatus()).isEqualTo("ROLLBACK_COMPLETE");
    assertThat(failed.getStatus().getFailures())
        .anySatisfy(f -> assertThat(f.logicalId() + " " + f.reason()).contains("ProcessingTable", "Subscriber limit"));
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning CreateFailed") && e.contains("ProcessingTable"));

    harness.edit("orders", r -> withCapacity(r, 6));
    ServerlessDataStack recovered = harness.await("orders", "synced after the fix", OperatorHarness::synced);

    assertThat(recovered.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(recovered.getStatus().getFailures()).isEmpty();
    assertThat(harness.calls("DeleteStack")).isEqualTo(1);
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning RecreatingStack"));
  }

  @Test
  void throttlingAndServerErrorsAreRecoverableAndEndSynced() {
    harness.simulator.throttleNext(8);
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "recovered from throttling", OperatorHarness::synced);

    harness.simulator.failNext(8);
    harness.edit("orders", r -> withCapacity(r, 7));
    ServerlessDataStack synced = harness.await("orders", "recovered from 5xx",
        r -> synced(r) && r.getMetadata().getGeneration() == 2);

    assertThat(harness.events("orders"))
        .anyMatch(e -> e.startsWith("Warning AwsError: Throttling"))
        .anyMatch(e -> e.startsWith("Warning AwsError: InternalFailure"));
    assertThat(condition(synced, ConditionTypes.RECOVERABLE, "True")).isFalse();
    assertThat(condition(synced, ConditionTypes.TERMINAL, "True")).isFalse();
  }

  @Test
  void lastingThrottlingIsReportedAsRecoverableAndClearsWhenItEnds() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);

    harness.simulator.throttleNext(100_000);
    harness.edit("orders", r -> withCapacity(r, 7));
    ServerlessDataStack throttled = harness.await("orders", "recoverable",
        r -> condition(r, ConditionTypes.RECOVERABLE, "True"));
    assertThat(reason(throttled, ConditionTypes.RECOVERABLE)).contains("Throttling");
    assertThat(condition(throttled, ConditionTypes.TERMINAL, "True")).isFalse();

    harness.simulator.throttleNext(0);
    ServerlessDataStack synced = harness.await("orders", "synced once throttling ends",
        r -> synced(r) && r.getMetadata().getGeneration() == 2);
    assertThat(synced.getStatus().getConditions()).noneMatch(c -> c.getType().equals(ConditionTypes.RECOVERABLE));
  }

  @Test
  void operatorRestartedMidUpdateResumesWithoutDuplicateChangeSetsOrStacks() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    harness.simulator.resetCalls();
    int changeSetsBefore = harness.simulator.changeSetsCreated();

    harness.edit("orders", r -> withCapacity(r, 12));
    harness.await("orders", "updating", r -> "UPDATE_IN_PROGRESS".equals(r.getStatus().getStackStatus())
        || r.getStatus().getLastChangeSet() != null && "EXECUTE_IN_PROGRESS".equals(r.getStatus().getLastChangeSet().executionStatus()));
    harness.stopOperator();
    harness.startOperator();
    harness.await("orders", "synced after the restart", r -> synced(r) && r.getMetadata().getGeneration() == 2);

    // a repeated CreateChangeSet (an SDK retry on a slow machine) finds the change set it created: not a new one
    assertThat(harness.simulator.changeSetsCreated() - changeSetsBefore).isEqualTo(1);
    assertThat(harness.calls("ExecuteChangeSet")).isEqualTo(1);
    assertThat(harness.calls("CreateStack")).isZero();
  }

  @Test
  void stackDeletedOutOfBandIsRecreatedWithAWarningAndItsDataImported() {
    harness.create(stack("orders", "orders-prod"));
    String first = harness.await("orders", "synced", OperatorHarness::synced).getStatus().getStackId();

    harness.simulator.deleteOutOfBand("team-a-orders");
    ServerlessDataStack recreated = harness.await("orders", "recreated",
        r -> synced(r) && !first.equals(r.getStatus().getStackId()));

    assertThat(recreated.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning StackDeletedOutOfBand"))
        .anyMatch(e -> e.startsWith("Normal ImportedRetainedData"));
  }

  @Test
  void withDataRetentionDeleteTheDataGoesWithTheStackAndANewStackCreatesItAfresh() {
    harness.create(withDataRetention(stack("orders", "orders-prod"), DataRetention.Delete));
    String first = harness.await("orders", "synced", OperatorHarness::synced).getStatus().getStackId();

    harness.simulator.deleteOutOfBand("team-a-orders");
    ServerlessDataStack recreated = harness.await("orders", "recreated",
        r -> synced(r) && !first.equals(r.getStatus().getStackId()));

    assertThat(recreated.getStatus().getImportedResources()).isEmpty();
    assertThat(harness.simulator.retainedResources()).noneMatch(r -> Planner.DATA_TYPES.contains(r.type()));
  }

  @Test
  void deletingTheResourceDeletesTheStackBeforeTheFinalizerGoes() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);

    harness.resource("orders").delete();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> harness.get("orders") == null);

    assertThat(harness.describe("team-a-orders")).isEmpty();
    assertThat(harness.calls("DeleteStack")).isEqualTo(1);
    assertThat(harness.calls("UpdateTerminationProtection")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void failedStackDeletionIsReportedAndTriedAgainBeforeTheFinalizerGoes() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    harness.simulator.failNextDelete("ErrorTopic", "Topic is in use by another resource");

    harness.resource("orders").delete();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> harness.get("orders") == null);

    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning DeleteFailed")
        && e.contains("ErrorTopic DELETE_FAILED: Topic is in use by another resource"));
    assertThat(harness.calls("DeleteStack")).isEqualTo(2);
    assertThat(harness.describe("team-a-orders")).isEmpty();
  }

  @Test
  void retainPolicyOnTheResourceOrItsNamespaceLeavesTheStack() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    harness.annotate("orders", Annotations.DELETION_POLICY, "retain");

    harness.resource("orders").delete();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> harness.get("orders") == null);

    assertThat(harness.describe("team-a-orders")).get().extracting(s -> s.status().name()).isEqualTo("CREATE_COMPLETE");
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Normal Retained"));

    harness.client.namespaces().withName(OperatorHarness.NAMESPACE).edit(ns -> new NamespaceBuilder(ns)
        .editMetadata().addToAnnotations(Annotations.DELETION_POLICY, "retain").endMetadata().build());
    harness.create(stack("billing", "billing-prod"));
    harness.await("billing", "synced", OperatorHarness::synced);
    harness.resource("billing").delete();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> harness.get("billing") == null);

    assertThat(harness.describe("team-a-billing")).isPresent();
    assertThat(harness.calls("DeleteStack")).isZero();
  }

  @Test
  void readOnlyResourceObservesAndNeverWrites() {
    harness.foreignStack("team-a-orders", "orders-prod");
    harness.simulator.resetCalls();
    ServerlessDataStack resource = stack("orders", "orders-prod");
    resource.getMetadata().setAnnotations(Map.of(Annotations.READ_ONLY, "true"));
    harness.create(resource);

    ServerlessDataStack observed = harness.await("orders", "observed", OperatorHarness::synced);
    assertThat(reason(observed, ConditionTypes.SYNCED)).contains("ReadOnly");
    assertThat(observed.getStatus().getOutputs()).containsKey("ApiEndpoint");

    harness.resource("orders").delete();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> harness.get("orders") == null);

    // reads only: drift detection reads the resources and changes nothing
    assertThat(harness.calls().keySet()).isSubsetOf(Set.of("GetCallerIdentity", "ListStacks", "DescribeStacks",
        "DescribeStackEvents", "DetectStackDrift", "DescribeStackDriftDetectionStatus", "DescribeStackResourceDrifts"));
    assertThat(harness.describe("team-a-orders")).isPresent();
  }

  @Test
  void failedRollbackIsContinuedAndTheUpdateReportedAsRolledBack() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    harness.simulator.failResource("ProcessingTable", "Throughput change rejected");
    harness.simulator.failNextRollback();

    harness.edit("orders", r -> withCapacity(r, 9));
    ServerlessDataStack rolledBack = harness.await("orders", "rolled back",
        r -> reason(r, ConditionTypes.SYNCED).filter("UpdateRolledBack"::equals).isPresent());

    assertThat(rolledBack.getStatus().getStackStatus()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertThat(harness.calls("ContinueUpdateRollback")).isEqualTo(1);
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning ContinuingRollback"))
        .anyMatch(e -> e.startsWith("Warning UpdateRolledBack") && e.contains("ProcessingTable"));

    harness.edit("orders", r -> withCapacity(r, 8));
    harness.await("orders", "synced after the next spec", r -> synced(r) && r.getMetadata().getGeneration() == 3);
  }

  @Test
  void syncedStackCostsOnlyPeriodicReads() throws Exception {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced and checked for drift", r -> synced(r) && r.getStatus().getDrift() != null
        && "IN_SYNC".equals(r.getStatus().getDrift().status()));
    harness.simulator.resetCalls();

    Thread.sleep(OperatorHarness.PACE.steadyInterval().toMillis() * 2 + 500);

    // passes every steady interval (2 s here) find the stack as the status describes it: no call of their own, only
    // the account's listing (every second here, one page) — a hot loop would show hundreds
    assertThat(harness.calls().keySet()).containsOnly("ListStacks");
    assertThat(harness.calls("ListStacks")).isBetween(2, 8);
  }

  private static ServerlessDataStack withDataRetention(ServerlessDataStack resource, DataRetention retention) {
    ServerlessDataStackSpec s = resource.getSpec();
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), s.dynamoDbReadCapacity(),
        s.dynamoDbWriteCapacity(), s.alertEmail(), s.environment(), s.tags(), s.stackName(), s.lambda(), s.api(),
        s.logRetentionDays(), retention, s.objectLock(), s.driftDetection(), s.alerts(), s.exportTo(),
        s.cloudFormation()));
    return resource;
  }

  private static ServerlessDataStack withCapacity(ServerlessDataStack resource, int read) {
    ServerlessDataStackSpec s = resource.getSpec();
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), read, s.dynamoDbWriteCapacity() == null ? 5
        : s.dynamoDbWriteCapacity(), s.alertEmail(), s.environment(), s.tags(), s.stackName(), s.lambda(), s.api(),
        s.logRetentionDays(), s.dataRetention(), s.objectLock(), s.driftDetection(), s.alerts(), s.exportTo(),
        s.cloudFormation()));
    return resource;
  }
}
