package io.serverlessdata.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Tells the reconcile executor which reconciles show a change the account's listing observed in AWS
 * (docs/architecture.md, "Observation"), so that it runs them before the waiting ones that timers, retries and
 * resyncs started. Such a pass mostly shows a new status from its summary (no AWS call) or reads the outputs of an
 * operation that ended (one); behind a queue of passes waiting for the call budget it would show the change minutes
 * late.
 *
 * <p>JOSDK submits a reconcile on the thread that delivers its event — or, when the event arrives while the
 * resource's pass runs, on that pass's thread once it ends. So the listing delivers its events through
 * {@link #delivering(EventHandler, Predicate)}, which marks the delivering thread and the resource, and each pass says
 * which resource it runs ({@link #passBegins}); a submission is of an observed change when either says so. Only news
 * counts: during a mass create each full listing finds hundreds of stacks under review that their statuses already
 * show, and their passes (a change set to describe and execute) are ordinary work.
 *
 * <p>When the news arrives while the resource's reconcile waits in the queue, JOSDK submits nothing: it folds the event
 * into the waiting reconcile. The executor is then told to hurry that one ({@link #hurryWith}); it knows which it is
 * when the submission said its resource ({@link #submittingFor}).
 */
public final class ObservedChanges {

  /** The listing's event being delivered on this thread, and whether it is news. */
  private record Delivery(ResourceID resource, boolean news) { }

  private final ThreadLocal<Delivery> delivering = new ThreadLocal<>();
  private final ThreadLocal<ResourceID> inPass = new ThreadLocal<>();
  /** Resources with an observed change that no pass has begun after yet. */
  private final Set<ResourceID> pending = ConcurrentHashMap.newKeySet();
  private volatile Consumer<ResourceID> hurry = resource -> { };

  /**
   * The listing's event handler: an event whose resource's status does not show what the listing now knows is an
   * observed change of that resource; the others (a summary the status already shows, seen for the first time) start
   * their reconcile in the ordinary order.
   *
   * @param news whether the resource's status does not show its stack's summary yet
   */
  public EventHandler delivering(EventHandler handler, Predicate<ResourceID> news) {
    return event -> {
      ResourceID resource = event.getRelatedCustomResourceID();
      boolean isNews = news.test(resource);
      if (isNews) {
        pending.add(resource);
      }
      Delivery outer = delivering.get();
      delivering.set(new Delivery(resource, isNews));
      try {
        handler.handleEvent(event);
      } finally {
        delivering.set(outer);
      }
      if (isNews && pending.contains(resource)) {
        // no pass began since: the reconcile JOSDK submitted now is first in line, or an earlier one waits or runs
        hurry.accept(resource);
      }
    };
  }

  /**
   * What to do with news whose resource's reconcile may already wait: the executor moves a waiting one ahead (a
   * running one is submitted again when it ends, as an observed change).
   */
  public void hurryWith(Consumer<ResourceID> hurry) {
    this.hurry = Objects.requireNonNull(hurry);
  }

  /** A pass of the resource begins on this thread: it reads every change delivered until now. */
  public void passBegins(ResourceID resource) {
    inPass.set(resource);
    pending.remove(resource);
  }

  /**
   * Whether a reconcile submitted on this thread now shows an observed change: the listing is delivering one, or the
   * pass that ran on this thread is of a resource whose change arrived after it began.
   */
  public boolean submitting() {
    Delivery delivery = delivering.get();
    if (delivery != null) {
      return delivery.news();
    }
    ResourceID resource = inPass.get();
    return resource != null && pending.contains(resource);
  }

  /**
   * The resource whose reconcile is submitted on this thread, when this thread knows it: the listing delivers its
   * event, or the resource's pass just ended here. (Timers, retries and the informer submit on JOSDK's threads, which
   * do not say.)
   */
  public Optional<ResourceID> submittingFor() {
    return Optional.ofNullable(delivering.get()).map(Delivery::resource).or(() -> Optional.ofNullable(inPass.get()));
  }

  /** The executor's task on this thread ended: no pass runs on it until the next says so. */
  public void taskEnded() {
    inPass.remove();
  }
}
