package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.serverlessdata.operator.reconciler.ObservedChanges;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which threads a reconcile gets: those of changes the listing observed have threads of their own, so they run while
 * every other thread waits (for the call budget, in the operator); the others are first come, first served. Submissions
 * are made the way JOSDK makes them: on the thread that delivers the event, or on the thread of the pass during which
 * the event arrived, when that pass ends.
 */
class ReconcileExecutorTest {

  private static final ResourceID ORDERS = new ResourceID("orders", "team-a");
  private static final ResourceID BILLING = new ResourceID("billing", "team-a");

  private final ObservedChanges changes = new ObservedChanges();
  /** Two threads: one for observed changes, one for the rest. */
  private final ReconcileExecutor executor = new ReconcileExecutor(2, changes);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch busy = new CountDownLatch(1);

  @AfterEach
  void stop() throws InterruptedException {
    busy.countDown();
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aReconcileOfAnObservedChangeRunsWhileTheOtherThreadsWaitAndTheRestKeepTheirOrder() throws InterruptedException {
    occupyTheOrdinaryThread(() -> { });
    submit("retry of a");
    submit("timer of b");
    CountDownLatch shown = new CountDownLatch(2);
    changes.delivering(event -> submit(event.getRelatedCustomResourceID().getName() + " finished", shown), news -> true)
        .handleEvent(new Event(ORDERS));
    changes.delivering(event -> submit(event.getRelatedCustomResourceID().getName() + " moving", shown), news -> true)
        .handleEvent(new Event(BILLING));
    submit("resync of e");

    assertThat(shown.await(10, TimeUnit.SECONDS)).as("run while the other thread is busy").isTrue();
    assertThat(ran).containsExactly("orders finished", "billing moving");
    busy.countDown();
    awaitOrdinary(5);

    assertThat(ran).containsExactly("orders finished", "billing moving", "retry of a", "timer of b", "resync of e");
    assertThat(executor.submitted(true)).isEqualTo(2);
    assertThat(executor.submitted(false)).isEqualTo(5);
  }

  @Test
  void anEventTheStatusAlreadyShowsStartsItsReconcileAmongTheOthers() throws InterruptedException {
    occupyTheOrdinaryThread(() -> { });
    submit("timer of billing");
    changes.delivering(event -> submit("orders under review, as its status says"), news -> false)
        .handleEvent(new Event(ORDERS));

    busy.countDown();
    awaitOrdinary(2);

    assertThat(ran).containsExactly("timer of billing", "orders under review, as its status says");
    assertThat(executor.submitted(true)).isZero();
  }

  @Test
  void aChangeObservedWhileItsResourcesPassRanGetsTheObservedThreadsWhenThePassEndsAndSubmitsItAgain()
      throws InterruptedException {
    CountDownLatch delivered = new CountDownLatch(1);
    CountDownLatch shown = new CountDownLatch(1);
    occupyTheOrdinaryThread(() -> {
      changes.passBegins(ORDERS);
      await(delivered);
      // JOSDK, at the end of the pass: an event arrived meanwhile, so the resource is submitted again
      submit("orders again", shown);
    });
    submit("timer of billing");
    // the listing delivers the change while the pass runs: JOSDK only marks the resource
    changes.delivering(event -> { }, news -> true).handleEvent(new Event(ORDERS));
    delivered.countDown();

    assertThat(shown.await(10, TimeUnit.SECONDS)).as("run while the other thread is busy").isTrue();
    busy.countDown();
    awaitOrdinary(2);
    assertThat(ran).containsExactly("orders again", "timer of billing");
  }

  @Test
  void aPassThatBeganAfterTheChangeHasSeenItAndItsNextSubmissionIsOrdinary() throws InterruptedException {
    changes.delivering(event -> { }, news -> true).handleEvent(new Event(ORDERS));
    CountDownLatch submittedDuringThePass = new CountDownLatch(1);
    occupyTheOrdinaryThread(() -> {
      changes.passBegins(ORDERS);
      submit("orders, a timer fired during the pass");
      submittedDuringThePass.countDown();
    });
    assertThat(submittedDuringThePass.await(10, TimeUnit.SECONDS)).isTrue();
    submit("timer of billing");

    busy.countDown();
    awaitOrdinary(2);

    assertThat(ran).containsExactly("orders, a timer fired during the pass", "timer of billing");
    assertThat(executor.submitted(true)).isZero();
  }

  /** Runs {@code task} on the one ordinary thread, then keeps it busy until the test lets go. */
  private void occupyTheOrdinaryThread(Runnable task) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    executor.execute(() -> {
      started.countDown();
      task.run();
      await(busy);
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
  }

  private void submit(String name) {
    submit(name, new CountDownLatch(1));
  }

  private void submit(String name, CountDownLatch done) {
    executor.execute(() -> {
      ran.add(name);
      done.countDown();
    });
  }

  /** Waits until the ordinary thread has run everything submitted before. */
  private void awaitOrdinary(int count) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    executor.execute(done::countDown);
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).hasSize(count);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
