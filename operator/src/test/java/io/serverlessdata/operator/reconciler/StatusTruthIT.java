package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.condition;
import static io.serverlessdata.operator.reconciler.OperatorHarness.reason;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static io.serverlessdata.operator.reconciler.OperatorHarness.synced;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.serverlessdata.operator.api.ChangeApproval;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.LambdaSpec;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.StackFailure;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defects 5 and 9, as a user reads them with {@code kubectl get -o yaml} and {@code kubectl describe}: the
 * status blames a failure on the operation that failed, and says nothing about the stack that is no longer true —
 * after the stack vanished, after a change set ran, after a change set that changed nothing, while AWS faults.
 * Each check holds on several later passes, not only on the one that wrote it; passes are counted with the
 * operator's own reconcile metrics, never waited for by time.
 */
class StatusTruthIT {

  private static final String STACK = "team-a-orders";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OperatorHarness harness;

  @BeforeEach
  void start() throws Exception {
    harness = new OperatorHarness();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  // defect 5: failures blamed on the right operation

  @Test
  void eachFailedUpdateIsBlamedOnItsOwnResourceAndASuccessfulOneClearsTheFailures() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);

    harness.simulator.failResource(STACK, "ProcessingTable", "Throughput change rejected");
    harness.edit("orders", r -> withSpec(r, 9, null));
    ServerlessDataStack first = awaitRolledBack(2);

