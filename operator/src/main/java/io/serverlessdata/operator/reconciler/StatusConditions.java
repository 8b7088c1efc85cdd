package io.serverlessdata.operator.reconciler;

import static io.serverlessdata.operator.reconciler.ConditionTypes.ADOPTED;
import static io.serverlessdata.operator.reconciler.ConditionTypes.ADVISORY;
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
 * Derives a resource's conditions from a {@link Verdict}, in one place (like ACK's {@code ensureConditions}):
 * {@code ACK.ResourceSynced}, {@code Ready}, {@code ACK.Terminal}, {@code ACK.Recoverable}, plus the
 * advisories and adoption ({@code Ready} is also false while {@code Exported} is). A condition keeps its {@code lastTransitionTime} unless its status changes;
 * conditions this class does not own (such as {@code Drifted}) are kept as they are.
 */
public final class StatusConditions {

  private static final List<String> OWNED = List.of(READY, SYNCED, TERMINAL, RECOVERABLE, ADVISORY, ADOPTED);

  private StatusConditions() {}

  /**
   * The new condition list.
   *
   * @param previous the conditions in the status now
   * @param verdict what this reconcile concluded
   * @param advisories sentences for {@code ACK.Advisory}; none removes the condition
   * @param adopted whether the stack was adopted rather than created
   * @param generation the generation the verdict is about (carried conditions keep theirs)
   * @param now the time a changed condition records
   */
  public static List<Condition> derive(
      List<Condition> previous, Verdict verdict, List<String> advisories, boolean adopted, long generation, Instant now) {
    Map<String, Condition> before = previous.stream()
        .collect(Collectors.toMap(Condition::getType, Function.identity(), (a, b) -> b));
    List<Condition> next = new ArrayList<>();

    switch (verdict.state()) {
      case RECOVERABLE -> {
        // what was known of the stack still stands; the fault is reported on its own
        carry(before, SYNCED).ifPresent(next::add);
        carry(before, READY).ifPresent(next::add);
        next.add(condition(RECOVERABLE, "True", verdict));
      }
      case TERMINAL -> {
        next.add(condition(SYNCED, "False", verdict));
        next.add(condition(READY, "False", verdict));
        next.add(condition(TERMINAL, "True", verdict));
      }
      case SYNCED -> {
        next.add(condition(SYNCED, "True", verdict));
        // a stack whose outputs cannot reach the apps (spec.exportTo) does not serve them yet
        next.add(Optional.ofNullable(before.get(EXPORTED)).filter(c -> "False".equals(c.getStatus()))
            .map(c -> condition(READY, "False", c.getReason(), c.getMessage()))
            .orElseGet(() -> condition(READY, "True", verdict)));
      }
      case PROGRESSING, NOT_SYNCED -> {
        next.add(condition(SYNCED, "False", verdict));
        next.add(condition(READY, "False", verdict));
      }
    }
    if (!advisories.isEmpty()) {
      next.add(condition(ADVISORY, "True", "Advisory", String.join("; ", advisories)));
    }
    if (adopted) {
      next.add(condition(ADOPTED, "True", "Adopted", "the operator took over an existing stack of this name"));
    }
    previous.stream().filter(c -> !OWNED.contains(c.getType())).forEach(next::add);

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

  /**
   * The list with one condition this class does not derive (such as {@code Drifted}) set; its
   * {@code lastTransitionTime} stays unless its status changes.
   */
  public static List<Condition> with(List<Condition> conditions, String type, String status, String reason,
      String message, long generation, Instant now) {
    Condition next = condition(type, status, reason, message);
    next.setObservedGeneration(generation);
    Optional<Condition> old = find(conditions, type);
    next.setLastTransitionTime(old.filter(c -> c.getStatus().equals(status) && c.getLastTransitionTime() != null)
        .map(Condition::getLastTransitionTime)
        .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString()));
    List<Condition> result = new ArrayList<>(conditions.stream().filter(c -> !c.getType().equals(type)).toList());
    result.add(next);
    return result;
  }

  /** The condition of a type, if the list has it. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  /** A copy of a condition that still stands, about the generation it was written for. */
  private static Optional<Condition> carry(Map<String, Condition> before, String type) {
    return Optional.ofNullable(before.get(type)).map(c -> {
      Condition copy = condition(type, c.getStatus(), c.getReason(), c.getMessage());
      copy.setObservedGeneration(c.getObservedGeneration());
      return copy;
    });
  }

  private static Condition condition(String type, String status, Verdict verdict) {
    return condition(type, status, verdict.reason(), verdict.message());
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
