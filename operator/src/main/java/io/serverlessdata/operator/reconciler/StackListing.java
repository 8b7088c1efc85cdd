package io.serverlessdata.operator.reconciler;

import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.ExternalResourceCachingEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.reconciler.ObservedChanges.News;
import io.serverlessdata.operator.cloudformation.StackOperationException;
import io.serverlessdata.operator.cloudformation.StackOperations;
import io.serverlessdata.operator.cloudformation.StackPage;
import io.serverlessdata.operator.cloudformation.StackStatus;
import io.serverlessdata.operator.cloudformation.StackSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account-wide observation of stacks (docs/architecture.md, "Observation"): one poller pages through ListStacks
 * and keeps the latest summary of every stack a resource owns; a summary that changed, appeared or vanished starts a
 * reconcile of the resource that owns the stack, and nothing else does. JOSDK's
 * {@link ExternalResourceCachingEventSource} keeps the summaries and tells what changed; this class decides when to
 * list:
 *
 * <ul>
 *   <li>a <b>full listing</b> (every status but {@code DELETE_COMPLETE}) every long interval: what changed out of
 *       band, completed drift detections (their time is in each summary) and stacks that vanished;</li>
 *   <li>a <b>short listing</b> of the moving statuses only, every short interval while a watched stack moves or the
 *       operator just set one moving: a page or two whatever the account's size. A stack that leaves it settled:
 *       its summary is dropped, and the reconcile that follows describes the stack (which it must anyway, for the
 *       outputs of the operation that ended).</li>
 * </ul>
 *
 * <p>A summary that changed is delivered with the page that shows it; what only the whole listing tells (a stack
 * that vanished or settled) once every page was read. Stacks are matched to resources by the stack id their status
 * recorded — an id the status records only for a stack the resource owns — and, for read-only resources, by name: a
 * stack the operator does not own never causes a reconcile. The pages come from the operator's one call budget:
 * each takes the next token due, ahead of the reconciles that wait for theirs (a page tells them what changed, so it
 * must not wait behind them), with a pause between pages that leaves them most of it even while a listing runs. A
 * failed listing backs off (doubling, up to four long intervals) and is logged, never fatal: until a listing goes
 * through again it serves no summary (one it cannot renew may be minutes old), so a reconcile describes its stack
 * itself, and the resources whose stack it followed are reconciled at once and then on a timer of their own
 * ({@code Requeue.FOLLOWED}). The full listing that failed is the one tried again, and
 * a listing interrupted between pages (the operator stopping) is abandoned, never taken for the whole account.
 */