    assertThat(synced(first)).isFalse();
    assertThat(message(first)).contains("ProcessingTable UPDATE_FAILED: Throughput change rejected");
    assertThat(first.getStatus().getFailures())
        .anySatisfy(f -> assertFailure(f, "ProcessingTable", "UPDATE_FAILED", "Throughput change rejected"))
        .allSatisfy(f -> assertThat(f.reason()).doesNotContain("Memory size"));
    List<StackFailure> firstFailures = first.getStatus().getFailures();
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning UpdateRolledBack")
        && e.contains("ProcessingTable UPDATE_FAILED: Throughput change rejected"));
    holdsForSeveralPasses(() -> {
      ServerlessDataStack r = harness.get("orders");
      assertThat(reason(r, ConditionTypes.SYNCED)).contains("UpdateRolledBack");
      assertThat(message(r)).contains("ProcessingTable UPDATE_FAILED: Throughput change rejected");
      assertThat(r.getStatus().getFailures()).isEqualTo(firstFailures);
    });

    // the next change fails on another resource, with another reason: only that one is named now
    harness.simulator.failResource(STACK, "ProcessorFunction", "Memory size exceeds the account's limit");
    harness.edit("orders", r -> withSpec(r, 9, 512));
    ServerlessDataStack second = awaitRolledBack(3);

    Instant firstEnded = firstFailures.stream().map(f -> Instant.parse(f.time())).max(Comparator.naturalOrder())
        .orElseThrow();
    assertThat(second.getStatus().getStackStatus()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertThat(message(second)).contains("ProcessorFunction UPDATE_FAILED: Memory size exceeds the account's limit")
        .doesNotContain("ProcessingTable").doesNotContain("Throughput change rejected");
    assertThat(second.getStatus().getFailures()).as("failures of the second operation only")
        .isNotEmpty()
        .anySatisfy(f -> assertFailure(f, "ProcessorFunction", "UPDATE_FAILED", "Memory size exceeds the account's limit"))
        .noneMatch(firstFailures::contains)
        .allSatisfy(f -> {
          assertThat(Instant.parse(f.time())).as("%s happened after the first operation's failures", f)
              .isAfter(firstEnded);
          assertThat(f.reason()).doesNotContain("Throughput change rejected");
        });
    List<StackFailure> secondFailures = second.getStatus().getFailures();
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning UpdateRolledBack")
        && e.contains("ProcessorFunction UPDATE_FAILED: Memory size exceeds the account's limit")
        && !e.contains("ProcessingTable"));
    holdsForSeveralPasses(() -> {
      ServerlessDataStack r = harness.get("orders");
      assertThat(reason(r, ConditionTypes.SYNCED)).contains("UpdateRolledBack");
      assertThat(message(r)).contains("ProcessorFunction").doesNotContain("ProcessingTable");
      assertThat(r.getStatus().getFailures()).isEqualTo(secondFailures);
    });

    // a change that succeeds: no failure is left to report
    harness.edit("orders", r -> withSpec(r, 9, 384));
    ServerlessDataStack recovered = harness.await("orders", "synced at generation 4",
        r -> synced(r) && r.getMetadata().getGeneration() == 4);

    assertThat(recovered.getStatus().getStackStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(recovered.getStatus().getFailures()).isEmpty();
    assertThat(harness.describe(STACK).orElseThrow().parameters()).containsEntry("DynamoDbReadCapacity", "9")
        .containsEntry("LambdaMemorySize", "384");
    holdsForSeveralPasses(() -> {
      ServerlessDataStack r = harness.get("orders");
      assertThat(synced(r)).as("synced: %s", message(r)).isTrue();
      assertThat(r.getStatus().getFailures()).isEmpty();
    });
  }

  // defect 9 (a): nothing of a vanished stack stays in the status

  @Test
  void aReadOnlyResourceWhoseStackIsDeletedOutOfBandKeepsNothingOfIt() {
    harness.foreignStack(STACK, "orders-prod");
    ServerlessDataStack resource = stack("orders", "orders-prod");
    resource.getMetadata().setAnnotations(Map.of(Annotations.READ_ONLY, "true"));
    harness.simulator.resetCalls();
    harness.create(resource);
    ServerlessDataStack observed = harness.await("orders", "observing", OperatorHarness::synced);
    assertThat(column(observed, "ENDPOINT")).isPresent();
    assertThat(column(observed, "ARN")).isPresent();
    assertThat(observed.getStatus().getOutputs()).containsKey("ApiEndpoint");

    harness.simulator.deleteOutOfBand(STACK);
    harness.await("orders", "reporting the stack gone",
        r -> reason(r, ConditionTypes.SYNCED).filter("StackNotFound"::equals).isPresent());

    holdsForSeveralPasses(() -> {
      ServerlessDataStack gone = harness.get("orders");
      assertThat(reason(gone, ConditionTypes.SYNCED)).contains("StackNotFound");
      assertThat(condition(gone, ConditionTypes.READY, "False")).isTrue();
      assertThat(message(gone)).contains("stack " + STACK + " does not exist");
      assertThat(gone.getStatus().getOutputs()).as("outputs").isNullOrEmpty();
      assertThat(gone.getStatus().getStackStatus()).as("stackStatus").isNull();
      assertThat(gone.getStatus().getStackStatusReason()).as("stackStatusReason").isNull();
      assertThat(gone.getStatus().getAckResourceMetadata()).as("ackResourceMetadata").isNull();
      assertThat(gone.getStatus().getStackId()).as("a read-only resource records no stack id").isNull();
      assertThat(column(gone, "ENDPOINT")).as("the ENDPOINT column").isEmpty();
      assertThat(column(gone, "ARN")).as("the ARN column").isEmpty();
      assertThat(column(gone, "STACK-STATUS")).as("the STACK-STATUS column").isEmpty();
    });
    assertThat(harness.calls("CreateChangeSet")).isZero();
    assertThat(harness.simulator.hasStack(STACK)).isFalse();
  }

  @Test
  void aStackDeletedOutOfBandWhoseRecreationWaitsForApprovalShowsNoneOfTheOldStacksOutputs() {
    harness.create(manual(stack("orders", "orders-prod")));
    approve(harness.await("orders", "the creation waits", StatusTruthIT::waiting));
    ServerlessDataStack created = harness.await("orders", "created", OperatorHarness::synced);
    String firstId = created.getStatus().getStackId();
    assertThat(column(created, "ENDPOINT")).isPresent();

    harness.simulator.deleteOutOfBand(STACK);
    ServerlessDataStack waiting = harness.await("orders", "the re-creation waits", r -> waiting(r)
        && !firstId.equals(r.getStatus().getStackId()));
    assertThat(waiting.getStatus().getPendingChangeSet().type()).isEqualTo("CREATE");

    holdsForSeveralPasses(() -> {
      ServerlessDataStack r = harness.get("orders");
      assertThat(waiting(r)).isTrue();
      assertThat(r.getStatus().getStackStatus()).isEqualTo("REVIEW_IN_PROGRESS");
      assertThat(r.getStatus().getOutputs()).as("outputs of the deleted stack").isNullOrEmpty();
      assertThat(column(r, "ENDPOINT")).as("the ENDPOINT column").isEmpty();
      assertThat(column(r, "ARN")).as("the ARN column: the new stack's, if any").isNotEqualTo(Optional.of(firstId))
          .satisfiesAnyOf(arn -> assertThat(arn).isEmpty(),
              arn -> assertThat(arn).contains(r.getStatus().getStackId()));
      assertThat(r.getStatus().getFailures()).isNullOrEmpty();
    });
  }

  // defect 9 (b): an executed change set is recorded as complete once its operation ended

  @Test
  void anExecutedChangeSetIsRecordedCompleteAfterCreateAndUpdateOnEveryLaterPass() {
    harness.create(stack("orders", "orders-prod"));
    ServerlessDataStack created = harness.await("orders", "synced", OperatorHarness::synced);

    assertThat(created.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(created.getStatus().getLastChangeSet().type()).isEqualTo("CREATE");
    assertThat(created.getStatus().getLastChangeSet().executionStatus()).isEqualTo("EXECUTE_COMPLETE");
    holdsForSeveralPasses(() -> assertThat(harness.get("orders").getStatus().getLastChangeSet())
        .extracting(ChangeSetStatus::type, ChangeSetStatus::generation, ChangeSetStatus::executionStatus)
        .containsExactly("CREATE", 1L, "EXECUTE_COMPLETE"));

    harness.edit("orders", r -> withSpec(r, 10, null));
    ServerlessDataStack updated = harness.await("orders", "synced at generation 2",
        r -> synced(r) && r.getMetadata().getGeneration() == 2);

    assertThat(updated.getStatus().getStackStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(updated.getStatus().getLastChangeSet())
        .extracting(ChangeSetStatus::type, ChangeSetStatus::generation, ChangeSetStatus::executionStatus)
        .containsExactly("UPDATE", 2L, "EXECUTE_COMPLETE");
    harness.annotate("orders", Annotations.OPERATOR_PREFIX + "nudge", "1");
    holdsForSeveralPasses(() -> {
      ServerlessDataStack r = harness.get("orders");
      assertThat(synced(r)).isTrue();
      assertThat(r.getStatus().getLastChangeSet())
          .extracting(ChangeSetStatus::type, ChangeSetStatus::generation, ChangeSetStatus::executionStatus)
          .containsExactly("UPDATE", 2L, "EXECUTE_COMPLETE");
    });
  }

  // defect 9 (c): a change set that changes nothing is discarded, recorded so, and not described again

  @Test
  void aChangeSetThatChangesNothingIsRecordedDiscardedAndNotDescribedAgain() {
    harness.create(stack("orders", "orders-prod"));
    harness.await("orders", "synced", OperatorHarness::synced);
    // an update that fails and rolls back leaves the stack as it was; the user then goes back to the spec it has,
    // and the change set for it changes nothing
    harness.simulator.failResource(STACK, "ProcessingTable", "Throughput change rejected");
    harness.edit("orders", r -> withSpec(r, 9, null));
    awaitRolledBack(2);
    harness.simulator.resetCalls();

    harness.edit("orders", r -> withSpec(r, 5, null));
    ServerlessDataStack accepted = harness.await("orders", "the no-change change set accepted",
        r -> r.getStatus().getLastChangeSet() != null && r.getStatus().getLastChangeSet().generation() == 3
            && "DELETE_COMPLETE".equals(r.getStatus().getLastChangeSet().status()));

    ChangeSetStatus discarded = accepted.getStatus().getLastChangeSet();
    assertThat(discarded.type()).isEqualTo("UPDATE");
    assertThat(discarded.statusReason()).contains("didn't contain changes");
    assertThat(discarded.executionStatus()).isNotEqualTo("EXECUTE_IN_PROGRESS").isNotEqualTo("AVAILABLE");
    assertThat(harness.calls("CreateChangeSet")).isEqualTo(1);
    assertThat(harness.calls("DeleteChangeSet")).isEqualTo(1);
    assertThat(harness.calls("ExecuteChangeSet")).isZero();
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Normal NoChanges") && e.contains(discarded.name()));

    harness.simulator.resetCalls();
    long since = harness.passes();
    harness.annotate("orders", Annotations.OPERATOR_PREFIX + "nudge", "1");
    harness.awaitPasses(since, 2);
    harness.clock.advance(java.time.Duration.ofMinutes(3));
    harness.annotate("orders", Annotations.OPERATOR_PREFIX + "nudge", "2");
    harness.awaitPasses(since, 5);

    ServerlessDataStack later = harness.get("orders");
    assertThat(harness.calls("DescribeChangeSet")).as("DescribeChangeSet calls on later passes").isZero();
    assertThat(harness.calls("CreateChangeSet")).isZero();
    assertThat(harness.calls("DeleteChangeSet")).isZero();
    assertThat(later.getStatus().getLastChangeSet()).isEqualTo(discarded);
    assertThat(synced(later)).as("synced: %s", message(later)).isTrue();
  }

  // defect 9 (d): the advisory stays while a fault is reported

  @Test
  void theAdvisoryStaysWhileAnAwsFaultIsReported() {
    harness.create(stack("orders", "orders-prod"));
    ServerlessDataStack synced = harness.await("orders", "synced", OperatorHarness::synced);
    Condition advisory = find(synced, ConditionTypes.ADVISORY).orElseThrow();
    assertThat(advisory.getStatus()).isEqualTo("True");
    assertThat(advisory.getMessage()).contains("spec.alerts.topicEncryption is AwsManaged");

    harness.simulator.failAction("CreateChangeSet", 100_000);
    harness.edit("orders", r -> withSpec(r, 7, null));
    ServerlessDataStack failing = harness.await("orders", "recoverable",
        r -> condition(r, ConditionTypes.RECOVERABLE, "True"));

    assertThat(reason(failing, ConditionTypes.RECOVERABLE)).contains("InternalFailure");
    assertThat(find(failing, ConditionTypes.ADVISORY)).get()
        .extracting(Condition::getStatus, Condition::getMessage)
        .containsExactly("True", advisory.getMessage());
    holdsForSeveralPasses(() -> {
      ServerlessDataStack r = harness.get("orders");
      assertThat(condition(r, ConditionTypes.RECOVERABLE, "True")).isTrue();
      assertThat(find(r, ConditionTypes.ADVISORY)).get()
          .extracting(Condition::getStatus, Condition::getMessage)
          .containsExactly("True", advisory.getMessage());
    });

    harness.simulator.throttleNext(100_000);
    harness.simulator.failAction("CreateChangeSet", 0);
    ServerlessDataStack throttled = harness.await("orders", "throttled",
        r -> reason(r, ConditionTypes.RECOVERABLE).filter("Throttling"::equals).isPresent());
    assertThat(find(throttled, ConditionTypes.ADVISORY)).get().extracting(Condition::getMessage)
        .isEqualTo(advisory.getMessage());

    harness.simulator.throttleNext(0);
    ServerlessDataStack recovered = harness.await("orders", "synced at generation 2",
        r -> synced(r) && r.getMetadata().getGeneration() == 2);
    assertThat(condition(recovered, ConditionTypes.RECOVERABLE, "True")).isFalse();
    assertThat(find(recovered, ConditionTypes.ADVISORY)).get().extracting(Condition::getMessage)
        .isEqualTo(advisory.getMessage());
  }

  /**
   * Checks the status on three passes that follow (the natural resync and a nudge: an annotation under the
   * operator's prefix, which starts a pass at once) — a truth that lasts one pass is no truth.
   */
  private void holdsForSeveralPasses(Runnable check) {
    check.run();
    for (int i = 1; i <= 3; i++) {
      long since = harness.passes();
      harness.annotate("orders", Annotations.OPERATOR_PREFIX + "nudge", "pass-" + since);
      harness.awaitPasses(since, 1);
      check.run();
    }
  }

  /** Waits until the update of this generation failed and was rolled back, as the status reports it. */
  private ServerlessDataStack awaitRolledBack(long generation) {
    return harness.await("orders", "generation " + generation + " rolled back", r -> find(r, ConditionTypes.SYNCED)
        .filter(c -> "UpdateRolledBack".equals(c.getReason()) && c.getObservedGeneration() == generation)
        .isPresent());
  }

  private static void assertFailure(StackFailure failure, String logicalId, String status, String reason) {
    assertThat(failure.logicalId()).isEqualTo(logicalId);
    assertThat(failure.resourceStatus()).isEqualTo(status);
    assertThat(failure.reason()).isEqualTo(reason);
  }

  private static Optional<Condition> find(ServerlessDataStack resource, String type) {
    return resource.getStatus() == null ? Optional.empty()
        : StatusConditions.find(resource.getStatus().getConditions(), type);
  }

  private static String message(ServerlessDataStack resource) {
    return find(resource, ConditionTypes.SYNCED).map(Condition::getMessage).orElse("");
  }

  private static boolean waiting(ServerlessDataStack resource) {
    return resource.getStatus() != null && resource.getStatus().getPendingChangeSet() != null
        && reason(resource, ConditionTypes.SYNCED).filter(Planner.AWAITING_APPROVAL::equals).isPresent();
  }

  private void approve(ServerlessDataStack waiting) {
    harness.annotate("orders", Annotations.APPROVE, waiting.getStatus().getPendingChangeSet().name());
  }

  /**
   * What {@code kubectl get -o wide} prints in a column of the CRD (its simple {@code .a.b.c} JSON paths), empty
   * when kubectl prints {@code <none>}.
   */
  private Optional<String> column(ServerlessDataStack resource, String name) {
    CustomResourceDefinition crd;
    try (InputStream in = new FileInputStream(Path.of(System.getProperty("sds.repoRoot", ".."), "crds",
        "serverlessdatastacks.serverlessdata.io-v1.yml").toFile())) {
      crd = harness.client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String path = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .filter(c -> name.equals(c.getName())).map(CustomResourceColumnDefinition::getJsonPath)
        .findFirst().orElseThrow(() -> new AssertionError("no column " + name + " in the CRD"));
    JsonNode node = JSON.valueToTree(resource);
    for (String part : path.substring(1).split("\\.")) {
      node = node == null ? null : node.get(part);
    }
    return node == null || node.isNull() || node.asText().isEmpty() ? Optional.empty() : Optional.of(node.asText());
  }

  private static ServerlessDataStack manual(ServerlessDataStack resource) {
    resource.setSpec(resource.getSpec().withChangeApproval(ChangeApproval.Manual));
    return resource;
  }

  /** The spec with this read capacity and, when given, this function memory. */
  private static ServerlessDataStack withSpec(ServerlessDataStack resource, int readCapacity, Integer memory) {
    ServerlessDataStackSpec s = resource.getSpec();
    LambdaSpec lambda = memory == null ? s.lambda()
        : new LambdaSpec(s.lambda() == null ? null : s.lambda().runtime(), memory,
            s.lambda() == null ? null : s.lambda().timeoutSeconds(), s.lambda() == null ? null : s.lambda().tracing());
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), readCapacity, s.dynamoDbWriteCapacity(),
        s.alertEmail(), s.environment(), s.tags(), s.stackName(), lambda, s.api(), s.logRetentionDays(),
        s.dataRetention(), s.objectLock(), s.driftDetection(), s.alerts(), s.exportTo(), s.cloudFormation())
        .withChangeApproval(s.changeApproval()));
    return resource;
  }
}
