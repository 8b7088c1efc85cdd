package io.serverlessdata.operator.reconciler;

/**
 * Marks the thread that delivers what the account's listing saw change in AWS (docs/architecture.md, "Observation"):
 * JOSDK submits the reconcile an event starts on the thread that delivers the event, so the operator's reconcile
 * executor can tell those passes from the ones timers, retries and resyncs start, and run them first. A pass the
 * listing starts mostly shows a new status from its summary (no AWS call) or reads the outputs of an operation that
 * ended (one); behind a queue of passes that wait for the call budget it would show the change minutes late.
 */
public final class ObservedChanges {

  private static final ThreadLocal<Boolean> DELIVERING = ThreadLocal.withInitial(() -> false);

  private ObservedChanges() {
  }

  /** Runs the delivery of observed changes (the events it raises) with this thread marked. */
  public static void deliver(Runnable delivery) {
    boolean outer = DELIVERING.get();
    DELIVERING.set(true);
    try {
      delivery.run();
    } finally {
      DELIVERING.set(outer);
    }
  }

  /** Whether this thread is delivering observed changes now. */
  public static boolean delivering() {
    return DELIVERING.get();
  }
}
