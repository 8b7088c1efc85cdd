package io.serverlessdata.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.api.SpecResolver;
import io.serverlessdata.operator.cloudformation.Change;
import io.serverlessdata.operator.cloudformation.ChangeSet;
import io.serverlessdata.operator.cloudformation.PlanRequest;
import io.serverlessdata.operator.cloudformation.Stack;
import io.serverlessdata.operator.cloudformation.StackEvent;
import io.serverlessdata.operator.reconciler.Decision.Action;
import io.serverlessdata.operator.reconciler.Decision.Requeue;
import io.serverlessdata.operator.reconciler.Verdict.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static final String UID = "uid-1";
  private static final String HASH = "hash-now";
  private static final String CHANGE_SET = "sds-g2-hashnow";

  private static Planner.Input input(Planner.Prior prior) {
    return new Planner.Input("team-orders", HASH, CHANGE_SET, UID, true, false, false, false, false, prior);
  }

  private static Planner.Prior drivenTo(String hash) {
    return new Planner.Prior(Optional.of(hash), Optional.of("sds-g1-old"), true, Optional.of("arn:stack/id"),
        Optional.of("CREATE_COMPLETE"), false);
  }

  private static Planner.Prior planned() {
    return new Planner.Prior(Optional.of("hash-before"), Optional.of(CHANGE_SET), false, Optional.of("arn:stack/id"),
        Optional.of("UPDATE_COMPLETE"), false);
  }

  private static Stack stack(String status, String ownerUid) {
    return new Stack("team-orders", "arn:aws:cloudformation:us-east-1:123456789012:stack/team-orders/1", status,
        Optional.empty(), Map.of(), ownerUid == null ? Map.of() : Map.of(SpecResolver.OWNER_UID_TAG, ownerUid),
        true, Instant.EPOCH, Optional.empty());
  }

  private static Observation seen(String status) {
    return new Observation(Optional.of(stack(status, UID)), List.of(), Optional.empty());
  }

  private static Observation seen(String status, ChangeSet changeSet) {
    return new Observation(Optional.of(stack(status, UID)), List.of(), Optional.of(changeSet));
  }

  private static ChangeSet changeSet(String status, String execution, String reason, Change... changes) {
    return new ChangeSet("team-orders", "arn:stack/id", CHANGE_SET, "arn:cs", status, Optional.ofNullable(reason),
        execution, List.of(changes));
  }

  @Test
  void aStackIsOursByItsOwnerTagOrByTheIdOurCreateRecordedBeforeItsTagsExist() {
    Stack tagged = stack("CREATE_COMPLETE", UID);
    Stack untagged = stack("REVIEW_IN_PROGRESS", null);

    assertThat(Planner.owns(UID, Optional.empty(), tagged)).isTrue();
    assertThat(Planner.owns(UID, Optional.of(untagged.id()), untagged)).isTrue();
    assertThat(Planner.owns(UID, Optional.of("arn:another-incarnation"), untagged)).isFalse();
    assertThat(Planner.owns(UID, Optional.empty(), untagged)).isFalse();
  }

  @Test
  void aRecordedIdNeverMakesAStackTaggedForAnotherResourceOurs() {
    Stack others = stack("CREATE_COMPLETE", "uid-of-another-resource");

    // what an earlier version wrote into the status of the resource that lost a stack-name conflict
    assertThat(Planner.owns(UID, Optional.of(others.id()), others)).isFalse();
    Planner.Prior recordedForeignId = new Planner.Prior(Optional.empty(), Optional.empty(), false,
        Optional.of(others.id()), Optional.of("CREATE_COMPLETE"), false);
    Decision d = Planner.decide(input(recordedForeignId),
        new Observation(Optional.of(others), List.of(), Optional.empty()));
    assertThat(d.verdict().reason()).isEqualTo("StackNameConflict");
    assertThat(d.action()).isEqualTo(new Action.None());
  }

  @Test
  void missingStackIsCreatedThroughAChangeSet() {
    Decision d = Planner.decide(input(Planner.Prior.none()), Observation.absent());

    assertThat(d.action()).isEqualTo(new Action.Plan(PlanRequest.Type.CREATE, false, false));
    assertThat(d.verdict().state()).isEqualTo(State.PROGRESSING);
    assertThat(d.requeue()).isEqualTo(Requeue.PROGRESS);
  }

  @Test
  void stackThatVanishedWithoutTheOperatorIsRecreatedAndSaidSo() {
    Decision d = Planner.decide(input(drivenTo(HASH)), Observation.absent());

    assertThat(d.action()).isEqualTo(new Action.Plan(PlanRequest.Type.CREATE, false, true));
  }

  @Test
  void stackTheOperatorDeletedIsNotReportedAsVanished() {
    Planner.Prior deleting = new Planner.Prior(Optional.of("x"), Optional.empty(), false, Optional.of("arn"),
        Optional.of("DELETE_IN_PROGRESS"), false);

    assertThat(Planner.decide(input(deleting), Observation.absent()).action())
        .isEqualTo(new Action.Plan(PlanRequest.Type.CREATE, false, false));
  }

  @Test
  void someoneElsesStackIsATerminalConflictUnlessAdopted() {
    Observation foreign = new Observation(Optional.of(stack("CREATE_COMPLETE", "other-uid")), List.of(), Optional.empty());

    Decision conflict = Planner.decide(input(Planner.Prior.none()), foreign);
    assertThat(conflict.verdict().state()).isEqualTo(State.TERMINAL);
    assertThat(conflict.verdict().reason()).isEqualTo("StackNameConflict");
    assertThat(conflict.verdict().message()).contains("services.k8s.aws/adoption-policy=adopt");
    assertThat(conflict.action()).isEqualTo(new Action.None());

    Planner.Input adopting = new Planner.Input("team-orders", HASH, CHANGE_SET, UID, true, false, true, false, false,
        Planner.Prior.none());
    assertThat(Planner.decide(adopting, foreign).action()).isEqualTo(new Action.Plan(PlanRequest.Type.UPDATE, false, false));
  }

  @Test
  void movingStackIsWaitedFor() {
    Decision d = Planner.decide(input(planned()), seen("UPDATE_IN_PROGRESS"));

    assertThat(d.action()).isEqualTo(new Action.None());
    assertThat(d.verdict().reason()).isEqualTo("UpdateInProgress");
    assertThat(d.requeue()).isEqualTo(Requeue.PROGRESS);
  }

  @Test
  void stackDrivenToThisSpecIsSynced() {
    Decision d = Planner.decide(input(drivenTo(HASH)), seen("UPDATE_COMPLETE"));

    assertThat(d.verdict().state()).isEqualTo(State.SYNCED);
    assertThat(d.action()).isEqualTo(new Action.None());
    assertThat(d.requeue()).isEqualTo(Requeue.STEADY);
  }

  @Test
  void changedSpecPlansAnUpdateChangeSet() {
    Decision d = Planner.decide(input(drivenTo("hash-before")), seen("CREATE_COMPLETE"));

    assertThat(d.action()).isEqualTo(new Action.Plan(PlanRequest.Type.UPDATE, false, false));
  }

  @Test
  void readyChangeSetIsExecuted() {
    Change capacity = new Change("Modify", "ProcessingTable", "AWS::DynamoDB::Table", Optional.of("False"));

    Decision d = Planner.decide(input(planned()),
        seen("UPDATE_COMPLETE", changeSet("CREATE_COMPLETE", "AVAILABLE", null, capacity)));

    assertThat(d.action()).isEqualTo(new Action.Execute());
  }

  @Test
  void changeSetWithoutChangesMeansInSync() {
    Decision d = Planner.decide(input(planned()), seen("UPDATE_COMPLETE",
        changeSet("FAILED", "UNAVAILABLE", "The submitted information didn't contain changes. Submit different information")));

    assertThat(d.action()).isEqualTo(new Action.AcceptNoChanges());
    assertThat(d.verdict().state()).isEqualTo(State.SYNCED);
  }

  @Test
  void replacingOrRemovingDataIsBlockedUntilAllowed() {
    Change table = new Change("Modify", "ProcessingTable", "AWS::DynamoDB::Table", Optional.of("True"));
    Change bucket = new Change("Remove", "ProcessedDataBucket", "AWS::S3::Bucket", Optional.empty());
    Observation risky = seen("UPDATE_COMPLETE", changeSet("CREATE_COMPLETE", "AVAILABLE", null, table, bucket));

    Decision blocked = Planner.decide(input(planned()), risky);
    assertThat(blocked.action()).isEqualTo(new Action.None());
    assertThat(blocked.verdict().reason()).isEqualTo("ReplacementBlocked");
    assertThat(blocked.verdict().message())
        .contains("replace ProcessingTable (AWS::DynamoDB::Table)", "remove ProcessedDataBucket (AWS::S3::Bucket)",
            "serverlessdata.io/allow-replacement=true");
    assertThat(blocked.requeue()).isEqualTo(Requeue.BLOCKED);

    Planner.Input allowed = new Planner.Input("team-orders", HASH, CHANGE_SET, UID, true, false, false, true, false, planned());
    assertThat(Planner.decide(allowed, risky).action()).isEqualTo(new Action.Execute());
  }

  private static Planner.Input reverting(Planner.Prior prior, boolean allowReplacement) {
    return new Planner.Input("team-orders", HASH, CHANGE_SET, UID, true, false, false, allowReplacement, true, prior);
  }

  @Test
  void driftRevertPlansAnUpdateChangeSetOfASyncedStack() {
    Decision decision = Planner.decide(reverting(drivenTo(HASH), false), seen("UPDATE_COMPLETE"));

    assertThat(decision.action()).isEqualTo(new Action.Plan(PlanRequest.Type.UPDATE, false, false));
    assertThat(decision.verdict().message()).contains("drift-reverting change set " + CHANGE_SET);
  }

  @Test
  void driftRevertIsInspectedLikeAnyChangeSet() {
    Planner.Prior planned = new Planner.Prior(Optional.of(HASH), Optional.of(CHANGE_SET), false,
        Optional.of("arn:stack/id"), Optional.of("UPDATE_COMPLETE"), false);
    Change table = new Change("Modify", "ProcessingTable", "AWS::DynamoDB::Table", Optional.of("True"));
    Change function = new Change("Modify", "ProcessorFunction", "AWS::Lambda::Function", Optional.of("False"));

    assertThat(Planner.decide(reverting(planned, false),
        seen("UPDATE_COMPLETE", changeSet("CREATE_COMPLETE", "AVAILABLE", null, function))).action())
        .isEqualTo(new Action.Execute());
    Decision blocked = Planner.decide(reverting(planned, false),
        seen("UPDATE_COMPLETE", changeSet("CREATE_COMPLETE", "AVAILABLE", null, table)));
    assertThat(blocked.verdict().reason()).isEqualTo("ReplacementBlocked");
    assertThat(Planner.decide(reverting(planned, true),
        seen("UPDATE_COMPLETE", changeSet("CREATE_COMPLETE", "AVAILABLE", null, table))).action())
        .isEqualTo(new Action.Execute());
  }

  @Test
  void aDriftRevertThatCannotChangeAnythingLeavesTheStackSynced() {
    Planner.Prior planned = new Planner.Prior(Optional.of(HASH), Optional.of(CHANGE_SET), false,
        Optional.of("arn:stack/id"), Optional.of("UPDATE_COMPLETE"), false);

    Decision failed = Planner.decide(reverting(planned, false),
        seen("UPDATE_COMPLETE", changeSet("FAILED", "UNAVAILABLE", "Drift revert is not supported for this resource")));

    assertThat(failed.action()).isEqualTo(new Action.AcceptNoChanges());
    assertThat(failed.verdict().state()).isEqualTo(State.SYNCED);
    assertThat(failed.requeue()).isEqualTo(Requeue.STEADY);
  }

  @Test
  void replacingAFunctionIsNotBlocked() {
    Change function = new Change("Modify", "ProcessorFunction", "AWS::Lambda::Function", Optional.of("True"));

    assertThat(Planner.decide(input(planned()),
        seen("UPDATE_COMPLETE", changeSet("CREATE_COMPLETE", "AVAILABLE", null, function))).action())
        .isEqualTo(new Action.Execute());
  }

  @Test
  void failedCreateIsTerminalUntilTheSpecChangesThenTheStackIsRecreated() {
    StackEvent cause = new StackEvent(Instant.parse("2026-11-28T10:00:00Z"), "ProcessingTable", "AWS::DynamoDB::Table",
        "CREATE_FAILED", Optional.of("Table already exists"));
    StackEvent consequence = new StackEvent(Instant.parse("2026-11-28T10:00:05Z"), "ProcessorRole", "AWS::IAM::Role",
        "CREATE_FAILED", Optional.of("Resource creation cancelled"));
    Observation rolledBack = new Observation(Optional.of(stack("ROLLBACK_COMPLETE", UID)),
        List.of(consequence, cause), Optional.empty());

    Decision terminal = Planner.decide(input(drivenTo(HASH)), rolledBack);
    assertThat(terminal.verdict().state()).isEqualTo(State.TERMINAL);
    assertThat(terminal.verdict().message()).contains("ProcessingTable CREATE_FAILED: Table already exists");

    Decision recreate = Planner.decide(input(drivenTo("hash-before")), rolledBack);
    assertThat(recreate.action()).isEqualTo(new Action.DeleteForRecreate());
  }

  @Test
  void rolledBackUpdateWaitsForANewSpec() {
    Decision same = Planner.decide(input(drivenTo(HASH)), seen("UPDATE_ROLLBACK_COMPLETE"));
    assertThat(same.verdict().reason()).isEqualTo("UpdateRolledBack");
    assertThat(same.action()).isEqualTo(new Action.None());

    Decision changed = Planner.decide(input(drivenTo("hash-before")), seen("UPDATE_ROLLBACK_COMPLETE"));
    assertThat(changed.action()).isEqualTo(new Action.Plan(PlanRequest.Type.UPDATE, false, false));
  }

  @Test
  void failedRollbackIsContinued() {
    assertThat(Planner.decide(input(drivenTo(HASH)), seen("UPDATE_ROLLBACK_FAILED")).action())
        .isEqualTo(new Action.ContinueRollback());
  }

  @Test
  void executedChangeSetThatTheStatusMissedIsRecorded() {
    Decision d = Planner.decide(input(planned()),
        seen("UPDATE_COMPLETE", changeSet("CREATE_COMPLETE", "EXECUTE_COMPLETE", null)));

    assertThat(d.action()).isEqualTo(new Action.RecordExecuted());
  }

  @Test
  void readOnlyNeverWrites() {
    Planner.Input readOnly = new Planner.Input("team-orders", HASH, CHANGE_SET, UID, true, true, false, false, false,
        Planner.Prior.none());

    assertThat(Planner.decide(readOnly, Observation.absent()).action()).isEqualTo(new Action.None());
    assertThat(Planner.decide(readOnly, Observation.absent()).verdict().reason()).isEqualTo("StackNotFound");
    assertThat(Planner.decide(readOnly, seen("UPDATE_ROLLBACK_FAILED")).action()).isEqualTo(new Action.None());
    assertThat(Planner.decide(readOnly, seen("CREATE_COMPLETE")).verdict().state()).isEqualTo(State.SYNCED);
  }

  @Test
  void terminationProtectionFollowsTheSpecOnceSynced() {
    Stack unprotected = new Stack("team-orders", "arn", "CREATE_COMPLETE", Optional.empty(), Map.of(),
        Map.of(SpecResolver.OWNER_UID_TAG, UID), false, Instant.EPOCH, Optional.empty());

    Decision d = Planner.decide(input(drivenTo(HASH)), new Observation(Optional.of(unprotected), List.of(), Optional.empty()));

    assertThat(d.action()).isEqualTo(new Action.SetTerminationProtection(true));
    assertThat(d.verdict().state()).isEqualTo(State.SYNCED);
  }
}
