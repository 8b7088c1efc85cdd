package io.serverlessdata.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Tells the reconcile executor which reconciles show a change the account's listing observed in AWS
 * (docs/architecture.md, "Observation"), so that it runs them before the waiting ones that timers, retries and
 * resyncs started. Such a pass mostly shows a new status from its summary (no AWS call) or reads the outputs of an
 * operation that ended (one); behind a queue of passes waiting for the call budget it would show the change minutes
 * late.
 *
 * <p>JOSDK submits a reconcile on the thread that delivers its event — or, when the event arrives while the
 * resource's pass runs, on that pass's thread once it ends. So the listing delivers its events through
 * {@link #delivering(EventHandler, Function)}, which marks the delivering thread and the resource, and each pass says
 * which resource it runs ({@link #passBegins}); a submission is of an observed change when either says so. Only news
 * counts: during a mass create each full listing finds hundreds of stacks under review that their statuses already
 * show, and their passes (a change set to describe and execute) are ordinary work. Among the news, what the pass
 * shows from the summary alone ({@link News#SHOWN}) goes before what it must read more about ({@link News#READ}):
 * a stack that began to move costs its pass no call, while a finished create's pass waits for a token to describe it.
 *
 * <p>When the news arrives while the resource's reconcile waits in the queue, JOSDK submits nothing: it folds the event
 * into the waiting reconcile. The executor is then told to hurry that one ({@link #hurryWith}); it knows which it is
 * when the submission said its resource ({@link #submittingFor}).
 */
public final class ObservedChanges {

  /** What the pass makes of news: it decides how soon the pass runs among the observed changes. */
  public enum News {
    /** The pass shows it from the summary, without an AWS call: a stack that began to move. */
    SHOWN,
    /** The pass reads more before it shows it: a stack that settled or vanished, a detection that ended. */
    READ
  }

  /** The listing's event being delivered on this thread, and what news it is (empty: none). */
  private record Delivery(ResourceID resource, Optional<News> news) { }

  private final ThreadLocal<Delivery> delivering = new ThreadLocal<>();
  private final ThreadLocal<ResourceID> inPass = new ThreadLocal<>();
  /** Resources with an observed change that no pass has begun after yet, with the latest news of each. */
  private final Map<ResourceID, News> pending = new ConcurrentHashMap<>();
  private volatile BiConsumer<ResourceID, News> hurry = (resource, news) -> { };

  /**
   * The listing's event handler: an event whose resource's status does not show what the listing now knows is an
   * observed change of that resource; the others (a summary the status already shows, seen for the first time) start
   * their reconcile in the ordinary order.
   *
   * @param news what news the event is to the resource (empty: its status shows its stack's summary already)
   */
  public EventHandler delivering(EventHandler handler, Function<ResourceID, Optional<News>> news) {
    return event -> {
      ResourceID resource = event.getRelatedCustomResourceID();
      Optional<News> observed = news.apply(resource);
      observed.ifPresent(kind -> pending.put(resource, kind));
      Delivery outer = delivering.get();
      delivering.set(new Delivery(resource, observed));
      try {
        handler.handleEvent(event);
      } finally {
        delivering.set(outer);
      }
      if (observed.isPresent() && pending.containsKey(resource)) {
        // no pass began since: the reconcile JOSDK submitted now is in line, or an earlier one waits or runs
        hurry.accept(resource, observed.get());
      }
    };
  }

  /**
   * What to do with news whose resource's reconcile may already wait: the executor moves a waiting one ahead (a
   * running one is submitted again when it ends, as an observed change).
   */
  public void hurryWith(BiConsumer<ResourceID, News> hurry) {
    this.hurry = Objects.requireNonNull(hurry);
  }

  /** A pass of the resource begins on this thread: it reads every change delivered until now. */
  public void passBegins(ResourceID resource) {
    inPass.set(resource);
    pending.remove(resource);
  }

  /**
   * What observed change a reconcile submitted on this thread now shows, if any: the news the listing is delivering,
   * or the latest news of the resource whose pass ran on this thread, when it arrived after that pass began.
   */
  public Optional<News> submitting() {
    Delivery delivery = delivering.get();
    if (delivery != null) {
      return delivery.news();
    }
    return Optional.ofNullable(inPass.get()).map(pending::get);
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