public final class StackListing
    extends ExternalResourceCachingEventSource<StackSummary, ServerlessDataStack, String>
    implements ResourceEventAware<ServerlessDataStack> {

  static final String NAME = "stack-listing";
  private static final Logger LOG = LoggerFactory.getLogger(StackListing.class);

  /**
   * When to list.
   *
   * @param shortInterval between short listings while a stack moves (and the poller's tick)
   * @param longInterval between full listings
   * @param pagePause between two pages of one listing
   */
  public record Pacing(Duration shortInterval, Duration longInterval, Duration pagePause) {

    public Pacing {
      if (shortInterval.isNegative() || shortInterval.isZero() || longInterval.compareTo(shortInterval) < 0) {
        throw new IllegalArgumentException("the short listing interval must be positive and at most the long one, got "
            + shortInterval + " and " + longInterval);
      }
    }
  }

  private final StackOperations cloudFormation;
  private final Pacing pacing;
  private final ObservedChanges changes;
  private final LongSupplier nanoTime;
  /** Resources whose stack the operator just set moving, with when it did: listed shortly until seen. */
  private final Map<ResourceID, Long> expected = new ConcurrentHashMap<>();
  private volatile IndexerResourceCache<ServerlessDataStack> resources;
  private volatile Set<String> listedNames;
  /** Whether a full listing succeeded yet; then {@link #lastFull} is when the last one began (nanoTime). */
  private volatile boolean listedOnce;
  private volatile long lastFull;
  private volatile Instant lastFullStart;
  /** Whether a failed listing backs off; then until {@link #backoffUntil} (nanoTime). */
  private volatile boolean backingOff;
  private volatile long backoffUntil;
  private int failures;
  private ScheduledExecutorService poller;

  StackListing(StackOperations cloudFormation, Pacing pacing, ObservedChanges changes) {
    this(cloudFormation, pacing, changes, System::nanoTime);
  }

  StackListing(StackOperations cloudFormation, Pacing pacing, ObservedChanges changes, LongSupplier nanoTime) {
    super(NAME, StackSummary.class, StackSummary::id);
    this.cloudFormation = cloudFormation;
    this.pacing = pacing;
    this.changes = changes;
    this.nanoTime = nanoTime;
  }

  /** The reconciles this source starts for news (the status does not show the summary yet) run first. */
  @Override
  public void setEventHandler(EventHandler handler) {
    super.setEventHandler(changes.delivering(handler, this::news));
  }

  /**
   * What news the listing has for the resource: none when its status shows the stack's summary; else whether its
   * pass shows the summary without a call (the stack moves: {@code StackObserver} describes no moving stack) or
   * must read more (a stack that settled or vanished — the listing dropped its summary — or a detection that ended).
   */
  private Optional<News> news(ResourceID resource) {
    Optional<StackSummary> summary = getSecondaryResource(resource);
    Optional<ServerlessDataStack> known = Optional.ofNullable(resources).flatMap(r -> r.get(resource));
    if (summary.isPresent() && known.map(ServerlessDataStack::getStatus)
        .filter(status -> new Prior(status).shows(summary.get())).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(summary.filter(s -> s.status().moving()).isPresent() ? News.SHOWN : News.READ);
  }

  /** Where the resources are read from to match stacks to them: the controller's informer cache. */
  void watch(IndexerResourceCache<ServerlessDataStack> primaries) {
    this.resources = primaries;
  }

  /** Lists once before the first reconciles (so that they find their summaries), then on the pacing's schedule. */
  @Override
  public synchronized void start() {
    super.start();
    tick();
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, NAME);
      thread.setDaemon(true);
      return thread;
    });
    poller.schedule(this::poll, untilNextTick(), TimeUnit.NANOSECONDS);
  }

  /** The poller's loop: a tick, then the next one when it is due. */
  private void poll() {
    tick();
    ScheduledExecutorService scheduler = poller;
    try {
      scheduler.schedule(this::poll, untilNextTick(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      // stop() shut the poller down
    }
  }

  /**
   * How long until the next tick: a short interval, or less when the full listing falls due sooner (so that full
   * listings begin a long interval apart, not up to a short interval later), or the rest of a backoff.
   */
  long untilNextTick() {
    long now = nanoTime.getAsLong();
    long wait = pacing.shortInterval().toNanos();
    if (listedOnce) {
      wait = Math.min(wait, Math.max(0, pacing.longInterval().toNanos() - (now - lastFull)));
    }
    if (backingOff && backoffUntil - now > 0) {
      wait = Math.max(wait, backoffUntil - now);
    }
    return Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1));
  }

  @Override
  public synchronized void stop() {
    if (poller != null) {
      poller.shutdownNow();
    }
    super.stop();
  }

  /** AWS being unreachable is not a reason to restart the operator: the listing backs off and reports in the log. */
  @Override
  public Status getStatus() {
    return Status.HEALTHY;
  }

  /**
   * The latest summary of the resource's stack, if the listing (or a reconcile) saw it — and none while the listing
   * fails: a summary it cannot renew may be minutes old, and the pass describes the stack instead.
   */
  Optional<StackSummary> summary(ResourceID resource) {
    return following() ? getSecondaryResource(resource) : Optional.empty();
  }

  /**
   * Whether the listing follows the account's stacks: its last listing went through. While it fails, the stacks it
   * would follow (moving ones) are looked at again by their own passes ({@code Requeue.FOLLOWED}).
   */
  boolean following() {
    return !backingOff;
  }

  /**
   * Whether the last full listing, begun after the resource was created, had no stack of this name: then a resource
   * that has no stack yet need not describe it. A stack someone makes after that listing makes CloudFormation refuse
   * the create, and the next pass describes it.
   *
   * @param since when the resource was created (a stack older than it would be in such a listing)
   */
  boolean knownAbsent(String stackName, Instant since) {
    Set<String> names = listedNames;
    Instant listed = lastFullStart;
    return names != null && listed != null && listed.isAfter(since.plusSeconds(1)) && !names.contains(stackName);
  }

  /** What a reconcile learned of the stack (it described it): kept until the next listing, without an event. */
  synchronized void remember(ResourceID resource, StackSummary summary) {
    cache.put(resource, new HashMap<>(Map.of(summary.id(), summary)));
  }

  /**
   * A deleted resource's stack is forgotten: a new resource of the same name and namespace (the same
   * {@link ResourceID}) has a stack of its own, which the old one's summary would hide.
   */
  @Override
  public synchronized void onResourceDeleted(ServerlessDataStack resource) {
    ResourceID id = ResourceID.fromResource(resource);
    cache.remove(id);
    expected.remove(id);
  }

  /** The operator just set the resource's stack moving (executed, deleted, continued a rollback): list shortly. */
  void expectMovement(ResourceID resource) {
    expected.put(resource, nanoTime.getAsLong());
  }

  /** One tick of the poller: a full listing when due, else a short one while anything moves. */
  void tick() {
    long now = nanoTime.getAsLong();
    if (backingOff && now - backoffUntil < 0 || resources == null) {
      return;
    }
    try {
      boolean listed = false;
      if (!listedOnce || now - lastFull >= pacing.longInterval().toNanos()) {
        listed = fullListing(now);
        if (listed) {
          // the next one a long interval after this one began; a failed one is tried again after its backoff
          lastFull = now;
          listedOnce = true;
        }
      } else if (!expected.isEmpty() || cache.values().stream().flatMap(m -> m.values().stream())
          .anyMatch(s -> s.status().moving())) {
        listed = shortListing(now);
      }
      // after a failure, only a listing that went through follows the stacks again
      if (listed) {
        failures = 0;
        backingOff = false;
      }
    } catch (StackOperationException e) {
      long wait = backOff(now);
      LOG.warn("listing stacks failed ({} in a row), next try in {} s: {}: {}", failures,
          TimeUnit.NANOSECONDS.toSeconds(wait), e.errorCode(), e.describe());
    } catch (RuntimeException e) {
      long wait = backOff(now);
      LOG.error("listing stacks failed unexpectedly ({} in a row), next try in {} s", failures,
          TimeUnit.NANOSECONDS.toSeconds(wait), e);
    }
  }

  /**
   * Backs off after a failed listing: twice the short interval, doubling, up to four long intervals. At the first
   * failure the listing stops following the stacks it followed: the resources whose stack moves, or whose movement
   * the operator just started, are reconciled, and their passes describe the stacks until the listing works again.
   */
  private long backOff(long now) {
    failures++;
    long wait = Math.min(pacing.longInterval().toNanos() * 4,
        pacing.shortInterval().toNanos() << Math.min(failures, 10));
    backoffUntil = now + wait;
    if (!backingOff) {
      backingOff = true;
      Set<ResourceID> followed = new HashSet<>(expected.keySet());
      cache.forEach((resource, summaries) -> {
        if (summaries.values().stream().anyMatch(s -> s.status().moving())) {
          followed.add(resource);
        }
      });
      expected.clear();
      followed.forEach(this::forget);
    }
    return wait;
  }

  /**
   * @param startedNanos when the tick began
   * @return whether the listing went through every page (not when interrupted)
   */
  private boolean fullListing(long startedNanos) {
    Instant started = Instant.now();
    Owners owners = owners();
    Set<ResourceID> owned = new HashSet<>();
    Set<String> names = new HashSet<>();
    boolean complete = list(StackStatus.NOT_DELETED, summary -> {
      names.add(summary.name());
      owners.of(summary).ifPresent(resource -> {
        owned.add(resource);
        handleResources(resource, Set.of(summary));
      });
    });
    if (!complete) {
      return false;
    }
    listedNames = names;
    lastFullStart = started;
    // a movement the operator started before the listing began shows in it (moving, or already settled); one
    // started while it ran may not have shown on its page, and is listed shortly as before
    expected.values().removeIf(since -> since - startedNanos <= 0);
    // the stacks whose summary the listing kept and that it did not find any more: vanished
    cache.keySet().stream().filter(resource -> !owned.contains(resource)).toList().forEach(this::handleDelete);
    return true;
  }

  /** @return whether the listing went through every page (not when interrupted) */
  private boolean shortListing(long now) {
    Owners owners = owners();
    Set<ResourceID> moving = new HashSet<>();
    if (!list(StackStatus.MOVING, summary -> owners.of(summary).ifPresent(resource -> {
      moving.add(resource);
      handleResources(resource, Set.of(summary));
    }))) {
      return false;
    }
    // stacks that were moving and are not any more, or that the operator set moving and that already settled (or
    // never showed moving between two listings): drop their summary, so that their reconcile describes them
    Set<ResourceID> settled = new HashSet<>();
    cache.forEach((resource, summaries) -> {
      if (!moving.contains(resource) && summaries.values().stream().anyMatch(s -> s.status().moving())) {
        settled.add(resource);
      }
    });
    expected.forEach((resource, since) -> {
      if (moving.contains(resource)) {
        expected.remove(resource);
      } else if (now - since >= pacing.shortInterval().toNanos()) {
        settled.add(resource);
        expected.remove(resource);
      }
    });
    settled.forEach(this::forget);
    return true;
  }

  /** Drops the summary and starts a reconcile, even when nothing was cached. */
  private synchronized void forget(ResourceID resource) {
    if (cache.containsKey(resource)) {
      handleDelete(resource);
    } else if (isRunning()) {
      getEventHandler().handleEvent(new Event(resource));
    }
  }

  /** Every page of a listing; false when interrupted between two (the listing is then incomplete). */
  private boolean list(Set<StackStatus> statuses, Consumer<StackSummary> each) {
    Optional<String> token = Optional.empty();
    do {
      StackPage page = cloudFormation.listStacks(statuses, token);
      page.stacks().forEach(each);
      token = page.nextToken();
      if (token.isPresent() && !pacing.pagePause().isZero()) {
        try {
          Thread.sleep(pacing.pagePause().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    } while (token.isPresent());
    return true;
  }

  /** Which resource owns which stack, from the resources as the informer has them now. */
  private Owners owners() {
    Map<String, ResourceID> byId = new HashMap<>();
    Map<String, ResourceID> byName = new HashMap<>();
    resources.list().forEach(resource -> {
      var status = resource.getStatus();
      if (status == null) {
        return;
      }
      ResourceID id = ResourceID.fromResource(resource);
      if (status.getStackId() != null) {
        byId.put(status.getStackId(), id);
      }
      if (Annotations.readOnly(resource) && status.getStackName() != null) {
        byName.put(status.getStackName(), id);
      }
    });
    return new Owners(byId, byName);
  }

  private record Owners(Map<String, ResourceID> byId, Map<String, ResourceID> byName) {

    Optional<ResourceID> of(StackSummary summary) {
      return Optional.ofNullable(byId.get(summary.id())).or(() -> Optional.ofNullable(byName.get(summary.name())));
    }
  }
}
