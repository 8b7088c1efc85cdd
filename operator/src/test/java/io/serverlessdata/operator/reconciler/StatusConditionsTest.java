package io.serverlessdata.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StatusConditionsTest {

  private static final Instant T1 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-28T11:00:00Z");

  private static Map<String, Condition> byType(List<Condition> conditions) {
    return conditions.stream().collect(Collectors.toMap(Condition::getType, c -> c));
  }

  @Test
  void syncedStackIsReadyAndSynced() {
    Map<String, Condition> c = byType(StatusConditions.derive(List.of(), Verdict.synced("Synced", "ok"), List.of(), false, 3, T1));

    assertThat(c).containsOnlyKeys("ACK.ResourceSynced", "Ready");
    assertThat(c.get("ACK.ResourceSynced").getStatus()).isEqualTo("True");
    assertThat(c.get("Ready").getStatus()).isEqualTo("True");
    assertThat(c.get("Ready").getObservedGeneration()).isEqualTo(3L);
    assertThat(c.get("Ready").getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
  }

  @Test
  void terminalVerdictSetsTerminalAndNotSyncedWithTheSameReason() {
    Map<String, Condition> c = byType(StatusConditions.derive(List.of(),
        Verdict.terminal("InvalidSpec", "spec.dynamoDbReadCapacity: must be at least 5, got 4"), List.of(), false, 1, T1));

    assertThat(c.get("ACK.Terminal").getStatus()).isEqualTo("True");
    assertThat(c.get("ACK.Terminal").getMessage()).contains("spec.dynamoDbReadCapacity");
    assertThat(c.get("ACK.ResourceSynced").getStatus()).isEqualTo("False");
    assertThat(c.get("ACK.ResourceSynced").getReason()).isEqualTo("InvalidSpec");
    assertThat(c.get("Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void transitionTimeStaysWhileTheStatusStaysEvenIfTheReasonChanges() {
    List<Condition> first = StatusConditions.derive(List.of(),
        Verdict.progressing("CreateInProgress", "creating"), List.of(), false, 1, T1);
    List<Condition> second = StatusConditions.derive(first,
        Verdict.notSynced("ReplacementBlocked", "blocked"), List.of(), false, 1, T2);
    List<Condition> third = StatusConditions.derive(second, Verdict.synced("Synced", "ok"), List.of(), false, 1, T2);

    assertThat(byType(second).get("ACK.ResourceSynced").getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(byType(second).get("ACK.ResourceSynced").getReason()).isEqualTo("ReplacementBlocked");
    assertThat(byType(third).get("ACK.ResourceSynced").getLastTransitionTime()).isEqualTo("2026-11-28T11:00:00Z");
  }

  @Test
  void recoverableFaultKeepsWhatWasKnownOfTheStack() {
    List<Condition> synced = StatusConditions.derive(List.of(), Verdict.synced("Synced", "ok"), List.of(), false, 1, T1);

    Map<String, Condition> c = byType(StatusConditions.derive(synced,
        Verdict.recoverable("Throttling", "Rate exceeded"), List.of(), false, 2, T2));

    assertThat(c.get("ACK.Recoverable").getStatus()).isEqualTo("True");
    assertThat(c.get("ACK.ResourceSynced").getStatus()).isEqualTo("True");
    assertThat(c.get("ACK.ResourceSynced").getObservedGeneration()).isEqualTo(1L);
    assertThat(c.get("Ready").getLastTransitionTime()).isEqualTo("2026-11-28T10:00:00Z");
  }

  @Test
  void clearedFaultsAndAdvisoriesDisappear() {
    List<Condition> faulty = StatusConditions.derive(List.of(),
        Verdict.recoverable("Throttling", "Rate exceeded"), List.of("runtime nodejs20.x is deprecated"), true, 1, T1);
    assertThat(byType(faulty)).containsKeys("ACK.Recoverable", "ACK.Advisory", "ACK.Adopted");

    Map<String, Condition> c = byType(StatusConditions.derive(faulty, Verdict.synced("Synced", "ok"), List.of(), false, 1, T2));

    assertThat(c).doesNotContainKeys("ACK.Recoverable", "ACK.Advisory", "ACK.Adopted", "ACK.Terminal");
  }

  @Test
  void conditionsOwnedElsewhereAreKept() {
    Condition drifted = new Condition("2026-11-28T09:00:00Z", "drift found", 1L, "Drifted", "True", "Drifted");

    List<Condition> next = StatusConditions.derive(List.of(drifted), Verdict.synced("Synced", "ok"), List.of(), false, 2, T1);

    assertThat(byType(next).get("Drifted")).isEqualTo(drifted);
  }

  @Test
  void syncedStackWhoseOutputsCannotBeExportedIsNotReady() {
    Condition exported = new Condition();
    exported.setType("Exported");
    exported.setStatus("False");
    exported.setReason("ExportConflict");
    exported.setMessage("ConfigMap team-a/orders-outputs exists and is not owned by this resource");

    Map<String, Condition> c = byType(StatusConditions.derive(List.of(exported), Verdict.synced("Synced", "ok"),
        List.of(), false, 2, T1));

    assertThat(c.get("ACK.ResourceSynced").getStatus()).isEqualTo("True");
    assertThat(c.get("Ready").getStatus()).isEqualTo("False");
    assertThat(c.get("Ready").getReason()).isEqualTo("ExportConflict");
    assertThat(c.get("Exported")).isSameAs(exported);

    exported.setStatus("True");
    assertThat(byType(StatusConditions.derive(List.of(exported), Verdict.synced("Synced", "ok"), List.of(), false, 2, T1))
        .get("Ready").getStatus()).isEqualTo("True");
  }
}
