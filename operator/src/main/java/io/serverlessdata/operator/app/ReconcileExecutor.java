package io.serverlessdata.operator.app;

import io.serverlessdata.operator.reconciler.ObservedChanges;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JOSDK's reconcile threads (docs/architecture.md, "Observation"), with one rule of order: a reconcile started by a
 * change the account's listing observed ({@link ObservedChanges}) runs before the waiting ones that timers, retries
 * and resyncs started; otherwise first come, first served. JOSDK 5's own executor is one FIFO queue, where a pass
 * that only shows a stack's new status waits behind every pass that waits for the AWS call budget — minutes, when a
 * thousand creates saturate it. Passes that change stacks still get every token the observed ones leave: these are
 * few (one per change) and cheap (no call, or the outputs of an operation that ended).
 */
final class ReconcileExecutor extends ThreadPoolExecutor {

  private final ObservedChanges changes;
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong observed = new AtomicLong();

  ReconcileExecutor(int threads, ObservedChanges changes) {
    super(threads, threads, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), new Named());
    this.changes = changes;
  }

  @Override
  public void execute(Runnable command) {
    boolean ofObservedChange = changes.submitting();
    if (ofObservedChange) {
      observed.incrementAndGet();
    }
    super.execute(new Queued(command, ofObservedChange, submitted.getAndIncrement()));
  }

  @Override
  protected void afterExecute(Runnable task, Throwable failure) {
    changes.taskEnded();
  }

  /** Reconciles submitted so far: of observed changes, or started otherwise (timers, retries, resyncs, edits). */
  long submitted(boolean ofObservedChanges) {
    long ofObserved = observed.get();
    return ofObservedChanges ? ofObserved : submitted.get() - ofObserved;
  }

  /** A submitted reconcile: observed changes first, then in the order submitted. */
  private record Queued(Runnable command, boolean observed, long order) implements Runnable, Comparable<Queued> {

    @Override
    public void run() {
      command.run();
    }

    @Override
    public int compareTo(Queued other) {
      if (observed != other.observed) {
        return observed ? -1 : 1;
      }
      return Long.compare(order, other.order);
    }
  }

  /** Threads named for logs and thread dumps: {@code reconciler-N}. */
  private static final class Named implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable runnable) {
      return new Thread(runnable, "reconciler-" + count.incrementAndGet());
    }
  }
}
