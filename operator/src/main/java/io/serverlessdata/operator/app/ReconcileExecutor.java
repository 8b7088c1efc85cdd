package io.serverlessdata.operator.app;

import io.serverlessdata.operator.reconciler.ObservedChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JOSDK's reconcile threads (docs/architecture.md, "Observation"), in two pools: the reconciles of changes the
 * account's listing observed ({@link ObservedChanges}) have threads of their own, half of the configured concurrency;
 * the ones timers, retries, resyncs and edits start have the rest. Each pool is first come, first served.
 *
 * <p>Why two pools and not one queue: a reconcile that calls AWS holds its thread while it waits for the call budget,
 * so while a mass create saturates the budget every thread is waiting, and threads come free only as fast as the
 * budget lets their calls out. A pass that only shows a stack's new status needs no call, but it needs a thread: in one
 * pool, first in line or not, it waited for one of those. With threads of their own the observed changes wait only
 * for each other (their passes make no call, or the one that reads an ended operation's outputs), and the other pool
 * still keeps the budget busy.
 */
final class ReconcileExecutor extends AbstractExecutorService {

  private final ObservedChanges changes;
  private final ThreadPoolExecutor ordinary;
  private final ThreadPoolExecutor observed;
  private final AtomicLong submittedOrdinary = new AtomicLong();
  private final AtomicLong submittedObserved = new AtomicLong();

  /** @param threads the configured concurrency: at least one thread in each pool, half of it for observed changes */
  ReconcileExecutor(int threads, ObservedChanges changes) {
    this.changes = changes;
    int forObserved = Math.max(1, threads / 2);
    this.observed = pool(forObserved, "reconciler-observed-");
    this.ordinary = pool(Math.max(1, threads - forObserved), "reconciler-");
  }

  private ThreadPoolExecutor pool(int threads, String name) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory named = runnable -> new Thread(runnable, name + count.incrementAndGet());
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), named) {
      @Override
      protected void afterExecute(Runnable task, Throwable failure) {
        changes.taskEnded();
      }
    };
  }

  @Override
  public void execute(Runnable command) {
    if (changes.submitting()) {
      submittedObserved.incrementAndGet();
      observed.execute(command);
    } else {
      submittedOrdinary.incrementAndGet();
      ordinary.execute(command);
    }
  }

  /** Reconciles submitted so far: of observed changes, or started otherwise (timers, retries, resyncs, edits). */
  long submitted(boolean ofObservedChanges) {
    return ofObservedChanges ? submittedObserved.get() : submittedOrdinary.get();
  }

  /** The pool of the reconciles of observed changes, or of the others (for the executor metrics). */
  ThreadPoolExecutor pool(boolean ofObservedChanges) {
    return ofObservedChanges ? observed : ordinary;
  }

  @Override
  public void shutdown() {
    ordinary.shutdown();
    observed.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> waiting = new ArrayList<>(ordinary.shutdownNow());
    waiting.addAll(observed.shutdownNow());
    return waiting;
  }

  @Override
  public boolean isShutdown() {
    return ordinary.isShutdown() && observed.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return ordinary.isTerminated() && observed.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    return ordinary.awaitTermination(timeout, unit)
        && observed.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
