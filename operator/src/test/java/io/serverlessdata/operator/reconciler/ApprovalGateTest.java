package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.PassFixture.NOW;
import static io.serverlessdata.operator.reconciler.PassFixture.STACK_ID;
import static io.serverlessdata.operator.reconciler.PassFixture.drivenTo;
import static io.serverlessdata.operator.reconciler.PassFixture.input;
import static io.serverlessdata.operator.reconciler.PassFixture.listed;
import static io.serverlessdata.operator.reconciler.PassFixture.recorded;
import static io.serverlessdata.operator.reconciler.PassFixture.spec;
import static io.serverlessdata.operator.reconciler.PassFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.ChangeApproval;
import io.serverlessdata.operator.api.DriftRemediation;
import io.serverlessdata.operator.api.ServerlessDataStackSpec;
import io.serverlessdata.operator.api.ServerlessDataStackSpec.DriftDetectionSpec;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.ParameterChange;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PlannedChange;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.DriftInformation;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackStatus;
import io.serverlessdata.operator.reconciler.Decision.Action;
import io.serverlessdata.operator.reconciler.Decision.DriftAction;
import io.serverlessdata.operator.reconciler.Decision.Requeue;
import io.serverlessdata.operator.reconciler.StatusReport.Announcement;
import io.serverlessdata.operator.reconciler.Verdict.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The approval gate of {@code spec.changeApproval: Manual}: what the planner decides and what the report says. */
class ApprovalGateTest {

  private static final Target MANUAL = manual(2, Optional.empty());
  private static final String NAME = MANUAL.changeSetName();
  private static final PlannedChange CAPACITY = new PlannedChange("Modify", "ProcessingTable", "AWS::DynamoDB::Table",
      "False", "orders-prod-processing", List.of("ProvisionedThroughput"));

  private static Target manual(long generation, Optional<String> approval) {
    return manual(generation, approval, false, spec());
  }

  private static Target manual(long generation, Optional<String> approval, boolean allowReplacement,
      ServerlessDataStackSpec spec) {
    return target(generation, new Steering(false, false, allowReplacement, Optional.empty(), false, approval),
        spec.withChangeApproval(ChangeApproval.Manual));
  }

  /** A stack driven to an earlier spec, with this spec's update planned and computed. */
  private static ServerlessDataStackStatus waiting(PlannedChange... changes) {
    ServerlessDataStackStatus prior = drivenTo("hash-before", "UPDATE_COMPLETE");
    prior.setLastChangeSet(recorded(NAME, "CREATE_COMPLETE", null, "AVAILABLE", changes));
    return prior;
  }

  @Test
  void withoutAPlanTheStackIsPlannedAsUsual() {
    Decision d = Planner.decide(input(MANUAL, new ServerlessDataStackStatus(), Observation.absent()));

    assertThat(d.action()).isEqualTo(new Action.Plan(PlanRequest.Type.CREATE, NAME, Optional.empty(), false, false));
  }

  @Test
  void aComputedPlanWaitsWithTheCommandThatApprovesIt() {
    Decision d = Planner.decide(input(MANUAL, waiting(CAPACITY), listed("UPDATE_COMPLETE")));

    assertThat(d.action()).isEqualTo(new Action.None());
    assertThat(d.drift()).as("no drift detection while a plan waits").isEqualTo(DriftAction.NONE);
    assertThat(d.verdict().state()).isEqualTo(State.NOT_SYNCED);
    assertThat(d.verdict().reason()).isEqualTo("AwaitingApproval");
    assertThat(d.verdict().message())
        .contains("change set " + NAME + " waits for approval", "1 change (Modify ProcessingTable)",
            "kubectl annotate sds orders -n team-a serverlessdata.io/approve=" + NAME + " --overwrite");
    assertThat(d.requeue()).as("the annotation starts the next pass").isEqualTo(Requeue.NEVER);
  }

  @Test
  void theApprovalNamingThePlanExecutesIt() {
    Decision d = Planner.decide(input(manual(2, Optional.of(NAME)), waiting(CAPACITY), listed("UPDATE_COMPLETE")));

    assertThat(d.action()).isEqualTo(new Action.Execute(NAME, false));
  }

  @Test
  void aStaleApprovalIsIgnoredAndSaidSo() {
    Target stale = manual(2, Optional.of("sds-g1-0123456789abcdef"));

    Decision d = Planner.decide(input(stale, waiting(CAPACITY), listed("UPDATE_COMPLETE")));

    assertThat(d.action()).isEqualTo(new Action.None());
    assertThat(d.verdict().reason()).isEqualTo("AwaitingApproval");
    assertThat(d.verdict().message()).contains("the approval serverlessdata.io/approve=sds-g1-0123456789abcdef names"
        + " no change set waiting, so it was ignored");
    assertThat(Planner.staleApproval(stale, new Prior(waiting()), NAME)).contains("sds-g1-0123456789abcdef");
  }

