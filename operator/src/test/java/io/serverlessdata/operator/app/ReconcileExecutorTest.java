package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.serverlessdata.operator.reconciler.ObservedChanges;
import io.serverlessdata.operator.reconciler.ObservedChanges.News;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order in which waiting reconciles get the reconcile thread: those of changes the listing observed first, then
 * first come, first served. Submissions are made the way JOSDK makes them: on the thread that delivers the event, or
 * on the thread of the pass during which the event arrived, when that pass ends — and not at all for an event whose
 * resource's reconcile already waits (JOSDK folds it into that one).
 */
class ReconcileExecutorTest {

  private static final ResourceID ORDERS = new ResourceID("orders", "team-a");
  private static final ResourceID BILLING = new ResourceID("billing", "team-a");

  private static final Optional<News> SHOWN = Optional.of(News.SHOWN);
  private static final Optional<News> READ = Optional.of(News.READ);
  private static final Optional<News> NONE = Optional.empty();

  private final ObservedChanges changes = new ObservedChanges();
  private final ReconcileExecutor executor = ReconcileExecutor.ordering(1, changes);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch busy = new CountDownLatch(1);

  @AfterEach
  void stop() throws InterruptedException {
    busy.countDown();
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void observedChangesOvertakeTheWaitingOnesThoseShownWithoutACallFirstAndTheRestKeepTheirOrder() throws InterruptedException {
    occupyTheOnlyThread(() -> { });
    submit("retry of a");
    submit("timer of b");
    changes.delivering(event -> submit(event.getRelatedCustomResourceID().getName() + " finished"), news -> READ)
        .handleEvent(new Event(ORDERS));
    changes.delivering(event -> submit(event.getRelatedCustomResourceID().getName() + " moving"), news -> SHOWN)
        .handleEvent(new Event(BILLING));
    submit("resync of e");

    busy.countDown();
    awaitAll(5);

    assertThat(ran).containsExactly("billing moving", "orders finished", "retry of a", "timer of b", "resync of e");
    assertThat(executor.submitted(true)).isEqualTo(2);
  }

  @Test
  void anEventTheStatusAlreadyShowsStartsItsReconcileInTheOrdinaryOrder() throws InterruptedException {
    occupyTheOnlyThread(() -> { });
    submit("timer of billing");
    changes.delivering(event -> submit("orders under review, as its status says"), news -> NONE)
        .handleEvent(new Event(ORDERS));

    busy.countDown();
    awaitAll(2);

    assertThat(ran).containsExactly("timer of billing", "orders under review, as its status says");
    assertThat(executor.submitted(true)).isZero();
  }

  @Test
  void aChangeObservedWhileItsResourcesPassRanGoesFirstWhenThePassEndsAndSubmitsItAgain()
      throws InterruptedException {
    CountDownLatch observed = new CountDownLatch(1);
    CountDownLatch resubmitted = passOfOrdersSubmittedAgainAfter(observed);
    submit("timer of billing");
    // the listing delivers the change while the pass runs: JOSDK only marks the resource
    changes.delivering(event -> { }, news -> READ).handleEvent(new Event(ORDERS));
    observed.countDown();
    assertThat(resubmitted.await(10, TimeUnit.SECONDS)).isTrue();

    busy.countDown();
    awaitAll(2);

    assertThat(ran).containsExactly("orders again", "timer of billing");
  }

  @Test
  void aPassThatBeganAfterTheChangeHasSeenItAndItsNextSubmissionWaitsItsTurn() throws InterruptedException {
    changes.delivering(event -> { }, news -> READ).handleEvent(new Event(ORDERS));
    CountDownLatch submittedDuringThePass = new CountDownLatch(1);
    occupyTheOnlyThread(() -> {
      changes.passBegins(ORDERS);
      submit("orders, a timer fired during the pass");
      submittedDuringThePass.countDown();
    });
    assertThat(submittedDuringThePass.await(10, TimeUnit.SECONDS)).isTrue();
    submit("timer of billing");

    busy.countDown();
    awaitAll(2);

    assertThat(ran).containsExactly("orders, a timer fired during the pass", "timer of billing");
    assertThat(executor.submitted(true)).isZero();
  }

  @Test
  void aWaitingReconcileWhoseChangeIsObservedMeanwhileMovesAheadOfTheOrdinaryOnes() throws InterruptedException {
    occupyTheOnlyThread(() -> { });
    submit("timer of billing");
    // the listing sees orders under review, as its status says: an ordinary reconcile, which waits
    changes.delivering(event -> submit("orders"), news -> NONE).handleEvent(new Event(ORDERS));
    submit("retry of c");
    // then sees its stack move: JOSDK submits nothing, the waiting reconcile will read the change
    changes.delivering(event -> { }, news -> READ).handleEvent(new Event(ORDERS));

    busy.countDown();
    awaitAll(3);

    assertThat(ran).containsExactly("orders", "timer of billing", "retry of c");
    assertThat(executor.hurried()).isEqualTo(1);
  }

  @Test
  void theResubmissionAtTheEndOfAPassMovesAheadWhenItsChangeIsObservedWhileItWaits() throws InterruptedException {
    CountDownLatch billingWaits = new CountDownLatch(1);
    // an ordinary event arrived during orders' pass
    CountDownLatch resubmitted = passOfOrdersSubmittedAgainAfter(billingWaits);
    submit("timer of billing");
    billingWaits.countDown();
    assertThat(resubmitted.await(10, TimeUnit.SECONDS)).isTrue();
    // the listing sees orders' stack move while its resubmission waits
    changes.delivering(event -> { }, news -> READ).handleEvent(new Event(ORDERS));

    busy.countDown();
    awaitAll(2);

    assertThat(ran).containsExactly("orders again", "timer of billing");
    assertThat(executor.hurried()).isEqualTo(1);
  }

  @Test
  void aStackThatBeganToMoveOvertakesFinishedOnesWhosePassesMustDescribeThem() throws InterruptedException {
    occupyTheOnlyThread(() -> { });
    changes.delivering(event -> submit("billing finished"), news -> READ).handleEvent(new Event(BILLING));
    // orders waits as ordinary work, then its stack begins to move: shown without a call, it goes first
    changes.delivering(event -> submit("orders"), news -> NONE).handleEvent(new Event(ORDERS));
    changes.delivering(event -> { }, news -> SHOWN).handleEvent(new Event(ORDERS));

    busy.countDown();
    awaitAll(2);

    assertThat(ran).containsExactly("orders", "billing finished");
  }

  @Test
  void aReconcileWhoseResourceItsSubmissionDidNotSayKeepsItsPlace() throws InterruptedException {
    occupyTheOnlyThread(() -> { });
    submit("timer of billing");
    // a timer of orders fired on a JOSDK thread, which does not say whose reconcile it submits
    submit("timer of orders");
    changes.delivering(event -> { }, news -> READ).handleEvent(new Event(ORDERS));

    busy.countDown();
    awaitAll(2);

    assertThat(ran).containsExactly("timer of billing", "timer of orders");
    assertThat(executor.hurried()).isZero();
  }

  /**
   * Orders' pass on the only thread, during which an event arrived: once {@code goOn} counts down, JOSDK submits orders
   * again on the pass's thread, as the pass ends. Returns once the pass has begun, with a latch that counts down when
   * the resubmission is made.
   */
  private CountDownLatch passOfOrdersSubmittedAgainAfter(CountDownLatch goOn) throws InterruptedException {
    CountDownLatch passBegan = new CountDownLatch(1);
    CountDownLatch resubmitted = new CountDownLatch(1);
    occupyTheOnlyThread(() -> {
      changes.passBegins(ORDERS);
      passBegan.countDown();
      waitFor(goOn);
      submit("orders again");
      resubmitted.countDown();
    });
    assertThat(passBegan.await(10, TimeUnit.SECONDS)).isTrue();
    return resubmitted;
  }

  /** Runs {@code task} on the only thread, then keeps it busy until the test lets go. */
  private void occupyTheOnlyThread(Runnable task) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    executor.execute(() -> {
      started.countDown();
      task.run();
      waitFor(busy);
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Waits on the pass's thread until the test lets it go on. */
  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void submit(String name) {
    executor.execute(() -> ran.add(name));
  }

  private void awaitAll(int count) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    executor.execute(done::countDown);
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).hasSize(count);
  }
}
