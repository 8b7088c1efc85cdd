package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.ConditionTypes.ADOPTED;
import static io.serverlessdata.operator.reconciler.ConditionTypes.ADVISORY;
import static io.serverlessdata.operator.reconciler.ConditionTypes.DRIFTED;
import static io.serverlessdata.operator.reconciler.ConditionTypes.EXPORTED;
import static io.serverlessdata.operator.reconciler.ConditionTypes.READY;
import static io.serverlessdata.operator.reconciler.ConditionTypes.RECOVERABLE;
import static io.serverlessdata.operator.reconciler.ConditionTypes.SYNCED;
import static io.serverlessdata.operator.reconciler.ConditionTypes.TERMINAL;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Derives a resource's conditions in one place (like ACK's {@code ensureConditions}): {@code ACK.ResourceSynced},
 * {@code Ready}, {@code ACK.Terminal}, {@code ACK.Recoverable} from the pass's {@link Verdict}, plus
 * {@code ACK.Advisory}, {@code ACK.Adopted}, {@code Drifted} and {@code Exported} from what the pass found. A condition
 * keeps its {@code lastTransitionTime} unless its status changes — the one place that rule lives. {@code Ready} is
 * true when the stack is synced and, if outputs are exported, exported. A transient fault ({@code RECOVERABLE})
 * reports itself and leaves every other condition as it was: what was known of the stack still stands.
 */
public final class StatusConditions {

  private StatusConditions() {}

  /**
   * What the pass found besides its verdict; an empty part removes its condition.
   *
   * @param advisories sentences for {@code ACK.Advisory}
   * @param adopted whether the stack was adopted rather than created
   * @param drifted the {@code Drifted} condition's status, reason and message
   * @param exported the {@code Exported} condition's status, reason and message
   */
  public record Findings(List<String> advisories, boolean adopted, Optional<Part> drifted, Optional<Part> exported) {

    public static final Findings NONE = new Findings(List.of(), false, Optional.empty(), Optional.empty());

    public Findings {
      advisories = List.copyOf(advisories);
    }
  }

  /** One condition's content: status, reason and message. */
  public record Part(String status, String reason, String message) {}

  /**
   * The new condition list.
   *
   * @param previous the conditions in the status now
   * @param verdict what this pass concluded
   * @param findings the other conditions' content (ignored for a {@code RECOVERABLE} verdict)
   * @param generation the generation the verdict is about (carried conditions keep theirs)
   * @param now the time a changed condition records
   */
  public static List<Condition> derive(List<Condition> previous, Verdict verdict, Findings findings, long generation,
      Instant now) {
    Map<String, Condition> before = previous.stream()
        .collect(Collectors.toMap(Condition::getType, Function.identity(), (a, b) -> b));
    List<Condition> next = new ArrayList<>();

    switch (verdict.state()) {
      case RECOVERABLE -> {
        previous.stream().filter(c -> !c.getType().equals(RECOVERABLE)).map(StatusConditions::carry).forEach(next::add);
        next.add(condition(RECOVERABLE, "True", verdict.reason(), verdict.message()));
      }
      case TERMINAL -> {
        next.add(condition(SYNCED, "False", verdict.reason(), verdict.message()));
        next.add(condition(READY, "False", verdict.reason(), verdict.message()));
        next.add(condition(TERMINAL, "True", verdict.reason(), verdict.message()));
      }
      case SYNCED -> {
        next.add(condition(SYNCED, "True", verdict.reason(), verdict.message()));
        // a stack whose outputs cannot reach the apps (spec.exportTo) does not serve them yet
        next.add(findings.exported().filter(e -> "False".equals(e.status()))
            .map(e -> condition(READY, "False", e.reason(), e.message()))
            .orElseGet(() -> condition(READY, "True", verdict.reason(), verdict.message())));
      }
      case PROGRESSING, NOT_SYNCED -> {
        next.add(condition(SYNCED, "False", verdict.reason(), verdict.message()));
        next.add(condition(READY, "False", verdict.reason(), verdict.message()));
      }
    }
    if (verdict.state() != Verdict.State.RECOVERABLE) {
      if (!findings.advisories().isEmpty()) {
        next.add(condition(ADVISORY, "True", "Advisory", String.join("; ", findings.advisories())));
      }
      if (findings.adopted()) {
        next.add(condition(ADOPTED, "True", "Adopted", "the operator took over an existing stack of this name"));
      }
      findings.drifted().ifPresent(d -> next.add(condition(DRIFTED, d.status(), d.reason(), d.message())));
      findings.exported().ifPresent(e -> next.add(condition(EXPORTED, e.status(), e.reason(), e.message())));
    }

    for (Condition condition : next) {
      if (condition.getObservedGeneration() == null) {
        condition.setObservedGeneration(generation);
      }
      Condition old = before.get(condition.getType());
      condition.setLastTransitionTime(old != null && old.getStatus().equals(condition.getStatus())
          && old.getLastTransitionTime() != null
          ? old.getLastTransitionTime()
          : now.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    return next;
  }

  /** The condition of a type, if the list has it. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  /** A copy of a condition that still stands, about the generation it was written for. */
  private static Condition carry(Condition c) {
    Condition copy = condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
    copy.setObservedGeneration(c.getObservedGeneration());
    return copy;
  }

  private static Condition condition(String type, String status, String reason, String message) {
    Condition condition = new Condition();
    condition.setType(type);
    condition.setStatus(status);
    condition.setReason(reason);
    condition.setMessage(message);
    return condition;
  }
}
