package io.serverlessdata.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.serverlessdata.operator.api.ServerlessDataStack;
import io.serverlessdata.operator.api.ServerlessDataStackStatus;
import io.serverlessdata.operator.cloudformation.DriftInformation;
import io.serverlessdata.operator.cloudformation.StackPage;
import io.serverlessdata.operator.cloudformation.StackStatus;
import io.serverlessdata.operator.cloudformation.StackSummary;
import io.serverlessdata.operator.cloudformation.TestFaults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The account's stack listing (docs/architecture.md, "Observation") on a clock the test moves: which ListStacks
 * calls it makes and when, and which resources it starts a reconcile of. The poller's own thread never ticks here
 * (its interval is minutes of real time); the test calls {@code tick()} as the poller would.
 */
class StackListingTest {

  private static final Duration SHORT = Duration.ofMinutes(10);
  private static final Duration LONG = Duration.ofMinutes(40);
  private static final String ORDERS_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/team-a-orders/1";
  private static final String BILLING_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/team-a-billing/2";
  private static final String FOREIGN_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/by-hand/3";
  private static final Instant CREATED = Instant.parse("2026-11-28T10:00:00Z");

  /** The account as ListStacks pages through it, newest first; records every call. */
  private static final class Account extends RefusingStackOperations {
    final Map<String, StackSummary> stacks = new LinkedHashMap<>();
    final List<Call> calls = new ArrayList<>();
    int pageSize = 100;
    int failures;
    Runnable duringNextCall = () -> { };

    record Call(Set<StackStatus> statuses, Optional<String> token, long realNanos) {}

    Account() {
      super("the listing only lists");
    }

    void put(StackSummary summary) {
      stacks.put(summary.id(), summary);
    }

    @Override
    public StackPage listStacks(Set<StackStatus> statuses, Optional<String> nextToken) {
      calls.add(new Call(statuses, nextToken, System.nanoTime()));
      Runnable during = duringNextCall;
      duringNextCall = () -> { };
      during.run();
      if (failures > 0) {
        failures--;
        throw TestFaults.throttled();
      }
      List<StackSummary> matching = stacks.values().stream().filter(s -> statuses.contains(s.status())).toList();
      int from = nextToken.map(Integer::parseInt).orElse(0);
      int to = Math.min(matching.size(), from + pageSize);
      return new StackPage(matching.subList(from, to), to < matching.size() ? Optional.of(String.valueOf(to))
          : Optional.empty());
    }

    List<Set<StackStatus>> listings() {
      return calls.stream().filter(c -> c.token().isEmpty()).map(Call::statuses).toList();
    }
  }

  /** The controller's informer cache, as the listing reads it: the resources and their status. */
  private static final class Resources implements IndexerResourceCache<ServerlessDataStack> {
    final Map<ResourceID, ServerlessDataStack> resources = new LinkedHashMap<>();

    @Override
    public Optional<ServerlessDataStack> get(ResourceID id) {
      return Optional.ofNullable(resources.get(id));
    }

    @Override
    public Stream<ResourceID> keys() {
      return resources.keySet().stream();
    }

    @Override
    public Stream<ServerlessDataStack> list(Predicate<ServerlessDataStack> predicate) {
      return resources.values().stream().filter(predicate);
    }

    @Override
    public Stream<ServerlessDataStack> list(String namespace, Predicate<ServerlessDataStack> predicate) {
      return list(r -> namespace.equals(r.getMetadata().getNamespace()) && predicate.test(r));
    }

    @Override
    public List<ServerlessDataStack> byIndex(String indexName, String indexKey) {
      throw new AssertionError("the listing reads no index");
    }

    @Override
    public void addIndexers(Map<String, Function<ServerlessDataStack, List<String>>> indexers) {
      throw new AssertionError("the listing adds no index");
    }
  }

