package io.serverlessdata.operator.reconciler;

/**
 * What one reconcile concluded about the resource: the single input from which its conditions are derived.
 *
 * @param state where the resource stands
 * @param reason a CamelCase reason, as conditions and events carry it
 * @param message a sentence for people
 */
public record Verdict(State state, String reason, String message) {

  /** Where a resource stands after a reconcile. */
  public enum State {
    /** The stack matches the spec. */
    SYNCED,
    /** The stack is moving towards the spec; the operator is waiting. */
    PROGRESSING,
    /** The stack does not match the spec and will not until something changes (an annotation, the spec). */
    NOT_SYNCED,
    /** Nothing will change until the spec does. */
    TERMINAL,
    /** A transient AWS fault; retried with backoff. What was known of the stack still stands. */
    RECOVERABLE
  }

  public static Verdict synced(String reason, String message) {
    return new Verdict(State.SYNCED, reason, message);
  }

  public static Verdict progressing(String reason, String message) {
    return new Verdict(State.PROGRESSING, reason, message);
  }

  public static Verdict notSynced(String reason, String message) {
    return new Verdict(State.NOT_SYNCED, reason, message);
  }

  public static Verdict terminal(String reason, String message) {
    return new Verdict(State.TERMINAL, reason, message);
  }

  public static Verdict recoverable(String reason, String message) {
    return new Verdict(State.RECOVERABLE, reason, message);
  }
}