  @Test
  void anApprovalRunsItsChangeSetOnceAndIsThenHistoryNotStale() {
    ServerlessDataStackStatus approvedBefore = waiting(CAPACITY);
    approvedBefore.setLastApproval(NAME);

    Decision d = Planner.decide(input(manual(2, Optional.of(NAME)), approvedBefore, listed("UPDATE_COMPLETE")));

    assertThat(d.action()).as("approved and executed once already").isEqualTo(new Action.None());
    assertThat(Planner.staleApproval(manual(3, Optional.of(NAME)), new Prior(approvedBefore), "sds-g3-next"))
        .as("the approval of the change set executed before is no mistake").isEmpty();
  }

  @Test
  void aSpecChangeWhileAPlanWaitsDiscardsItAndPlansAnew() {
    Target changed = manual(3, Optional.empty(), false, spec().withChangeApproval(ChangeApproval.Manual));

    Decision d = Planner.decide(input(changed, waiting(CAPACITY), listed("UPDATE_COMPLETE")));

    assertThat(d.action()).isEqualTo(new Action.Plan(PlanRequest.Type.UPDATE, changed.changeSetName(),
        Optional.of("arn:cs/" + NAME), false, false));
    assertThat(changed.changeSetName()).isNotEqualTo(NAME);
  }

  @Test
  void approvingAReplacementOfTheTableStillNeedsTheReplacementAnnotation() {
    PlannedChange replace = new PlannedChange("Modify", "ProcessingTable", "AWS::DynamoDB::Table", "True");

    Decision approvedOnly = Planner.decide(input(manual(2, Optional.of(NAME)), waiting(replace),
        listed("UPDATE_COMPLETE")));
    assertThat(approvedOnly.verdict().reason()).isEqualTo("ReplacementBlocked");
    assertThat(approvedOnly.action()).isEqualTo(new Action.None());

    Decision allowedOnly = Planner.decide(input(manual(2, Optional.empty(), true, spec()), waiting(replace),
        listed("UPDATE_COMPLETE")));
    assertThat(allowedOnly.verdict().reason()).isEqualTo("AwaitingApproval");

    assertThat(Planner.decide(input(manual(2, Optional.of(NAME), true, spec()), waiting(replace),
        listed("UPDATE_COMPLETE"))).action()).isEqualTo(new Action.Execute(NAME, false));
  }

  @Test
  void aDriftRevertWaitsForApprovalToo() {
    ServerlessDataStackSpec reverting = new ServerlessDataStackSpec("orders-prod", null, null, "ops@example.com",
        null, null, null, null, null, null, null, null, new DriftDetectionSpec(60, DriftRemediation.Revert), null,
        null, null);
    Target target = manual(2, Optional.empty(), false, reverting);
    ServerlessDataStackStatus drifted = drivenTo(target.hash(), "UPDATE_COMPLETE");
    drifted.setDrift(DriftStatus.notChecked().started("detection-abc123", "2026-11-28T11:00:00Z", null, null, false)
        .completed("DRIFTED", "2026-11-28T11:01:00Z", "1 resource(s) differ", 1, List.of()));
    String revert = target.revertChangeSetName("detection-abc123");

    assertThat(Planner.decide(input(target, drifted, listed("UPDATE_COMPLETE"))).action())
        .isEqualTo(new Action.Plan(PlanRequest.Type.UPDATE, revert, Optional.empty(), true, false));

    drifted.setLastChangeSet(recorded(revert, "CREATE_COMPLETE", null, "AVAILABLE", CAPACITY));
    Decision waits = Planner.decide(input(target, drifted, listed("UPDATE_COMPLETE")));
    assertThat(waits.verdict().reason()).isEqualTo("AwaitingApproval");
    assertThat(waits.verdict().message()).contains("serverlessdata.io/approve=" + revert);

    Target approved = manual(2, Optional.of(revert), false, reverting);
    assertThat(Planner.decide(input(approved, drifted, listed("UPDATE_COMPLETE"))).action())
        .isEqualTo(new Action.Execute(revert, true));
  }

  @Test
  void theFirstCreationWaitsForApproval() {
    ServerlessDataStackStatus created = drivenTo(null, "REVIEW_IN_PROGRESS");
    created.setLastChangeSet(recorded(NAME, "CREATE_COMPLETE", null, "AVAILABLE",
        new PlannedChange("Add", "ProcessingTable", "AWS::DynamoDB::Table", null),
        new PlannedChange("Add", "ProcessorFunction", "AWS::Lambda::Function", null)));

    Decision waits = Planner.decide(input(MANUAL, created, listed("REVIEW_IN_PROGRESS")));
    assertThat(waits.verdict().reason()).isEqualTo("AwaitingApproval");
    assertThat(waits.verdict().message()).contains("2 changes (Add ProcessingTable, Add ProcessorFunction)");

    assertThat(Planner.decide(input(manual(2, Optional.of(NAME)), created, listed("REVIEW_IN_PROGRESS"))).action())
        .isEqualTo(new Action.Execute(NAME, false));
  }

  @Test
  void automaticApprovalIgnoresTheAnnotation() {
    Target automatic = target(2, new Steering(false, false, false, Optional.empty(), false, Optional.of("other")));

    assertThat(Planner.decide(input(automatic, waitingFor(automatic), listed("UPDATE_COMPLETE"))).action())
        .isEqualTo(new Action.Execute(automatic.changeSetName(), false));
  }

