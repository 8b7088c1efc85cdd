package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.PassFixture.STACK_ID;
import static io.serverlessdata.operator.reconciler.PassFixture.UID;
import static io.serverlessdata.operator.reconciler.PassFixture.described;
import static io.serverlessdata.operator.reconciler.PassFixture.drivenTo;
import static io.serverlessdata.operator.reconciler.PassFixture.input;
import static io.serverlessdata.operator.reconciler.PassFixture.listed;
import static io.serverlessdata.operator.reconciler.PassFixture.recorded;
import static io.serverlessdata.operator.reconciler.PassFixture.target;
import static io.serverlessdata.operator.reconciler.PassFixture.withChangeSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.DriftStatus;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.PlannedChange;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.Rejection;
import io.serverlessdata.operator.api.ServerlessDataStackStatus.StackFailure;
import io.serverlessdata.operator.cloudformation.Change;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.reconciler.Decision.Action;
import io.serverlessdata.operator.reconciler.Decision.DriftAction;
import io.serverlessdata.operator.reconciler.Decision.Requeue;
import io.serverlessdata.operator.reconciler.Verdict.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static final Target TARGET = target();
  private static final String HASH = TARGET.hash();
  private static final String NAME = TARGET.changeSetName();
  private static final Steering ADOPT = new Steering(false, true, false, Optional.empty(), false, Optional.empty());
  private static final Steering ALLOW = new Steering(false, false, true, Optional.empty(), false, Optional.empty());
  private static final Steering READ_ONLY = new Steering(true, false, false, Optional.empty(), false, Optional.empty());

  private static ServerlessDataStackStatus planned(String status, String execution, String reason,
      PlannedChange... changes) {
    ServerlessDataStackStatus prior = drivenTo("hash-before", "UPDATE_COMPLETE");
    prior.setLastChangeSet(recorded(NAME, status, reason, execution, changes));
    return prior;
  }

  private static Decision decide(ServerlessDataStackStatus prior, Observation observed) {
    return Planner.decide(input(TARGET, prior, observed));
  }

  @Test
  void aMissingStackIsCreatedThroughAChangeSet() {
    Decision d = decide(new ServerlessDataStackStatus(), Observation.absent());

    assertThat(d.action()).isEqualTo(new Action.Plan(PlanRequest.Type.CREATE, NAME, Optional.empty(), false, false));
    assertThat(d.verdict().state()).isEqualTo(State.PROGRESSING);
    assertThat(d.requeue()).isEqualTo(Requeue.PROGRESS);
  }

  @Test
  void aStackThatVanishedWithoutTheOperatorIsRecreatedAndSaidSo() {
    assertThat(decide(drivenTo(HASH, "CREATE_COMPLETE"), Observation.absent()).action())
        .isEqualTo(new Action.Plan(PlanRequest.Type.CREATE, NAME, Optional.empty(), false, true));
    assertThat(decide(drivenTo(HASH, "DELETE_IN_PROGRESS"), Observation.absent()).action())
        .as("deleted by the operator").isEqualTo(new Action.Plan(PlanRequest.Type.CREATE, NAME, Optional.empty(),
            false, false));
  }

  @Test
  void aStackIsOursByItsOwnerTagOrByTheIdOurCreateRecordedBeforeItsTagsExist() {
    Stack tagged = described("CREATE_COMPLETE", UID, true);
    Stack untagged = described("REVIEW_IN_PROGRESS", null, false);

    assertThat(Planner.owns(UID, Optional.empty(), tagged)).isTrue();
    assertThat(Planner.owns(UID, Optional.of(untagged.id()), untagged)).isTrue();
    assertThat(Planner.owns(UID, Optional.of("arn:another-incarnation"), untagged)).isFalse();
    assertThat(Planner.owns(UID, Optional.empty(), untagged)).isFalse();
  }

  @Test
  void aRecordedIdNeverMakesAStackTaggedForAnotherResourceOurs() {
    Stack others = described("CREATE_COMPLETE", "uid-of-another-resource", true);

    // what an earlier version wrote into the status of the resource that lost a stack-name conflict
    assertThat(Planner.owns(UID, Optional.of(others.id()), others)).isFalse();
    Decision d = decide(drivenTo(HASH, "CREATE_COMPLETE"), described(others));
    assertThat(d.verdict().reason()).isEqualTo("StackNameConflict");
    assertThat(d.action()).isEqualTo(new Action.None());
  }

  @Test
  void someoneElsesStackIsATerminalConflictUnlessAdopted() {
    Observation foreign = described(described("CREATE_COMPLETE", "other-uid", true));

    Decision conflict = decide(new ServerlessDataStackStatus(), foreign);
    assertThat(conflict.verdict().state()).isEqualTo(State.TERMINAL);
    assertThat(conflict.verdict().message()).contains("services.k8s.aws/adoption-policy=adopt");
    assertThat(conflict.action()).isEqualTo(new Action.None());
    assertThat(conflict.announce()).contains(EventReason.StackNameConflict);

    Decision adopting = Planner.decide(input(target(2, ADOPT), new ServerlessDataStackStatus(), foreign));
    assertThat(adopting.action()).isInstanceOf(Action.Plan.class);
  }

  @Test
  void aMovingStackIsReportedAndLeftToTheListing() {
    Decision d = decide(planned("CREATE_COMPLETE", "EXECUTE_IN_PROGRESS", null), listed("UPDATE_IN_PROGRESS"));

    assertThat(d.action()).isEqualTo(new Action.None());
    assertThat(d.verdict().reason()).isEqualTo("UpdateInProgress");
    assertThat(d.requeue()).as("no timer of its own while the listing follows it: in a busy queue it would hold the"
        + " place of the pass the listing starts when the stack settles").isEqualTo(Requeue.FOLLOWED);
  }

  @Test
  void anExecutedChangeSetWhoseStackWasNotSeenMovingYetIsWaitedFor() {
    ServerlessDataStackStatus executing = planned("CREATE_COMPLETE", "EXECUTE_IN_PROGRESS", null);
    executing.setSpecHash(HASH);

    Decision d = decide(executing, listed("UPDATE_COMPLETE"));

    assertThat(d.action()).isEqualTo(new Action.None());
    assertThat(d.verdict().reason()).isEqualTo("Executing");
    assertThat(d.requeue()).as("the listing lists shortly until it sees the stack move or settle")
        .isEqualTo(Requeue.FOLLOWED);
  }

  @Test
  void aStackDrivenToThisSpecIsSyncedAndChecksDriftWhenDue() {
    Decision d = decide(drivenTo(HASH, "UPDATE_COMPLETE"), listed("UPDATE_COMPLETE"));

    assertThat(d.verdict().state()).isEqualTo(State.SYNCED);
    assertThat(d.action()).isEqualTo(new Action.None());
    assertThat(d.drift()).as("never checked: due at once").isEqualTo(DriftAction.START);
    assertThat(d.requeue()).isEqualTo(Requeue.STEADY);
  }

  @Test
  void aDueDriftDetectionYieldsWhileCallsQueueForTheBudgetUnlessAskedForOrTwoIntervalsOld() {
    ServerlessDataStackStatus neverChecked = drivenTo(HASH, "UPDATE_COMPLETE");

    assertThat(decideUnder(Planner.CallLoad.SATURATED, TARGET, neverChecked).drift())
        .as("never checked, changed an hour ago: the writes go first").isEqualTo(DriftAction.YIELD);
    assertThat(decideUnder(Planner.CallLoad.SPARE, TARGET, neverChecked).drift()).isEqualTo(DriftAction.START);
    Target asked = target(2, new Steering(false, false, false, Optional.of("now"), false, Optional.empty()));
    assertThat(decideUnder(Planner.CallLoad.SATURATED, asked, drivenTo(asked.hash(), "UPDATE_COMPLETE")).drift())
        .as("a detection the user asked for does not wait").isEqualTo(DriftAction.START);

    ServerlessDataStackStatus checked = drivenTo(HASH, "UPDATE_COMPLETE");
    checked.setDrift(checkedAt(PassFixture.NOW.minus(Duration.ofMinutes(70))));
    assertThat(decideUnder(Planner.CallLoad.SATURATED, TARGET, checked).drift())
        .as("due ten minutes ago").isEqualTo(DriftAction.YIELD);
    checked.setDrift(checkedAt(PassFixture.NOW.minus(Duration.ofHours(2)).minusSeconds(1)));
    assertThat(decideUnder(Planner.CallLoad.SATURATED, TARGET, checked).drift())
        .as("two intervals without a check: checked whatever the load").isEqualTo(DriftAction.START);
  }

  private static Decision decideUnder(Planner.CallLoad calls, Target target, ServerlessDataStackStatus prior) {
    return Planner.decide(new Planner.Input(target, new Prior(prior), listed("UPDATE_COMPLETE"), PassFixture.SETTINGS,
        PassFixture.NOW, calls));
  }

  /** A detection that started and completed at {@code at}, in sync. */
  private static DriftStatus checkedAt(Instant at) {
    return new DriftStatus("IN_SYNC", at.toString(), "detection-1", "DETECTION_COMPLETE", at.toString(), null, 0,
        List.of(), null, 0, false);
  }

  @Test
  void terminationProtectionFollowsTheSpecOnceSynced() {
    Decision d = decide(drivenTo(HASH, "CREATE_COMPLETE"), described(described("CREATE_COMPLETE", UID, false)));

    assertThat(d.action()).isEqualTo(new Action.SetTerminationProtection(true));
    assertThat(d.verdict().state()).isEqualTo(State.SYNCED);
  }

  @Test
  void aNewStacksTerminationProtectionWaitsWhileCallsQueueForTheBudgetButNotLong() {
    ServerlessDataStackStatus created = drivenTo(HASH, "CREATE_COMPLETE");
    Stack justCreated = changedAgo(Duration.ofMinutes(2));

    Decision waits = decideUnder(Planner.CallLoad.SATURATED, created, described(justCreated));
    assertThat(waits.action()).isEqualTo(new Action.None());
    assertThat(waits.verdict().state()).as("not synced: the spec asks for protection").isEqualTo(State.PROGRESSING);
    assertThat(waits.verdict().reason()).isEqualTo("ProtectionPending");
    assertThat(waits.verdict().message()).contains("termination protection is turned on");
    assertThat(waits.drift()).isEqualTo(DriftAction.NONE);
    assertThat(waits.requeue()).isEqualTo(Requeue.BLOCKED);

    assertThat(decideUnder(Planner.CallLoad.SPARE, created, described(justCreated)).action())
        .isEqualTo(new Action.SetTerminationProtection(true));
    assertThat(decideUnder(Planner.CallLoad.SATURATED, created, described(changedAgo(Duration.ofMinutes(31))))
        .action()).as("settled a steady interval ago: protected whatever the load")
        .isEqualTo(new Action.SetTerminationProtection(true));
  }

  /** The resource's stack, created and unprotected, its last change {@code ago}. */
  private static Stack changedAgo(Duration ago) {
    Stack stack = described("CREATE_COMPLETE", UID, false);
    return new Stack(stack.name(), stack.id(), stack.status(), stack.statusReason(), stack.outputs(), stack.tags(),
        stack.parameters(), false, PassFixture.NOW.minus(ago), Optional.empty(), stack.drift());
  }

  private static Decision decideUnder(Planner.CallLoad calls, ServerlessDataStackStatus prior, Observation observed) {
    return Planner.decide(new Planner.Input(TARGET, new Prior(prior), observed, PassFixture.SETTINGS, PassFixture.NOW,
        calls));
  }

  @Test
  void aChangedSpecPlansAnUpdateChangeSetDiscardingAStaleOne() {
    ServerlessDataStackStatus prior = drivenTo("hash-before", "UPDATE_COMPLETE");
    prior.setLastChangeSet(recorded("sds-g1-stale", "CREATE_COMPLETE", null, "AVAILABLE"));

    assertThat(decide(prior, listed("UPDATE_COMPLETE")).action())
        .isEqualTo(new Action.Plan(PlanRequest.Type.UPDATE, NAME, Optional.of("arn:cs/sds-g1-stale"), false, false));
  }

  @Test
  void aReadyChangeSetIsExecuted() {
    Change capacity = new Change("Modify", "ProcessingTable", "AWS::DynamoDB::Table", Optional.of("False"));
    ServerlessDataStackStatus prior = planned("CREATE_PENDING", "UNAVAILABLE", null);

    Decision d = decide(prior, withChangeSet(listed("UPDATE_COMPLETE"),
        changeSet("CREATE_COMPLETE", "AVAILABLE", null, capacity)));

    assertThat(d.action()).isEqualTo(new Action.Execute(NAME, false));
    assertThat(d.requeue()).as("the stack moves now: the listing follows it").isEqualTo(Requeue.FOLLOWED);
  }

  @Test
  void aChangeSetStillComputedIsWaitedFor() {
    Decision d = decide(planned("CREATE_PENDING", "UNAVAILABLE", null), withChangeSet(listed("UPDATE_COMPLETE"),
        changeSet("CREATE_IN_PROGRESS", "UNAVAILABLE", null)));

    assertThat(d.action()).isEqualTo(new Action.None());
    assertThat(d.verdict().reason()).isEqualTo("ChangeSetPending");
    assertThat(d.requeue()).isEqualTo(Requeue.PROGRESS);
  }

  @Test
  void aChangeSetWithoutChangesMeansInSync() {
    Decision d = decide(planned("CREATE_PENDING", "UNAVAILABLE", null), withChangeSet(listed("UPDATE_COMPLETE"),
        changeSet("FAILED", "UNAVAILABLE", "The submitted information didn't contain changes. Submit different information")));

    assertThat(d.action()).isEqualTo(new Action.AcceptNoChanges(NAME, false));
    assertThat(d.verdict().state()).isEqualTo(State.SYNCED);
  }

  @Test
  void replacingOrRemovingDataIsBlockedUntilAllowedAndNeedsNoPolling() {
    PlannedChange table = new PlannedChange("Modify", "ProcessingTable", "AWS::DynamoDB::Table", "True");
    PlannedChange bucket = new PlannedChange("Remove", "ProcessedDataBucket", "AWS::S3::Bucket", null);
    ServerlessDataStackStatus risky = planned("CREATE_COMPLETE", "AVAILABLE", null, table, bucket);

    Decision blocked = decide(risky, listed("UPDATE_COMPLETE"));
    assertThat(blocked.action()).isEqualTo(new Action.None());
    assertThat(blocked.verdict().reason()).isEqualTo("ReplacementBlocked");
    assertThat(blocked.verdict().message())
        .contains("replace ProcessingTable (AWS::DynamoDB::Table)", "remove ProcessedDataBucket (AWS::S3::Bucket)",
            "serverlessdata.io/allow-replacement=true");
    assertThat(blocked.requeue()).as("the annotation starts a pass").isEqualTo(Requeue.NEVER);

    assertThat(Planner.decide(input(target(2, ALLOW), risky, listed("UPDATE_COMPLETE"))).action())
        .isEqualTo(new Action.Execute(NAME, false));
  }

  @Test
  void replacingAFunctionIsNotBlocked() {
    PlannedChange function = new PlannedChange("Modify", "ProcessorFunction", "AWS::Lambda::Function", "True");

    assertThat(decide(planned("CREATE_COMPLETE", "AVAILABLE", null, function), listed("UPDATE_COMPLETE")).action())
        .isEqualTo(new Action.Execute(NAME, false));
  }

  @Test
  void aChangeSetThatCanNoLongerBeExecutedIsPlannedAgain() {
    Decision d = decide(planned("CREATE_COMPLETE", "OBSOLETE", null), listed("UPDATE_COMPLETE"));

    assertThat(d.action()).isEqualTo(new Action.Plan(PlanRequest.Type.UPDATE, NAME, Optional.of("arn:cs/" + NAME),
        false, false));
  }

  @Test
  void anExecutedChangeSetThatTheStatusMissedIsRecorded() {
    Decision d = decide(planned("CREATE_PENDING", "UNAVAILABLE", null), withChangeSet(listed("UPDATE_COMPLETE"),
        changeSet("CREATE_COMPLETE", "EXECUTE_COMPLETE", null)));

    assertThat(d.action()).isEqualTo(new Action.RecordExecuted(NAME));
  }

  @Test
  void aFailedCreateIsTerminalUntilTheSpecChangesThenTheStackIsRecreated() {
    ServerlessDataStackStatus failed = drivenTo(HASH, "ROLLBACK_COMPLETE");
    failed.setFailures(List.of(
        new StackFailure("2026-11-28T10:00:05Z", "ProcessorRole", "CREATE_FAILED", "Resource creation cancelled"),
        new StackFailure("2026-11-28T10:00:00Z", "ProcessingTable", "CREATE_FAILED", "Table already exists")));

    Decision terminal = decide(failed, listed("ROLLBACK_COMPLETE"));
    assertThat(terminal.verdict().state()).isEqualTo(State.TERMINAL);
    assertThat(terminal.verdict().message()).contains("ProcessingTable CREATE_FAILED: Table already exists");

    failed.setSpecHash("hash-before");
    assertThat(decide(failed, listed("ROLLBACK_COMPLETE")).action()).isEqualTo(new Action.DeleteForRecreate());
  }

  @Test
  void aRolledBackUpdateWaitsForANewSpec() {
    Decision same = decide(drivenTo(HASH, "UPDATE_ROLLBACK_COMPLETE"), listed("UPDATE_ROLLBACK_COMPLETE"));
    assertThat(same.verdict().reason()).isEqualTo("UpdateRolledBack");
    assertThat(same.action()).isEqualTo(new Action.None());

    assertThat(decide(drivenTo("hash-before", "UPDATE_ROLLBACK_COMPLETE"), listed("UPDATE_ROLLBACK_COMPLETE"))
        .action()).isInstanceOf(Action.Plan.class);
  }

  @Test
  void aSpecThatARolledBackStackAlreadyMatchesIsSyncedOnceItsChangeSetChangedNothing() {
    // the update to another spec failed and rolled back; the spec went back to what the stack has, and its change
    // set changed nothing: it was discarded and the spec recorded as reached
    ServerlessDataStackStatus accepted = drivenTo(HASH, "UPDATE_ROLLBACK_COMPLETE");
    accepted.setLastChangeSet(recorded("sds-g3-abc", ChangeSet.DELETED,
        "The submitted information didn't contain changes. Submit different information to create a change set.",
        "UNAVAILABLE"));

    Decision decision = decide(accepted, listed("UPDATE_ROLLBACK_COMPLETE"));
    assertThat(decision.verdict().state()).isEqualTo(State.SYNCED);
    assertThat(decision.verdict().message()).contains("matches the spec (UPDATE_ROLLBACK_COMPLETE)");
    assertThat(decision.action()).isEqualTo(new Action.None());

    // a change set discarded for another reason proves nothing
    accepted.setLastChangeSet(recorded("sds-g3-abc", ChangeSet.DELETED, null, "UNAVAILABLE"));
    assertThat(decide(accepted, listed("UPDATE_ROLLBACK_COMPLETE")).verdict().reason()).isEqualTo("UpdateRolledBack");
  }

  @Test
  void aFailedRollbackIsContinuedAndAFailedDeletionTriedAgain() {
    assertThat(decide(drivenTo(HASH, "UPDATE_ROLLBACK_FAILED"), listed("UPDATE_ROLLBACK_FAILED")).action())
        .isEqualTo(new Action.ContinueRollback());
    assertThat(decide(drivenTo(HASH, "DELETE_FAILED"), listed("DELETE_FAILED")).action())
        .isEqualTo(new Action.DeleteForRecreate());
  }

  @Test
  void readOnlyNeverWrites() {
    Target readOnly = target(2, READ_ONLY);
    ServerlessDataStackStatus none = new ServerlessDataStackStatus();

    assertThat(Planner.decide(input(readOnly, none, Observation.absent())).verdict().reason()).isEqualTo("StackNotFound");
    assertThat(Planner.decide(input(readOnly, none, listed("UPDATE_ROLLBACK_FAILED"))).action())
        .isEqualTo(new Action.None());
    assertThat(Planner.decide(input(readOnly, none, described(described("CREATE_COMPLETE", "other", true))))
        .verdict().state()).isEqualTo(State.SYNCED);
  }

  @Test
  void aRefusedWriteIsNotSentAgainUntilTheSpecOrTheStackChanges() {
    ServerlessDataStackStatus refused = drivenTo("hash-before", "UPDATE_COMPLETE");
    refused.setRejection(new Rejection("CreateChangeSet", "ValidationError", "Template format error", "2026-11-28T11:50:00Z",
        2L, "2026-11-28T11:00:00Z"));

    Decision again = decide(refused, listed("UPDATE_COMPLETE"));
    assertThat(again.action()).isEqualTo(new Action.None());
    assertThat(again.verdict().state()).isEqualTo(State.NOT_SYNCED);
    assertThat(again.verdict().reason()).isEqualTo("ValidationError");
    assertThat(again.verdict().message()).startsWith("CreateChangeSet: Template format error");

    assertThat(Planner.decide(input(target(3, PassFixture.plain()), refused, listed("UPDATE_COMPLETE"))).action())
        .as("a new generation").isInstanceOf(Action.Plan.class);
    ServerlessDataStackStatus stackChanged = drivenTo("hash-before", "UPDATE_COMPLETE");
    stackChanged.setRejection(new Rejection("CreateChangeSet", "ValidationError", "x", "2026-11-28T11:50:00Z", 2L,
        "2026-11-28T10:00:00Z"));
    assertThat(decide(stackChanged, listed("UPDATE_COMPLETE")).action()).as("the stack changed since")
        .isInstanceOf(Action.Plan.class);
  }

  @Test
  void driftRevertPlansADriftAwareChangeSetOnlyForADriftOfTheCurrentSpec() {
    Target reverting = target(2, PassFixture.plain());
    ServerlessDataStackStatus drifted = drivenTo(reverting.hash(), "UPDATE_COMPLETE");
    drifted.setDrift(DriftStatus.notChecked().started("detection-abc123", "2026-11-28T11:00:00Z", null, null, false)
        .completed("DRIFTED", "2026-11-28T11:01:00Z", "1 resource(s) differ", 1, List.of()));

    // remediation None (the default): synced, the drift reported
    assertThat(Planner.decide(input(reverting, drifted, listed("UPDATE_COMPLETE"))).verdict().state())
        .isEqualTo(State.SYNCED);
  }

  private static ChangeSet changeSet(String status, String execution, String reason, Change... changes) {
    return new ChangeSet("team-a-orders", STACK_ID, NAME, "arn:cs/" + NAME, status, Optional.ofNullable(reason),
        execution, List.of(changes));
  }
}
