package io.serverlessdata.operator.app;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.serverlessdata.operator.reconciler.ObservedChanges;
import io.serverlessdata.operator.reconciler.ObservedChanges.News;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JOSDK's reconcile threads (docs/architecture.md, "Observation"), with one rule of order: a reconcile started by a
 * change the account's listing observed ({@link ObservedChanges}) runs before the waiting ones that timers, retries
 * and resyncs started — what its pass shows from the summary alone before what it must read more about — otherwise
 * first come, first served. JOSDK 5's own executor is one FIFO queue, where a pass
 * that only shows a stack's new status waits behind every pass that waits for the AWS call budget — minutes, when a
 * thousand creates saturate it. Passes that change stacks still get every token the observed ones leave: these are
 * few (one per change) and cheap (no call, or the outputs of an operation that ended).
 *
 * <p>JOSDK submits nothing for news whose resource's reconcile already waits (it folds the event into that one); such a
 * reconcile is moved ahead ({@link #hurry}) when its submission said its resource. During a mass create that is the
 * common case: a listing event the status already showed, arriving while the resource's pass waited, makes JOSDK
 * submit the resource again as that pass ends, and the stack's start shows in the listing while this one waits.
 */
final class ReconcileExecutor extends ThreadPoolExecutor {

  private final ObservedChanges changes;
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong observed = new AtomicLong();
  private final AtomicLong hurried = new AtomicLong();
  /** Waiting reconciles whose submission said their resource. */
  private final Map<ResourceID, Queued> waiting = new ConcurrentHashMap<>();

  private ReconcileExecutor(int threads, ObservedChanges changes) {
    super(threads, threads, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), new Named());
    this.changes = changes;
  }

  /** The reconcile threads, told by {@code changes} which reconciles to run first. */
  static ReconcileExecutor ordering(int threads, ObservedChanges changes) {
    ReconcileExecutor executor = new ReconcileExecutor(threads, changes);
    changes.hurryWith(executor::hurry);
    return executor;
  }

  @Override
  public void execute(Runnable command) {
    Optional<News> news = changes.submitting();
    if (news.isPresent()) {
      observed.incrementAndGet();
    }
    Optional<ResourceID> resource = changes.submittingFor();
    Queued queued = new Queued(command, resource, rank(news), submitted.getAndIncrement());
    resource.ifPresent(r -> waiting.put(r, queued));
    try {
      super.execute(queued);
    } catch (RejectedExecutionException stopping) {
      resource.ifPresent(r -> waiting.remove(r, queued));
      throw stopping;
    }
  }

  /**
   * The listing observed a change of the resource, whose reconcile may wait already: it goes ahead of the ordinary
   * ones (and of observed ones that must read more, when this news needs no call), keeping its place among its kind.
   * (A JOSDK resource has at most one reconcile submitted at a time.)
   */
  synchronized void hurry(ResourceID resource, News news) {
    Queued queued = waiting.get(resource);
    int rank = rank(Optional.of(news));
    if (queued == null || queued.rank() <= rank || isShutdown() || !getQueue().remove(queued)) {
      return;
    }
    Queued ahead = queued.ranked(rank);
    waiting.replace(resource, queued, ahead);
    getQueue().add(ahead);
    hurried.incrementAndGet();
  }

  /** Where a reconcile goes in the queue: news shown from the summary, news read about, then the ordinary ones. */
  private static int rank(Optional<News> news) {
    return news.map(News::ordinal).orElse(News.values().length);
  }

  @Override
  protected void beforeExecute(Thread thread, Runnable task) {
    Queued queued = (Queued) task;
    queued.resource().ifPresent(r -> waiting.remove(r, queued));
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

  /** Waiting reconciles moved ahead so far, because the listing observed a change of their resource meanwhile. */
  long hurried() {
    return hurried.get();
  }

  /** A submitted reconcile: by rank ({@link #rank}), then in the order submitted. */
  private record Queued(Runnable command, Optional<ResourceID> resource, int rank, long order)
      implements Runnable, Comparable<Queued> {

    @Override
    public void run() {
      command.run();
    }

    Queued ranked(int ahead) {
      return new Queued(command, resource, ahead, order);
    }

    @Override
    public int compareTo(Queued other) {
      return rank != other.rank ? Integer.compare(rank, other.rank) : Long.compare(order, other.order);
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
