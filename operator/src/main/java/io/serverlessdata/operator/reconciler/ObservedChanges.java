package io.serverlessdata.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class ObservedChanges {

  private final ThreadLocal<Boolean> delivering = ThreadLocal.withInitial(() -> false);
  private final ThreadLocal<ResourceID> inPass = new ThreadLocal<>();
  /** Resources with an observed change that no pass has begun after yet. */
  private final Set<ResourceID> pending = ConcurrentHashMap.newKeySet();

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
      if (!news.test(resource)) {
        handler.handleEvent(event);
        return;
      }
      pending.add(resource);
      boolean outer = delivering.get();
      delivering.set(true);
      try {
        handler.handleEvent(event);
      } finally {
        delivering.set(outer);
      }
    };
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
    if (delivering.get()) {
      return true;
    }
    ResourceID resource = inPass.get();
    return resource != null && pending.contains(resource);
  }

  /** The executor's task on this thread ended: no pass runs on it until the next says so. */
  public void taskEnded() {
    inPass.remove();
  }
}
