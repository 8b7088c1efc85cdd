package io.serverlessdata.operator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.serverlessdata.operator.cloudformation.PlanRequest.Type;
import io.serverlessdata.simulator.CloudFormationSimulator;
import io.serverlessdata.simulator.ManualClock;
import io.serverlessdata.simulator.Timings;
import io.serverlessdata.operator.template.RenderedStack;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;

/** The real AWS SDK client, through the adapter, against the CloudFormation simulator over HTTP. */
class AwsStackOperationsTest {

  private static final String STACK = "team-a-orders";
  private static final int ATTEMPTS = 3;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T08:00:00Z"));
  private final Timings timings = Timings.defaults();
  private final ClientSettings settings = ClientSettings.defaults(Optional.empty())
      .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASIMULATOR", "simulator")))
      .withRetries(ATTEMPTS, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5));
  private CloudFormationSimulator simulator;
  private AwsStackOperations cloudFormation;

  @BeforeEach
  void start() {
    simulator = CloudFormationSimulator.start(clock, timings);
    cloudFormation = AwsStackOperations.create(settingsFor(simulator));
  }

  @AfterEach
  void stop() {
    cloudFormation.close();
    simulator.close();
  }

  @Test
  void createChangeSetExecutedCreatesTheStackWithItsOutputs() {
    RenderedStack rendered = TestStacks.rendered();

    ChangeSet planned = cloudFormation.plan(PlanRequest.of(STACK, "create-1", Type.CREATE, Optional.empty(), rendered));

    assertThat(planned.state()).isEqualTo(ChangeSet.State.PENDING);
    assertThat(cloudFormation.describe(STACK)).get().extracting(Stack::status).isEqualTo(StackStatus.REVIEW_IN_PROGRESS);
    clock.advance(timings.changeSet());
    ChangeSet computed = cloudFormation.describeChangeSet(STACK, "create-1");
    assertThat(computed.state()).isEqualTo(ChangeSet.State.READY);
    assertThat(computed.changes()).hasSize(rendered.template().resources().size())
        .allSatisfy(change -> assertThat(change.action()).isEqualTo(Change.ADD));

    cloudFormation.execute(STACK, "create-1");
    cloudFormation.execute(STACK, "create-1");

    Stack creating = cloudFormation.describe(STACK).orElseThrow();
    assertThat(creating.status().name()).isEqualTo("CREATE_IN_PROGRESS");
    assertThat(creating.status().moving()).isTrue();
    assertThat(creating.outputs()).isEmpty();
    clock.advance(timings.create());
    Stack created = cloudFormation.describe(STACK).orElseThrow();
    assertThat(created.status().name()).isEqualTo("CREATE_COMPLETE");
    assertThat(created.status().stable()).isTrue();
    assertThat(created.id()).matches("arn:aws:cloudformation:us-east-1:123456789012:stack/" + STACK + "/[0-9a-f-]{36}");
    assertThat(created.tags()).isEqualTo(rendered.tags());
    assertThat(created.outputs())
        .containsEntry("DynamoTableName", "orders-prod-processing-table")
        .containsEntry("S3BucketName", "orders-prod-processed-data-123456789012")
        .containsEntry("FunctionName", "orders-prod-processor")
        .containsEntry("ErrorTopicArn", "arn:aws:sns:us-east-1:123456789012:orders-prod-lambda-errors");
    assertThat(created.outputs().get("ApiEndpoint"))
        .matches("https://[a-z0-9]{10}\\.execute-api\\.us-east-1\\.amazonaws\\.com/prod/process");
    assertThat(created.outputs().get("CloudFrontUrl")).matches("https://d[a-z0-9]{13}\\.cloudfront\\.net");
    assertThat(created.outputs().get("ApiKeyId")).matches("[a-z0-9]{10}");
    assertThat(cloudFormation.describeChangeSet(STACK, "create-1").state()).isEqualTo(ChangeSet.State.EXECUTED);
  }

  @Test
  void aStackThatDoesNotExistIsNotFound() {
    assertThat(cloudFormation.describe(STACK)).isEmpty();
    assertThatThrownBy(() -> cloudFormation.currentOperationFailures(STACK, 5)).isInstanceOf(StackNotFoundException.class);
    assertThatThrownBy(() -> cloudFormation.describeChangeSet(STACK, "create-1"))
        .isInstanceOf(ChangeSetNotFoundException.class);
  }

  @Test
  void capacityChangeUpdatesTheTableInPlaceThroughOneChange() {
    Stack created = createStack(TestStacks.rendered());

    ChangeSet update = plannedUpdate("update-2", TestStacks.rendered(TestStacks.PREFIX, 10));

    assertThat(update.state()).isEqualTo(ChangeSet.State.READY);
    assertThat(update.changes()).containsExactly(
        new Change(Change.MODIFY, "ProcessingTable", "AWS::DynamoDB::Table", Optional.of("False"),
            Optional.of(TestStacks.PREFIX + "-processing-table"), List.of("ProvisionedThroughput")));
    cloudFormation.execute(STACK, "update-2");
    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("UPDATE_IN_PROGRESS");
    clock.advance(timings.update());
    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
    clock.advance(timings.cleanup());
    Stack updated = cloudFormation.describe(STACK).orElseThrow();
    assertThat(updated.status().name()).isEqualTo("UPDATE_COMPLETE");
    assertThat(updated.lastUpdatedTime()).isPresent();
    assertThat(updated.outputs()).isEqualTo(created.outputs());
  }

  @Test
  void prefixChangeReplacesTheTableAndTheBucket() {
    createStack(TestStacks.rendered());

    ChangeSet update = plannedUpdate("update-2", TestStacks.rendered("orders-next", 5));

    assertThat(update.changes())
        .filteredOn(change -> List.of("ProcessingTable", "ProcessedDataBucket").contains(change.logicalId()))
        .hasSize(2)
        .allSatisfy(change -> {
          assertThat(change.action()).isEqualTo(Change.MODIFY);
          assertThat(change.replaces()).isTrue();
        });
  }

  @Test
  void theSameTemplateAndParametersAreRecognisedAsNoChanges() {
    RenderedStack rendered = TestStacks.rendered();
    createStack(rendered);

    ChangeSet update = plannedUpdate("update-2", rendered);

    assertThat(update.state()).isEqualTo(ChangeSet.State.NO_CHANGES);
    assertThat(update.noChanges()).isTrue();
    assertThat(update.changes()).isEmpty();
    assertThat(update.statusReason()).get().asString().contains("didn't contain changes");
  }

  @Test
  void planningAgainUnderTheSameNameReturnsTheSameChangeSet() {
    RenderedStack rendered = TestStacks.rendered();
    ChangeSet first = cloudFormation.plan(PlanRequest.of(STACK, "create-1", Type.CREATE, Optional.empty(), rendered));
    simulator.resetCalls();

    ChangeSet again = cloudFormation.plan(PlanRequest.of(STACK, "create-1", Type.CREATE, Optional.empty(), rendered));

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(simulator.callCounts()).isEqualTo(Map.of("CreateChangeSet", 1));
  }

  @Test
  void planningFindsAChangeSetOfTheSameNameCreatedWithAnotherToken() {
    RenderedStack rendered = TestStacks.rendered();
    try (CloudFormationClient client = CloudFormationClientFactory.create(settingsFor(simulator))) {
      client.createChangeSet(r -> r.stackName(STACK).changeSetName("create-1").changeSetType(ChangeSetType.CREATE)
          .templateBody(rendered.templateBody()).capabilitiesWithStrings("CAPABILITY_IAM").clientToken("another")
          .parameters(rendered.parameters().entrySet().stream()
              .map(p -> software.amazon.awssdk.services.cloudformation.model.Parameter.builder()
                  .parameterKey(p.getKey()).parameterValue(p.getValue()).build())
              .toList()));
    }

    ChangeSet planned = cloudFormation.plan(PlanRequest.of(STACK, "create-1", Type.CREATE, Optional.empty(), rendered));

    assertThat(planned.name()).isEqualTo("create-1");
    assertThat(planned.stackName()).isEqualTo(STACK);
  }

  @Test
  void throttlingWithinTheRetryBudgetIsRetriedByTheSdk() {
    simulator.throttleNext(ATTEMPTS - 1);

    assertThat(cloudFormation.describe(STACK)).isEmpty();

    assertThat(simulator.calls("DescribeStacks")).isEqualTo(ATTEMPTS);
  }

  @Test
  void planningIsOneCallTheChangeSetIsDescribedOnlyOnceItHadTimeToBeComputed() {
    ChangeSet planned = cloudFormation.plan(PlanRequest.of(STACK, "create-1", Type.CREATE, Optional.empty(), TestStacks.rendered()));

    assertThat(simulator.callCounts()).containsOnly(Map.entry("CreateChangeSet", 1));
    assertThat(planned.state()).isEqualTo(ChangeSet.State.PENDING);
    assertThat(planned.id()).isNotBlank();
    assertThat(planned.stackId()).isEqualTo(cloudFormation.describe(STACK).orElseThrow().id());
    clock.advance(timings.changeSet());
    assertThat(cloudFormation.describeChangeSet(STACK, "create-1").id()).isEqualTo(planned.id());
  }

  @Test
  void theListingsPagesTakeTheNextTokenAheadOfTheCallsThatWaitForTheBudget() {
    List<Long> waits = new java.util.ArrayList<>();
    CallBudget budget = CallBudget.perSecond(1, 1, () -> 0L, waits::add);
    try (AwsStackOperations budgeted = AwsStackOperations.create(settingsFor(simulator).withBudget(budget))) {
      budgeted.describe(STACK);
      assertThat(budget.reserve()).as("a reconcile waiting for its token").isEqualTo(1_000_000_000L);

      budgeted.listStacks(StackStatus.MOVING, Optional.empty());
      budgeted.describe(STACK);
    }

    // the clock stands still: the page takes the waiting reconcile's token, which waits for the next; the describe
    // after them waits for the one after that
    assertThat(waits).containsExactly(1_000_000_000L, 3_000_000_000L);
  }

  @Test
  void everyAttemptRetriesIncludedTakesATokenOfTheSharedCallBudget() {
    List<Long> waits = new java.util.ArrayList<>();
    CallBudget budget = CallBudget.perSecond(1, 1, () -> 0L, waits::add);
    try (AwsStackOperations budgeted = AwsStackOperations.create(settingsFor(simulator).withBudget(budget))) {
      simulator.throttleNext(ATTEMPTS - 1);

      assertThat(budgeted.describe(STACK)).isEmpty();
    }

    assertThat(simulator.calls("DescribeStacks")).isEqualTo(ATTEMPTS);
    assertThat(budget.calls()).isEqualTo(ATTEMPTS);
    // the clock stands still: the first token was in the bucket, each retry waits one more second
    assertThat(waits).containsExactly(1_000_000_000L, 2_000_000_000L);
  }

  @Test
  void throttlingBeyondTheRetryBudgetIsTransient() {
    simulator.throttleNext(ATTEMPTS + 2);

    assertThatThrownBy(() -> cloudFormation.describe(STACK))
        .isInstanceOfSatisfying(TransientStackOperationException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("Throttling");
          assertThat(e.retryable()).isTrue();
        });
    assertThat(simulator.calls("DescribeStacks")).isEqualTo(ATTEMPTS);
  }

  @Test
  void serverErrorsAreTransient() {
    simulator.failNext(ATTEMPTS);

    assertThatThrownBy(() -> cloudFormation.plan(PlanRequest.of(STACK, "create-1", Type.CREATE, Optional.empty(), TestStacks.rendered())))
        .isInstanceOfSatisfying(TransientStackOperationException.class,
            e -> assertThat(e.errorCode()).isEqualTo("InternalFailure"));
    assertThat(simulator.calls("CreateChangeSet")).isEqualTo(ATTEMPTS);
  }

  @Test
  void aResourceFailingOnCreateRollsTheStackBackAndNamesTheResource() {
    simulator.failResource("ProcessingTable", "Resource handler returned message: \"Table already exists\"");
    startCreate(TestStacks.rendered());

    clock.advance(timings.create());
    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("ROLLBACK_IN_PROGRESS");
    clock.advance(timings.rollback());

    Stack rolledBack = cloudFormation.describe(STACK).orElseThrow();
    assertThat(rolledBack.status().name()).isEqualTo("ROLLBACK_COMPLETE");
    assertThat(rolledBack.outputs()).isEmpty();
    assertThat(cloudFormation.currentOperationFailures(STACK, 5)).first().satisfies(event -> {
      assertThat(event.logicalId()).isEqualTo("ProcessingTable");
      assertThat(event.resourceType()).isEqualTo("AWS::DynamoDB::Table");
      assertThat(event.status()).isEqualTo("CREATE_FAILED");
      assertThat(event.reason()).contains("Resource handler returned message: \"Table already exists\"");
    });
    assertThat(cloudFormation.describeChangeSet(STACK, "create-1").state())
        .isEqualTo(ChangeSet.State.EXECUTION_FAILED);
  }

  @Test
  void aFailedUpdateRollbackIsContinued() {
    createStack(TestStacks.rendered());
    simulator.failResource("ProcessingTable", "Resource handler returned message: \"LimitExceededException\"");
    simulator.failNextRollback();
    plannedUpdate("update-2", TestStacks.rendered(TestStacks.PREFIX, 10));
    cloudFormation.execute(STACK, "update-2");

    clock.advance(timings.update());
    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("UPDATE_ROLLBACK_IN_PROGRESS");
    clock.advance(timings.rollback());
    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("UPDATE_ROLLBACK_FAILED");
    assertThat(cloudFormation.currentOperationFailures(STACK, 10)).extracting(StackEvent::logicalId)
        .contains("ProcessingTable", STACK);

    cloudFormation.continueUpdateRollback(STACK, "UPDATE_ROLLBACK_FAILED@1", Optional.empty());
    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("UPDATE_ROLLBACK_IN_PROGRESS");
    clock.advance(timings.rollback().plus(timings.cleanup()));

    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertThatThrownBy(() -> cloudFormation.continueUpdateRollback(STACK, "UPDATE_ROLLBACK_FAILED@2", Optional.empty()))
        .isInstanceOfSatisfying(RejectedStackOperationException.class,
            e -> assertThat(e.getMessage()).contains("ContinueUpdateRollback cannot be called"));
  }

  @Test
  void terminationProtectionBlocksDeletion() {
    createStack(TestStacks.rendered());
    cloudFormation.setTerminationProtection(STACK, true);
    assertThat(cloudFormation.describe(STACK).orElseThrow().terminationProtection()).isTrue();

    assertThatThrownBy(() -> cloudFormation.delete(STACK, "attempt-1", Optional.empty()))
        .isInstanceOfSatisfying(RejectedStackOperationException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("ValidationError");
          assertThat(e.getMessage()).contains("TerminationProtection is enabled");
        });
    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("CREATE_COMPLETE");
  }

  @Test
  void deletedStackIsNotFoundByNameAnyMore() {
    Stack created = createStack(TestStacks.rendered());

    cloudFormation.delete(STACK, "attempt-1", Optional.empty());
    cloudFormation.delete(STACK, "attempt-1", Optional.empty());

    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("DELETE_IN_PROGRESS");
    clock.advance(timings.delete());
    assertThat(cloudFormation.describe(STACK)).isEmpty();
    assertThat(cloudFormation.describe(created.id())).get().satisfies(gone -> assertThat(gone.status().deleted()).isTrue());
    cloudFormation.delete(STACK, "attempt-1", Optional.empty());
  }

  @Test
  void aDeleteThatFailsLeavesTheStackInDeleteFailed() {
    createStack(TestStacks.rendered());
    simulator.failNextDelete("ProcessedDataBucket", "The bucket you tried to delete is not empty");

    cloudFormation.delete(STACK, "attempt-1", Optional.empty());
    clock.advance(timings.delete());

    assertThat(cloudFormation.describe(STACK).orElseThrow().status().name()).isEqualTo("DELETE_FAILED");
    assertThat(cloudFormation.currentOperationFailures(STACK, 5))
        .extracting(StackEvent::logicalId, StackEvent::status)
        .containsExactly(tuple(STACK, "DELETE_FAILED"), tuple("ProcessedDataBucket", "DELETE_FAILED"));
  }

  @Test
  void aStackDeletedOutOfBandIsNotFound() {
    createStack(TestStacks.rendered());

    simulator.deleteOutOfBand(STACK);

    assertThat(cloudFormation.describe(STACK)).isEmpty();
  }

  @Test
  void aMissingParameterIsRejectedWithCloudFormationsMessage() {
    RenderedStack rendered = TestStacks.rendered();
    Map<String, String> parameters = new HashMap<>(rendered.parameters());
    parameters.remove("AlertEmail");

    assertThatThrownBy(() -> cloudFormation.plan(new PlanRequest(STACK, "create-1", Type.CREATE, Optional.empty(),
        rendered.templateBody(), parameters, rendered.tags(), Optional.empty(), false, false)))
        .isInstanceOfSatisfying(RejectedStackOperationException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("ValidationError");
          assertThat(e.getMessage()).isEqualTo("Parameters: [AlertEmail] must have values");
          assertThat(e.retryable()).isFalse();
        });
    assertThat(cloudFormation.describe(STACK)).isEmpty();
  }

  @Test
  void aCapacityBelowTheMinimumIsRejectedWithCloudFormationsMessage() {
    assertThatThrownBy(() -> cloudFormation.plan(
        PlanRequest.of(STACK, "create-1", Type.CREATE, Optional.empty(), TestStacks.rendered(TestStacks.PREFIX, 2))))
        .isInstanceOfSatisfying(RejectedStackOperationException.class, e -> assertThat(e.getMessage())
            .isEqualTo("Parameter 'DynamoDbReadCapacity' must be a number not less than 5"));
  }

  @Test
  void aDriftRevertingUpdateWithAServiceRoleIsPlanned() {
    createStack(TestStacks.rendered());

    ChangeSet update = cloudFormation.plan(
        PlanRequest.of(STACK, "revert-2", Type.UPDATE, Optional.empty(), TestStacks.rendered(TestStacks.PREFIX, 10))
            .withRevertDrift(true)
            .withRoleArn(Optional.of("arn:aws:iam::123456789012:role/cloudformation-deployer")));
    clock.advance(timings.changeSet());

    assertThat(cloudFormation.describeChangeSet(STACK, update.name()).state()).isEqualTo(ChangeSet.State.READY);
  }

  @Test
  void driftDetectionRunsThenListsModifiedAndDeletedResourcesWithTheirDifferences() {
    createStack(TestStacks.rendered());
    simulator.driftProperty(STACK, "ProcessingTable", "/ProvisionedThroughput/WriteCapacityUnits", Optional.of("9"));
    simulator.driftProperty(STACK, "ProcessorFunction", "Timeout", Optional.empty());
    simulator.deleteResource(STACK, "ErrorTopic");

    String id = cloudFormation.detectDrift(STACK);
    DriftDetection running = cloudFormation.driftDetection(id);
    assertThat(running.state()).isEqualTo(DriftDetection.State.IN_PROGRESS);
    clock.advance(timings.driftDetection());
    DriftDetection done = cloudFormation.driftDetection(id);

    assertThat(done.state()).isEqualTo(DriftDetection.State.COMPLETE);
    assertThat(done.stackDriftStatus()).isEqualTo("DRIFTED");
    assertThat(done.driftedResources()).isEqualTo(3);
    assertThat(cloudFormation.resourceDrifts(STACK, 10)).containsExactly(
        new ResourceDrift("ErrorTopic", "AWS::SNS::Topic", "DELETED", List.of()),
        new ResourceDrift("ProcessingTable", "AWS::DynamoDB::Table", "MODIFIED", List.of(
            new ResourceDrift.Difference("/ProvisionedThroughput/WriteCapacityUnits", "5", "9", "NOT_EQUAL"))),
        new ResourceDrift("ProcessorFunction", "AWS::Lambda::Function", "MODIFIED", List.of(
            new ResourceDrift.Difference("/Timeout", "10", null, "REMOVE"))));
    assertThat(cloudFormation.resourceDrifts(STACK, 2)).hasSize(2);
  }

  @Test
  void aDriftRevertingChangeSetPutsTheResourcesBack() {
    createStack(TestStacks.rendered());
    simulator.driftProperty(STACK, "ProcessorFunction", "MemorySize", Optional.of("1024"));
    simulator.deleteResource(STACK, "ErrorTopic");

    cloudFormation.plan(PlanRequest.of(STACK, "revert-1", Type.UPDATE, Optional.empty(), TestStacks.rendered()).withRevertDrift(true));
    clock.advance(timings.changeSet());
    ChangeSet revert = cloudFormation.describeChangeSet(STACK, "revert-1");
    assertThat(revert.changes()).containsExactly(
        new Change("Add", "ErrorTopic", "AWS::SNS::Topic", Optional.empty()),
        new Change("Modify", "ProcessorFunction", "AWS::Lambda::Function", Optional.of("False"),
            Optional.of(TestStacks.PREFIX + "-processor"), List.of("MemorySize")));
    cloudFormation.execute(STACK, "revert-1");
    clock.advance(timings.update().plus(timings.cleanup()));

    String id = cloudFormation.detectDrift(STACK);
    clock.advance(timings.driftDetection());
    assertThat(cloudFormation.driftDetection(id).stackDriftStatus()).isEqualTo("IN_SYNC");
    assertThat(cloudFormation.resourceDrifts(STACK, 10)).isEmpty();
  }

  @Test
  void aFailedDriftDetectionSaysWhyAndAMovingStackCannotBeChecked() {
    createStack(TestStacks.rendered());
    simulator.failNextDriftDetection("Access denied for operation 'dynamodb:DescribeTable'");

    String id = cloudFormation.detectDrift(STACK);
    clock.advance(timings.driftDetection());
    DriftDetection failed = cloudFormation.driftDetection(id);
    assertThat(failed.state()).isEqualTo(DriftDetection.State.FAILED);
    assertThat(failed.reason()).contains("Access denied for operation 'dynamodb:DescribeTable'");

    cloudFormation.plan(PlanRequest.of(STACK, "update-2", Type.UPDATE, Optional.empty(), TestStacks.rendered(TestStacks.PREFIX, 10)));
    clock.advance(timings.changeSet());
    cloudFormation.execute(STACK, "update-2");
    assertThatThrownBy(() -> cloudFormation.detectDrift(STACK))
        .isInstanceOf(RejectedStackOperationException.class)
        .hasMessageContaining("UPDATE_IN_PROGRESS");
    assertThatThrownBy(() -> cloudFormation.driftDetection("no-such-detection"))
        .isInstanceOf(RejectedStackOperationException.class);
  }

  private ClientSettings settingsFor(CloudFormationSimulator target) {
    return new ClientSettings(Optional.of(target.endpoint()), settings.credentials(), settings.maxAttempts(),
        settings.baseDelay(), settings.throttlingBaseDelay(), settings.maxBackoff(), settings.connectTimeout(),
        settings.attemptTimeout(), settings.callTimeout(), settings.budget());
  }

  private void startCreate(RenderedStack rendered) {
    cloudFormation.plan(PlanRequest.of(STACK, "create-1", Type.CREATE, Optional.empty(), rendered));
    clock.advance(timings.changeSet());
    cloudFormation.execute(STACK, "create-1");
  }

  private Stack createStack(RenderedStack rendered) {
    startCreate(rendered);
    clock.advance(timings.create());
    Stack created = cloudFormation.describe(STACK).orElseThrow();
    assertThat(created.status().name()).isEqualTo("CREATE_COMPLETE");
    return created;
  }

  private ChangeSet plannedUpdate(String name, RenderedStack rendered) {
    cloudFormation.plan(PlanRequest.of(STACK, name, Type.UPDATE, Optional.empty(), rendered));
    clock.advance(timings.changeSet());
    return cloudFormation.describeChangeSet(STACK, name);
  }
}