  @Test
  void theStatusShowsTheWaitingPlanAndAnnouncesItOnce() {
    StatusReport.Result first = report(MANUAL, waiting(CAPACITY), Outcome.NOTHING);

    assertThat(first.status().getPendingChangeSet()).isEqualTo(first.status().getLastChangeSet());
    assertThat(first.status().getPendingChangeSet().changes()).containsExactly(CAPACITY);
    assertThat(first.events()).extracting(Announcement::reason).containsExactly(EventReason.AwaitingApproval);
    assertThat(first.events().get(0).message()).contains("serverlessdata.io/approve=" + NAME);

    StatusReport.Result second = report(MANUAL, first.status(), Outcome.NOTHING);
    assertThat(second.events()).as("once per plan").isEmpty();
    assertThat(second.status().getPendingChangeSet()).isNotNull();
  }

  @Test
  void aStaleApprovalIsAWarningOnceNamingThePlanThatWaits() {
    StatusReport.Result waitingNow = report(MANUAL, waiting(CAPACITY), Outcome.NOTHING);
    Target stale = manual(2, Optional.of("sds-g1-0123456789abcdef"));

    StatusReport.Result warned = report(stale, waitingNow.status(), Outcome.NOTHING);
    assertThat(warned.events()).extracting(Announcement::reason).containsExactly(EventReason.StaleApproval);
    assertThat(EventReason.StaleApproval.type()).isEqualTo("Warning");
    assertThat(warned.events().get(0).message()).contains("sds-g1-0123456789abcdef", "the one waiting is " + NAME);

    assertThat(report(stale, warned.status(), Outcome.NOTHING).events()).as("once").isEmpty();
  }

  @Test
  void anApprovedExecutionIsRecordedAndThePlanNoLongerPending() {
    Target approved = manual(2, Optional.of(NAME));
    StatusReport.Result waitingNow = report(MANUAL, waiting(CAPACITY), Outcome.NOTHING);

    StatusReport.Result executed = report(approved, waitingNow.status(),
        new Outcome(new Outcome.Stack.Executed(NAME, false, ""), new Outcome.Drift.None()));

    assertThat(executed.status().getLastApproval()).isEqualTo(NAME);
    assertThat(executed.status().getPendingChangeSet()).isNull();
    assertThat(executed.status().getLastChangeSet().executionStatus()).isEqualTo(ChangeSet.EXECUTE_IN_PROGRESS);
  }

  @Test
  void aPlannedUpdateRecordsWhenItWasMadeAndTheParametersItChanges() {
    Map<String, String> rendered = MANUAL.rendered().parameters();
    String changed = rendered.keySet().iterator().next();
    Map<String, String> before = new java.util.TreeMap<>(rendered);
    before.put(changed, "the value before");
    Stack stack = new Stack("team-a-orders", STACK_ID, StackStatus.UPDATE_COMPLETE, Optional.empty(), Map.of(),
        Map.of(), before, true, Instant.EPOCH, Optional.of(PassFixture.CHANGED), DriftInformation.NOT_CHECKED);
    ChangeSet created = new ChangeSet("team-a-orders", STACK_ID, NAME, "arn:cs/" + NAME, "CREATE_PENDING",
        Optional.empty(), "UNAVAILABLE", List.of());
    Outcome planned = new Outcome(new Outcome.Stack.Planned(created, PlanRequest.Type.UPDATE, false, false,
        Optional.empty()), new Outcome.Drift.None());

    StatusReport.Result result = StatusReport.report(pass(MANUAL, drivenTo("hash-before", "UPDATE_COMPLETE"),
        PassFixture.described(stack), planned));

    assertThat(result.status().getLastChangeSet().parameterChanges())
        .containsExactly(new ParameterChange(changed, "the value before", rendered.get(changed)));
    assertThat(result.status().getLastChangeSet().createdTime()).isEqualTo(NOW.toString());
  }

  private static ServerlessDataStackStatus waitingFor(Target target) {
    ServerlessDataStackStatus prior = drivenTo("hash-before", "UPDATE_COMPLETE");
    prior.setLastChangeSet(recorded(target.changeSetName(), "CREATE_COMPLETE", null, "AVAILABLE", CAPACITY));
    return prior;
  }

  private static StatusReport.Result report(Target target, ServerlessDataStackStatus prior, Outcome outcome) {
    return StatusReport.report(pass(target, prior, listed("UPDATE_COMPLETE"), outcome));
  }

  private static StatusReport.Pass pass(Target target, ServerlessDataStackStatus status, Observation observed,
      Outcome outcome) {
    Prior prior = new Prior(status);
    Decision decision = Planner.decide(new Planner.Input(target, prior, observed, PassFixture.SETTINGS, NOW, Planner.CallLoad.SPARE));
    return new StatusReport.Pass(target, prior, observed, decision, outcome,
        OutputExporter.Export.unchanged(status.getExports(), Optional.empty()), List.of(), NOW);
  }
}