  private final Account account = new Account();
  private final Resources resources = new Resources();
  private final List<ResourceID> events = new ArrayList<>();
  private final ObservedChanges changes = new ObservedChanges();
  /** Events raised without the thread marked as delivering observed changes (the executor would not put them first). */
  private final List<ResourceID> unmarked = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong(7_000_000_000L);
  private StackListing listing;

  private final ResourceID orders = resource("orders", ORDERS_ID, false);
  private final ResourceID billing = resource("billing", BILLING_ID, false);

  @AfterEach
  void stop() {
    if (listing != null) {
      listing.stop();
    }
    assertThat(unmarked).as("reconciles started by a listing, not marked as observed changes").isEmpty();
  }

  private ResourceID resource(String name, String stackId, boolean readOnly) {
    ServerlessDataStack resource = new ServerlessDataStack();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a")
        .withAnnotations(readOnly ? Map.of(Annotations.READ_ONLY, "true") : Map.of()).build());
    ServerlessDataStackStatus status = new ServerlessDataStackStatus();
    status.setStackId(stackId);
    status.setStackName("team-a-" + name);
    resource.setStatus(status);
    ResourceID id = ResourceID.fromResource(resource);
    resources.resources.put(id, resource);
    return id;
  }

  private static StackSummary summary(String id, String status) {
    return summary(id, status, Optional.empty(), DriftInformation.NOT_CHECKED);
  }

  private static StackSummary summary(String id, String status, Optional<Instant> updated, DriftInformation drift) {
    String name = id.split("/")[1];
    return new StackSummary(name, id, StackStatus.of(status), Optional.empty(), CREATED, updated, Optional.empty(),
        drift);
  }

  /** Starts the listing (its first, full listing) with pages of {@code pagePause} between them. */
  private void start(Duration pagePause) {
    listing = new StackListing(account, new StackListing.Pacing(SHORT, LONG, pagePause), changes, nanos::get);
    listing.watch(resources);
    listing.setEventHandler(event -> {
      events.add(event.getRelatedCustomResourceID());
      if (changes.submitting().isEmpty()) {
        unmarked.add(event.getRelatedCustomResourceID());
      }
    });
    listing.start();
  }

  private void start() {
    start(Duration.ZERO);
  }

  /** The poller's tick, {@code after} the last one. */
  private void tickAfter(Duration after) {
    nanos.addAndGet(after.toNanos());
    listing.tick();
  }

  @Test
  void aListingFollowsEveryNextTokenWithAPauseBetweenPagesAndSkipsDeletedStacks() {
    account.pageSize = 2;
    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    account.put(summary(BILLING_ID, "UPDATE_IN_PROGRESS"));
    account.put(summary(FOREIGN_ID, "ROLLBACK_COMPLETE"));
    account.put(summary("arn:aws:cloudformation:us-east-1:123456789012:stack/gone/4", "DELETE_COMPLETE"));
    account.put(summary("arn:aws:cloudformation:us-east-1:123456789012:stack/other/5", "REVIEW_IN_PROGRESS"));
    account.put(summary("arn:aws:cloudformation:us-east-1:123456789012:stack/another/6", "UPDATE_COMPLETE"));
    Duration pause = Duration.ofMillis(30);

    start(pause);

    assertThat(account.calls).extracting(Account.Call::token)
        .containsExactly(Optional.empty(), Optional.of("2"), Optional.of("4"));
    assertThat(account.calls).allSatisfy(c -> assertThat(c.statuses()).isEqualTo(StackStatus.NOT_DELETED));
    for (int i = 1; i < account.calls.size(); i++) {
      assertThat(account.calls.get(i).realNanos() - account.calls.get(i - 1).realNanos())
          .as("pause before page %d", i + 1).isGreaterThanOrEqualTo(pause.toNanos());
    }
    assertThat(listing.summary(orders)).contains(summary(ORDERS_ID, "CREATE_COMPLETE"));
    assertThat(listing.summary(billing)).contains(summary(BILLING_ID, "UPDATE_IN_PROGRESS"));
    assertThat(events).containsExactlyInAnyOrder(orders, billing);
  }

  @ParameterizedTest(name = "nanoTime starting at {0}")
  @ValueSource(longs = {7_000_000_000L, 0L, -3_000_000_000_000L})
  void everyLongIntervalAFullListingAndBetweenAShortOneOnlyWhileAWatchedStackMoves(long origin) {
    nanos.set(origin);
    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    start();
    assertThat(account.listings()).containsExactly(StackStatus.NOT_DELETED);

    // nothing moves: no call until the long interval is up
    tickAfter(SHORT);
    tickAfter(SHORT);
    tickAfter(SHORT);
    assertThat(account.listings()).hasSize(1);
    tickAfter(SHORT);
    assertThat(account.listings()).containsExactly(StackStatus.NOT_DELETED, StackStatus.NOT_DELETED);

    // a watched stack moves: short listings of the moving statuses, then full ones on their schedule
    account.put(summary(ORDERS_ID, "UPDATE_IN_PROGRESS", Optional.of(CREATED.plusSeconds(60)),
        DriftInformation.NOT_CHECKED));
    listing.expectMovement(orders);
    tickAfter(SHORT);
    tickAfter(SHORT);
    tickAfter(SHORT);
    tickAfter(SHORT);
    assertThat(account.listings()).containsExactly(StackStatus.NOT_DELETED, StackStatus.NOT_DELETED,
        StackStatus.MOVING, StackStatus.MOVING, StackStatus.MOVING, StackStatus.NOT_DELETED);
  }

  @Test
  void thePollerTicksWhenTheFullListingFallsDueAndNotDuringABackoff() {
    start();
    assertThat(listing.untilNextTick()).isEqualTo(SHORT.toNanos());

    nanos.addAndGet(LONG.minus(SHORT.dividedBy(4)).toNanos());
    assertThat(listing.untilNextTick()).as("the full listing, due before the next short tick")
        .isEqualTo(SHORT.dividedBy(4).toNanos());

    nanos.addAndGet(SHORT.dividedBy(4).toNanos());
    account.failures = 1;
    listing.tick();
    assertThat(listing.untilNextTick()).as("the rest of the backoff").isEqualTo(SHORT.multipliedBy(2).toNanos());
  }

  @Test
  void aChangedSummaryOfAnOwnedStackStartsOneReconcileOfItsResourceAndAForeignStackNone() {
    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    account.put(summary(FOREIGN_ID, "CREATE_COMPLETE"));
    start();
    events.clear();

    tickAfter(LONG);
    assertThat(events).as("nothing changed").isEmpty();

    Instant checked = CREATED.plusSeconds(600);
    account.put(summary(ORDERS_ID, "CREATE_COMPLETE", Optional.empty(),
        new DriftInformation("IN_SYNC", Optional.of(checked))));
    account.put(summary(FOREIGN_ID, "UPDATE_COMPLETE", Optional.of(checked), DriftInformation.NOT_CHECKED));
    tickAfter(LONG);

    assertThat(events).containsExactly(orders);
    assertThat(listing.summary(orders)).get().extracting(s -> s.drift().lastChecked()).isEqualTo(Optional.of(checked));
  }

  @Test
  void aReadOnlyResourceIsMatchedByItsStackNameAndANewStackOfAnotherNameIsNot() {
    ResourceID watcher = resource("watcher", null, true);
    String watched = "arn:aws:cloudformation:us-east-1:123456789012:stack/team-a-watcher/9";
    account.put(summary(watched, "CREATE_COMPLETE"));
    account.put(summary("arn:aws:cloudformation:us-east-1:123456789012:stack/team-a-watcher2/10", "CREATE_COMPLETE"));

    start();

    assertThat(events).containsExactly(watcher);
    assertThat(listing.summary(watcher)).get().extracting(StackSummary::id).isEqualTo(watched);
  }

  @Test
  void aStackThatVanishedFromTheAccountStartsAReconcileAtTheNextFullListing() {
    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    account.put(summary(BILLING_ID, "CREATE_COMPLETE"));
    start();
    events.clear();

    account.stacks.remove(ORDERS_ID);
    tickAfter(SHORT);
    assertThat(events).as("no listing while nothing moves").isEmpty();
    tickAfter(LONG);

    assertThat(events).containsExactly(orders);
    assertThat(listing.summary(orders)).isEmpty();
    assertThat(listing.summary(billing)).isPresent();
  }

  @Test
  void aStackThatLeavesTheMovingStatusesIsDroppedAndItsResourceReconciledOnce() {
    account.put(summary(ORDERS_ID, "CREATE_IN_PROGRESS"));
    account.put(summary(BILLING_ID, "CREATE_COMPLETE"));
    start();
    events.clear();

    tickAfter(SHORT);
    assertThat(events).as("still moving, as listed before").isEmpty();
    assertThat(account.listings()).last().isEqualTo(StackStatus.MOVING);

    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    tickAfter(SHORT);
    assertThat(events).containsExactly(orders);
    assertThat(listing.summary(orders)).as("the pass describes it: its outputs").isEmpty();

    int calls = account.calls.size();
    tickAfter(SHORT);
    assertThat(account.calls).as("nothing moves any more").hasSize(calls);
    assertThat(events).hasSize(1);
  }

  @Test
  void aMovementTheOperatorStartedThatNeverShowsIsSettledAfterOneShortInterval() {
    account.put(summary(ORDERS_ID, "REVIEW_IN_PROGRESS"));
    start();
    events.clear();

    listing.expectMovement(orders);
    tickAfter(SHORT.dividedBy(2));
    assertThat(events).as("too soon to tell").isEmpty();
    tickAfter(SHORT.dividedBy(2));

    assertThat(events).containsExactly(orders);
    assertThat(listing.summary(orders)).isEmpty();
    int calls = account.calls.size();
    tickAfter(SHORT);
    assertThat(account.calls).as("no movement expected any more").hasSize(calls);
  }

  @Test
  void aMovementTheOperatorStartsWhileAFullListingRunsIsListedShortlyAfterIt() {
    account.pageSize = 1;
    account.put(summary(ORDERS_ID, "REVIEW_IN_PROGRESS"));
    account.put(summary(BILLING_ID, "CREATE_COMPLETE"));
    start();
    events.clear();

    // the next full listing reads the stack under review on its first page; before its second, the operator
    // executes the stack's change set
    account.duringNextCall = () -> account.duringNextCall = () -> {
      nanos.addAndGet(Duration.ofSeconds(1).toNanos());
      account.put(summary(ORDERS_ID, "CREATE_IN_PROGRESS"));
      listing.expectMovement(orders);
    };
    tickAfter(LONG);
    assertThat(account.listings()).containsExactly(StackStatus.NOT_DELETED, StackStatus.NOT_DELETED);
    assertThat(events).isEmpty();

    tickAfter(SHORT);
    assertThat(account.listings()).last().isEqualTo(StackStatus.MOVING);
    assertThat(listing.summary(orders)).get().extracting(StackSummary::status)
        .isEqualTo(StackStatus.CREATE_IN_PROGRESS);
    assertThat(events).containsExactly(orders);
  }

  @Test
  void aFailedListingBacksOffDoublingAndTheFullListingIsTriedAgainFirst() {
    account.put(summary(ORDERS_ID, "CREATE_IN_PROGRESS"));
    start();
    account.calls.clear();

    account.failures = 2;
    tickAfter(LONG);
    assertThat(account.listings()).containsExactly(StackStatus.NOT_DELETED);
    tickAfter(SHORT);
    assertThat(account.calls).as("backing off for two short intervals").hasSize(1);
    tickAfter(SHORT);
    assertThat(account.listings()).as("the failed full listing, tried again")
        .containsExactly(StackStatus.NOT_DELETED, StackStatus.NOT_DELETED);
    tickAfter(SHORT);
    tickAfter(SHORT);
    tickAfter(SHORT);
    assertThat(account.calls).as("backing off for four short intervals").hasSize(2);
    tickAfter(SHORT);
    assertThat(account.listings()).containsExactly(StackStatus.NOT_DELETED, StackStatus.NOT_DELETED,
        StackStatus.NOT_DELETED);

    tickAfter(SHORT);
    assertThat(account.listings()).as("after a success, short listings on their schedule again").last()
        .isEqualTo(StackStatus.MOVING);
  }

  @Test
  void aChangeIsDeliveredWithTheListingsPageThatShowsItAndAVanishedStackOnlyAfterTheLastPage() {
    account.pageSize = 1;
    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    account.put(summary(BILLING_ID, "CREATE_COMPLETE"));
    account.put(summary(FOREIGN_ID, "CREATE_COMPLETE"));
    start();
    List<Integer> pagesRead = new ArrayList<>();
    listing.setEventHandler(event -> {
      events.add(event.getRelatedCustomResourceID());
      pagesRead.add(account.calls.size());
    });
    events.clear();

    // a full listing: orders moved (its page comes first), billing vanished (known only when every page was read)
    account.stacks.remove(BILLING_ID);
    account.put(summary(ORDERS_ID, "UPDATE_IN_PROGRESS", Optional.of(CREATED.plusSeconds(60)),
        DriftInformation.NOT_CHECKED));
    int before = account.calls.size();
    tickAfter(LONG);
    assertThat(events).containsExactly(orders, billing);
    assertThat(pagesRead).containsExactly(before + 1, before + 2);

    // a short listing delivers the same way: each moving stack as its page arrives
    account.pageSize = 1;
    account.put(summary(FOREIGN_ID, "UPDATE_IN_PROGRESS"));
    account.put(summary(ORDERS_ID, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", Optional.of(CREATED.plusSeconds(60)),
        DriftInformation.NOT_CHECKED));
    events.clear();
    pagesRead.clear();
    before = account.calls.size();
    tickAfter(SHORT);
    assertThat(account.listings()).last().isEqualTo(StackStatus.MOVING);
    assertThat(events).containsExactly(orders);
    assertThat(pagesRead).containsExactly(before + 1);
    assertThat(account.calls).hasSize(before + 2);
  }

  @Test
  void whileTheListingFailsItServesNoSummaryAndTheResourcesWhoseStackItFollowedAreReconciledOnce() {
    account.put(summary(ORDERS_ID, "UPDATE_IN_PROGRESS"));
    account.put(summary(BILLING_ID, "CREATE_COMPLETE"));
    start();
    events.clear();
    assertThat(listing.following()).isTrue();

    // the short listing that follows orders fails, and so do the next two listings
    account.failures = 3;
    tickAfter(SHORT);
    assertThat(listing.following()).isFalse();
    assertThat(listing.summary(orders)).as("a summary it cannot renew: the pass describes the stack").isEmpty();
    assertThat(listing.summary(billing)).isEmpty();
    assertThat(events).as("the resource whose stack it followed, once").containsExactly(orders);

    tickAfter(SHORT.multipliedBy(2));
    assertThat(account.listings()).as("nothing it follows any more: no listing until the full one")
        .containsExactly(StackStatus.NOT_DELETED, StackStatus.MOVING);
    assertThat(listing.following()).as("not without a listing that went through").isFalse();
    tickAfter(LONG);
    tickAfter(SHORT.multipliedBy(4));
    assertThat(events).as("no more reconciles while it keeps failing").containsExactly(orders);
    assertThat(listing.following()).isFalse();

    tickAfter(SHORT.multipliedBy(8));
    assertThat(listing.following()).isTrue();
    assertThat(listing.summary(billing)).isPresent();
    assertThat(listing.summary(orders)).get().extracting(StackSummary::status)
        .isEqualTo(StackStatus.UPDATE_IN_PROGRESS);
  }

  @Test
  void aListingInterruptedBetweenPagesIsAbandonedNotTakenForTheAccount() {
    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    account.put(summary(BILLING_ID, "CREATE_COMPLETE"));
    start(Duration.ofMinutes(5));
    events.clear();

    // the operator stops while the poller pauses after the first page (of one stack)
    account.pageSize = 1;
    account.duringNextCall = () -> Thread.currentThread().interrupt();
    tickAfter(LONG);
    boolean interrupted = Thread.interrupted();

    assertThat(interrupted).as("the interrupt is kept for the poller's thread").isTrue();
    assertThat(account.calls).hasSize(2);
    assertThat(events).as("billing, on the page not read, did not vanish").isEmpty();
    assertThat(listing.summary(billing)).isPresent();
    assertThat(listing.knownAbsent("team-a-billing", Instant.now().minusSeconds(60))).isFalse();
  }

  @Test
  void onlyASummaryTheStatusDoesNotShowYetIsDeliveredAsAnObservedChangeAndSaysWhetherItsPassNeedsACall() {
    resources.resources.get(orders).getStatus().setStackStatus("REVIEW_IN_PROGRESS");
    account.put(summary(ORDERS_ID, "REVIEW_IN_PROGRESS"));
    List<String> marked = new ArrayList<>();
    start();
    listing.setEventHandler(event -> changes.submitting()
        .ifPresent(news -> marked.add(event.getRelatedCustomResourceID().getName() + " " + news)));
    assertThat(listing.summary(orders)).isPresent();
    assertThat(unmarked).as("seen for the first time, as the status shows it: ordinary work").containsExactly(orders);
    unmarked.clear();
    account.put(summary(ORDERS_ID, "CREATE_IN_PROGRESS"));
    listing.expectMovement(orders);

    tickAfter(SHORT);
    assertThat(marked).as("the status still says REVIEW_IN_PROGRESS; the moving summary shows without a call")
        .containsExactly("orders SHOWN");

    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    tickAfter(SHORT);
    assertThat(marked).as("settled: out of the short listing, so its pass describes it")
        .containsExactly("orders SHOWN", "orders READ");
  }

  @Test
  void aNameIsKnownAbsentOnlyAfterAFullListingThatBeganAfterTheResourceWasCreated() {
    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    Instant before = Instant.now().minusSeconds(60);
    assertThat(new StackListing(account, new StackListing.Pacing(SHORT, LONG, Duration.ZERO), changes, nanos::get)
        .knownAbsent("team-a-new", before)).as("no listing yet").isFalse();

    start();

    assertThat(listing.knownAbsent("team-a-new", before)).isTrue();
    assertThat(listing.knownAbsent("team-a-orders", before)).as("listed").isFalse();
    assertThat(listing.knownAbsent("team-a-new", Instant.now().plusSeconds(60)))
        .as("created after the listing began").isFalse();
  }

  @Test
  void whatAReconcileDescribedIsServedUntilTheNextListingWithoutAReconcileOfItsOwn() {
    account.put(summary(ORDERS_ID, "CREATE_IN_PROGRESS"));
    start();
    events.clear();
    account.put(summary(ORDERS_ID, "CREATE_COMPLETE"));
    listing.remember(orders, summary(ORDERS_ID, "CREATE_COMPLETE"));

    assertThat(listing.summary(orders)).contains(summary(ORDERS_ID, "CREATE_COMPLETE"));
    tickAfter(LONG);

    assertThat(events).as("the listing agrees with what was described").isEmpty();
  }
}
