package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.OperatorHarness.reason;
import static io.serverlessdata.operator.reconciler.OperatorHarness.stack;
import static io.serverlessdata.operator.reconciler.OperatorHarness.synced;
import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.ChangeApproval;
import io.serverlessdata.operator.api.DriftRemediation;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.DriftDetectionSpec;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ChangeSetStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ParameterChange;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PlannedChange;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plan, approve, apply (issue 17): under {@code spec.changeApproval: Manual} every change set the operator plans —
 * the first creation, an update, a drift revert — waits in {@code status.pendingChangeSet} until the annotation
 * {@code serverlessdata.io/approve} names it, and the operator acts on that annotation at once.
 */
class ApprovalGateIT {

  private static final String STACK = "team-a-orders";
  /** Production's pace for a resource that waits: nothing but the annotation can start the next pass in time. */
  private static final ReconcilerSettings SLOW_RESYNC = OperatorHarness.PACE.withPacing(Duration.ofMillis(150),
      Duration.ofMinutes(10), Duration.ofMinutes(10));

  private OperatorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void theFirstCreationWaitsForTheApprovalThatNamesItAndIgnoresAStaleOne() throws Exception {
    harness = new OperatorHarness(SLOW_RESYNC);
    harness.create(manual(stack("orders", "orders-prod")));

    ServerlessDataStack waiting = awaitApproval("the creation waits");
    ChangeSetStatus plan = waiting.getStatus().getPendingChangeSet();
    assertThat(plan.type()).isEqualTo("CREATE");
    assertThat(plan.generation()).isEqualTo(1L);
    assertThat(plan.createdTime()).isNotBlank();
    assertThat(plan.changes()).extracting(PlannedChange::action).containsOnly("Add");
    assertThat(plan.changes()).extracting(PlannedChange::logicalId)
        .contains("ProcessingTable", "ProcessedDataBucket", "ProcessorFunction", "ProcessingApi");
    assertThat(waiting.getStatus().getStackStatus()).isEqualTo("REVIEW_IN_PROGRESS");
    assertThat(message(waiting)).contains("kubectl annotate sds orders -n team-a serverlessdata.io/approve="
        + plan.name() + " --overwrite");
    assertThat(harness.events("orders")).filteredOn(e -> e.startsWith("Normal AwaitingApproval")).hasSize(1);

    harness.annotate("orders", Annotations.APPROVE, "sds-g1-not-the-plan");
    harness.await("orders", "warned of the stale approval",
        r -> message(r).contains("approve=sds-g1-not-the-plan names no change set waiting"));
    assertThat(harness.events("orders")).anyMatch(e -> e.startsWith("Warning StaleApproval")
        && e.contains("sds-g1-not-the-plan") && e.contains("the one waiting is " + plan.name()));
    assertThat(harness.calls("ExecuteChangeSet")).isZero();

    harness.annotate("orders", Annotations.APPROVE, plan.name());
    ServerlessDataStack created = harness.await("orders", "created within seconds of the approval",
        OperatorHarness::synced);
    assertThat(created.getStatus().getStackStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(created.getStatus().getPendingChangeSet()).isNull();
    assertThat(created.getStatus().getLastApproval()).isEqualTo(plan.name());
    assertThat(harness.calls("ExecuteChangeSet")).isEqualTo(1);
    assertThat(harness.events("orders")).filteredOn(e -> e.startsWith("Warning StaleApproval")).hasSize(1);
  }

  @Test
  void anUpdateShowsItsChangesAndParametersAndASpecChangeWhileItWaitsReplacesThePlan() throws Exception {
    harness = new OperatorHarness();
    harness.create(manual(stack("orders", "orders-prod")));
    approve(awaitApproval("the creation waits"));
    harness.await("orders", "created", OperatorHarness::synced);

    harness.edit("orders", r -> {
      r.setSpec(manual(stack("orders", "orders-prod", 10)).getSpec());
      return r;
    });
    ServerlessDataStack first = harness.await("orders", "the update waits",
        r -> waiting(r) && r.getStatus().getPendingChangeSet().generation() == 2);
    ChangeSetStatus update = first.getStatus().getPendingChangeSet();
    assertThat(update.type()).isEqualTo("UPDATE");
    assertThat(update.changes()).singleElement().satisfies(change -> {
      assertThat(change.action()).isEqualTo("Modify");
      assertThat(change.logicalId()).isEqualTo("ProcessingTable");
      assertThat(change.replacement()).isEqualTo("False");
      assertThat(change.properties()).containsExactly("ProvisionedThroughput");
    });
    assertThat(update.parameterChanges()).containsExactly(new ParameterChange("DynamoDbReadCapacity", "5", "10"));
    assertThat(harness.describe(STACK).orElseThrow().parameters()).containsEntry("DynamoDbReadCapacity", "5");

    harness.edit("orders", r -> {
      r.setSpec(manual(stack("orders", "orders-prod", 20)).getSpec());
      return r;
    });
    ServerlessDataStack replanned = harness.await("orders", "the new spec's plan waits",
        r -> waiting(r) && r.getStatus().getPendingChangeSet().generation() == 3);
    ChangeSetStatus second = replanned.getStatus().getPendingChangeSet();
    assertThat(second.name()).isNotEqualTo(update.name());
    assertThat(second.parameterChanges()).containsExactly(new ParameterChange("DynamoDbReadCapacity", "5", "20"));
    assertThat(harness.calls("DeleteChangeSet")).as("the replaced plan was discarded").isGreaterThanOrEqualTo(1);

    harness.annotate("orders", Annotations.APPROVE, update.name());
    harness.await("orders", "the replaced plan's approval ignored",
        r -> message(r).contains("approve=" + update.name() + " names no change set waiting"));
    assertThat(harness.calls("ExecuteChangeSet")).isEqualTo(1);

    approve(replanned);
    harness.await("orders", "updated", r -> synced(r) && r.getMetadata().getGeneration() == 3);
    assertThat(harness.describe(STACK).orElseThrow().parameters()).containsEntry("DynamoDbReadCapacity", "20");
    assertThat(harness.calls("ExecuteChangeSet")).isEqualTo(2);
  }

  @Test
  void aDriftRevertWaitsForApprovalAndAReplacementNeedsItsOwnAnnotationToo() throws Exception {
    harness = new OperatorHarness();
    ServerlessDataStack resource = stack("orders", "orders-prod");
    ServerlessDataStackSpec s = resource.getSpec();
    resource.setSpec(new ServerlessDataStackSpec(s.resourcePrefix(), s.dynamoDbReadCapacity(),
        s.dynamoDbWriteCapacity(), s.alertEmail(), s.environment(), s.tags(), s.stackName(), s.lambda(), s.api(),
        s.logRetentionDays(), s.dataRetention(), s.objectLock(), new DriftDetectionSpec(30, DriftRemediation.Revert),
        s.alerts(), s.exportTo(), s.cloudFormation()).withChangeApproval(ChangeApproval.Manual));
    harness.create(resource);
    approve(awaitApproval("the creation waits"));
    harness.await("orders", "created and checked", r -> synced(r) && r.getStatus().getDrift() != null
        && "IN_SYNC".equals(r.getStatus().getDrift().status()));

    harness.simulator.driftProperty(STACK, "ProcessorFunction", "MemorySize", Optional.of("1024"));
    harness.clock.advance(Duration.ofMinutes(30));
    ServerlessDataStack revert = harness.await("orders", "the revert waits",
        r -> waiting(r) && r.getStatus().getPendingChangeSet().name().contains("-revert-"));
    assertThat(revert.getStatus().getDrift().status()).isEqualTo("DRIFTED");
    assertThat(revert.getStatus().getPendingChangeSet().changes())
        .anyMatch(c -> c.logicalId().equals("ProcessorFunction") && c.action().equals("Modify"));
    assertThat(harness.simulator.deploymentModes(STACK)).containsExactly("REVERT_DRIFT");
    assertThat(harness.calls("ExecuteChangeSet")).as("only the approved creation ran").isEqualTo(1);

    approve(revert);
    harness.await("orders", "reverted", r -> synced(r) && "IN_SYNC".equals(r.getStatus().getDrift().status())
        && harness.calls("ExecuteChangeSet") == 2);

    harness.edit("orders", r -> {
      r.setSpec(new ServerlessDataStackSpec("orders-next", s.dynamoDbReadCapacity(), s.dynamoDbWriteCapacity(),
          s.alertEmail(), s.environment(), s.tags(), s.stackName(), s.lambda(), s.api(), s.logRetentionDays(),
          s.dataRetention(), s.objectLock(), new DriftDetectionSpec(30, DriftRemediation.Revert), s.alerts(),
          s.exportTo(), s.cloudFormation()).withChangeApproval(ChangeApproval.Manual));
      return r;
    });
    ServerlessDataStack blocked = harness.await("orders", "the replacement blocked",
        r -> reason(r, ConditionTypes.SYNCED).filter("ReplacementBlocked"::equals).isPresent());
    String replacing = blocked.getStatus().getLastChangeSet().name();
    assertThat(message(blocked)).contains("serverlessdata.io/allow-replacement=true",
        "serverlessdata.io/approve=" + replacing);
    harness.annotate("orders", Annotations.APPROVE, replacing);
    harness.await("orders", "still blocked though approved", r -> r.getMetadata().getAnnotations()
        .containsKey(Annotations.APPROVE) && reason(r, ConditionTypes.SYNCED).filter("ReplacementBlocked"::equals)
        .isPresent() && r.getStatus().getObservedGeneration() == 2);
    assertThat(harness.calls("ExecuteChangeSet")).isEqualTo(2);
  }

  private static ServerlessDataStack manual(ServerlessDataStack resource) {
    resource.setSpec(resource.getSpec().withChangeApproval(ChangeApproval.Manual));
    return resource;
  }

  private ServerlessDataStack awaitApproval(String description) {
    return harness.await("orders", description, ApprovalGateIT::waiting);
  }

  private void approve(ServerlessDataStack waiting) {
    harness.annotate("orders", Annotations.APPROVE, waiting.getStatus().getPendingChangeSet().name());
  }

  private static boolean waiting(ServerlessDataStack r) {
    return reason(r, ConditionTypes.SYNCED).filter("AwaitingApproval"::equals).isPresent()
        && r.getStatus().getPendingChangeSet() != null;
  }

  private static String message(ServerlessDataStack r) {
    return r.getStatus() == null ? "" : StatusConditions.find(r.getStatus().getConditions(), ConditionTypes.SYNCED)
        .map(c -> c.getMessage()).orElse("");
  }
}
