package io.serverlessdata.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import io.serverlessdata.operator.reconciler.StatusConditions.Findings;
import io.serverlessdata.operator.reconciler.StatusConditions.Part;
import org.junit.jupiter.api.Test;

class StatusConditionsTest {

  private static final Instant T1 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-28T11:00:00Z");

  private static Map<String, Condition> byType(List<Condition> conditions) {
    return conditions.stream().collect(Collectors.toMap(Condition::getType, c -> c));
  }

  @Test
  void syncedStackIsReadyAndSynced() {
    Map<String, Condition> c = byType(StatusConditions.derive(List.of(), Verdict.synced("Synced", "ok"), Findings.NONE, 3, T1));

    assertThat(c).containsOnlyKeys("ACK.ResourceSynced", "Ready");
    assertThat(c.get("ACK.ResourceSynced").getStatus()).isEqualTo("True");
    assertThat(c.get("Ready").getStatus()).isEqualTo("True");
    assertThat(c.get("Ready").getObservedGeneration()).isEqualTo(3L);
    assertThat(c.get("Ready").getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
  }

  @Test
  void terminalVerdictSetsTerminalAndNotSyncedWithTheSameReason() {
    Map<String, Condition> c = byType(StatusConditions.derive(List.of(),
        Verdict.terminal("InvalidSpec", "spec.dynamoDbReadCapacity: must be at least 5, got 4"), Findings.NONE, 1, T1));

    assertThat(c.get("ACK.Terminal").getStatus()).isEqualTo("True");
    assertThat(c.get("ACK.Terminal").getMessage()).contains("spec.dynamoDbReadCapacity");
    assertThat(c.get("ACK.ResourceSynced").getStatus()).isEqualTo("False");
    assertThat(c.get("ACK.ResourceSynced").getReason()).isEqualTo("InvalidSpec");
    assertThat(c.get("Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void transitionTimeStaysWhileTheStatusStaysEvenIfTheReasonChanges() {
    List<Condition> first = StatusConditions.derive(List.of(),
        Verdict.progressing("CreateInProgress", "creating"), Findings.NONE, 1, T1);
    List<Condition> second = StatusConditions.derive(first,
        Verdict.notSynced("ReplacementBlocked", "blocked"), Findings.NONE, 1, T2);
    List<Condition> third = StatusConditions.derive(second, Verdict.synced("Synced", "ok"), Findings.NONE, 1, T2);

    assertThat(byType(second).get("ACK.ResourceSynced").getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(byType(second).get("ACK.ResourceSynced").getReason()).isEqualTo("ReplacementBlocked");
    assertThat(byType(third).get("ACK.ResourceSynced").getLastTransitionTime()).isEqualTo("2026-11-28T11:00:00Z");
  }

  @Test
  void recoverableFaultKeepsWhatWasKnownOfTheStack() {
    List<Condition> synced = StatusConditions.derive(List.of(), Verdict.synced("Synced", "ok"), Findings.NONE, 1, T1);

    Map<String, Condition> c = byType(StatusConditions.derive(synced,
        Verdict.recoverable("Throttling", "Rate exceeded"), Findings.NONE, 2, T2));

    assertThat(c.get("ACK.Recoverable").getStatus()).isEqualTo("True");
    assertThat(c.get("ACK.ResourceSynced").getStatus()).isEqualTo("True");
    assertThat(c.get("ACK.ResourceSynced").getObservedGeneration()).isEqualTo(1L);
    assertThat(c.get("Ready").getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
  }

  @Test
  void clearedFaultsAndAdvisoriesDisappear() {
    List<Condition> advised = StatusConditions.derive(List.of(), Verdict.synced("Synced", "ok"),
        new Findings(List.of("runtime nodejs20.x is deprecated"), true, Optional.empty(), Optional.empty()), 1, T1);
    List<Condition> faulty = StatusConditions.derive(advised, Verdict.recoverable("Throttling", "Rate exceeded"),
        Findings.NONE, 1, T1);
    assertThat(byType(faulty)).as("an error leaves the advisory and adoption standing")
        .containsKeys("ACK.Recoverable", "ACK.Advisory", "ACK.Adopted");

    Map<String, Condition> c = byType(StatusConditions.derive(faulty, Verdict.synced("Synced", "ok"), Findings.NONE, 1, T2));

    assertThat(c).doesNotContainKeys("ACK.Recoverable", "ACK.Advisory", "ACK.Adopted", "ACK.Terminal");
  }

  @Test
  void driftAndExportConditionsComeFromTheirFindingsAndKeepTheirTransitionTime() {
    List<Condition> first = StatusConditions.derive(List.of(), Verdict.synced("Synced", "ok"), new Findings(List.of(),
        false, Optional.of(new Part("True", "Drifted", "1 resource(s) differ")), Optional.empty()), 2, T1);
    List<Condition> second = StatusConditions.derive(first, Verdict.synced("Synced", "ok"), new Findings(List.of(),
        false, Optional.of(new Part("True", "Drifted", "2 resource(s) differ")), Optional.empty()), 2, T2);

    assertThat(byType(second).get("Drifted").getMessage()).isEqualTo("2 resource(s) differ");
    assertThat(byType(second).get("Drifted").getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(byType(StatusConditions.derive(second, Verdict.synced("Synced", "ok"), Findings.NONE, 2, T2)))
        .doesNotContainKey("Drifted");
  }

  @Test
  void syncedStackWhoseOutputsCannotBeExportedIsNotReady() {
    Part conflict = new Part("False", "ExportConflict",
        "ConfigMap team-a/orders-outputs exists and is not owned by this resource");

    Map<String, Condition> c = byType(StatusConditions.derive(List.of(), Verdict.synced("Synced", "ok"),
        new Findings(List.of(), false, Optional.empty(), Optional.of(conflict)), 2, T1));

    assertThat(c.get("ACK.ResourceSynced").getStatus()).isEqualTo("True");
    assertThat(c.get("Ready").getStatus()).isEqualTo("False");
    assertThat(c.get("Ready").getReason()).isEqualTo("ExportConflict");
    assertThat(c.get("Exported").getMessage()).isEqualTo(conflict.message());

    assertThat(byType(StatusConditions.derive(List.of(), Verdict.synced("Synced", "ok"), new Findings(List.of(),
        false, Optional.empty(), Optional.of(new Part("True", "Exported", "every output"))), 2, T1))
        .get("Ready").getStatus()).isEqualTo("True");
  }
}
