package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.cloudformation.PlanRequest;
import java.util.Optional;

/**
 * The planner's answer for one pass: the one write to the stack, whether to start a drift detection, what the status
 * says afterwards, the event that announces a new verdict, and when to look again.
 *
 * @param action the one write to the stack, if any
 * @param drift whether to start a drift detection
 * @param verdict what the status says afterwards (unless the write is refused)
 * @param announce the event recorded when the verdict is new (a changed reason, or a recovery)
 * @param requeue when to reconcile again, at the latest
 */
public record Decision(Action action, DriftAction drift, Verdict verdict, Optional<EventReason> announce,
    Requeue requeue) {

  /** When to look at the resource again, at the latest: the account's listing starts a pass when the stack changes. */
  public enum Requeue {
    /** Soon: a change set is being computed, or a write just went out. */
    PROGRESS,
    /** Later: nothing moves until something outside changes (another resource, IAM). */
    BLOCKED,
    /** Much later: the stack matches the spec; the listing shows what changes it. */
    STEADY,
    /**
     * The stack moves, or a change set was just executed: the listing follows it and starts the pass when it changes,
     * so the timer is the steady one — but the blocked interval while the listing fails.
     */
    FOLLOWED,
    /** Only when the resource changes. */
    NEVER
  }

  /** The write a decision asks for. */
  public sealed interface Action {
    /** Observe and report only. */
    record None() implements Action {}

    /**
     * Create a change set for the spec.
     *
     * @param type create or update
     * @param changeSetName its name
     * @param discard a recorded change set to delete first (it went stale or another plan replaces it)
     * @param revertDrift plan a drift-reverting change set
     * @param afterOutOfBandDeletion the stack vanished without the operator deleting it
     */
    record Plan(PlanRequest.Type type, String changeSetName, Optional<String> discard, boolean revertDrift,
        boolean afterOutOfBandDeletion) implements Action {}

    /** Execute the recorded change set; its id is in the status. */
    record Execute(String changeSetName, boolean revertDrift) implements Action {}

    /** The recorded change set changes nothing: record the stack as driven to the spec, discard the change set. */
    record AcceptNoChanges(String changeSetName, boolean revertDrift) implements Action {}

    /** The recorded change set was executed (a restart lost that): record the stack as driven to the spec. */
    record RecordExecuted(String changeSetName) implements Action {}

    /** Delete the failed stack so that it can be created again. */
    record DeleteForRecreate() implements Action {}

    /** Take the stack out of {@code UPDATE_ROLLBACK_FAILED}. */
    record ContinueRollback() implements Action {}

    /** Align the stack's termination protection with the spec. */
    record SetTerminationProtection(boolean enabled) implements Action {}
  }

  /** Whether the pass starts a drift detection. */
  public enum DriftAction {
    NONE,
    START,
    /** One is due, but the operator's AWS calls queue for the budget: the writes go first, the detection later. */
    YIELD
  }

  static Decision of(Action action, Verdict verdict, Optional<EventReason> announce, Requeue requeue) {
    return new Decision(action, DriftAction.NONE, verdict, announce, requeue);
  }

  static Decision report(Verdict verdict, Optional<EventReason> announce, Requeue requeue) {
    return new Decision(new Action.None(), DriftAction.NONE, verdict, announce, requeue);
  }

  Decision withDrift(DriftAction start) {
    return new Decision(action, start, verdict, announce, requeue);
  }
}
