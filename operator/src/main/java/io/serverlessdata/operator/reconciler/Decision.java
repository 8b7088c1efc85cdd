package io.serverlessdata.operator.reconciler;

import io.serverlessdata.operator.cloudformation.PlanRequest;

/**
 * The planner's answer for one reconcile: what to do, what to report, and when to look again.
 *
 * @param action the one write to make, if any
 * @param verdict what the status says afterwards
 * @param requeue when to reconcile again
 */
public record Decision(Action action, Verdict verdict, Requeue requeue) {

  /** When to look at the resource again. */
  public enum Requeue {
    /** Soon: the stack or a change set is moving. */
    PROGRESS,
    /** Later: nothing moves until something outside changes (an annotation, the stack). */
    BLOCKED,
    /** Much later: the stack matches the spec. */
    STEADY,
    /** Only when the resource changes. */
    NEVER
  }

  /** The write a decision asks for. */
  public sealed interface Action {
    /** Observe and report only. */
    record None() implements Action {}

    /**
     * Create the change set for the current spec.
     *
     * @param type create or update
     * @param replaceObsolete delete the change set of the same name first (it went stale)
     * @param afterOutOfBandDeletion the stack vanished without the operator deleting it
     */
    record Plan(PlanRequest.Type type, boolean replaceObsolete, boolean afterOutOfBandDeletion) implements Action {}

    /** Execute the change set for the current spec. */
    record Execute() implements Action {}

    /** The change set for the current spec changes nothing: record the stack as driven to it, discard the change set. */
    record AcceptNoChanges() implements Action {}

    /** The change set for the current spec was executed, but the status did not record it (a restart). */
    record RecordExecuted() implements Action {}

    /** Delete the failed stack so that it can be created again. */
    record DeleteForRecreate() implements Action {}

    /** Take the stack out of {@code UPDATE_ROLLBACK_FAILED}. */
    record ContinueRollback() implements Action {}

    /** Align the stack's termination protection with the spec. */
    record SetTerminationProtection(boolean enabled) implements Action {}
  }

  static Decision of(Action action, Verdict verdict, Requeue requeue) {
    return new Decision(action, verdict, requeue);
  }

  static Decision report(Verdict verdict, Requeue requeue) {
    return new Decision(new Action.None(), verdict, requeue);
  }
}
