package io.serverlessdata.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.serverlessdata.operator.reconciler.ObservedChanges;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The order in which waiting reconciles get a thread: observed changes first, then first come, first served. */
class ReconcileExecutorTest {

  private final ReconcileExecutor executor = new ReconcileExecutor(1);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch busy = new CountDownLatch(1);

  @AfterEach
  void stop() throws InterruptedException {
    busy.countDown();
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aReconcileOfAnObservedChangeOvertakesTheWaitingOnesAndTheRestKeepTheirOrder() throws InterruptedException {
    occupyTheOnlyThread();
    submit("retry of a");
    submit("timer of b");
    ObservedChanges.deliver(() -> {
      submit("c finished");
      submit("d moving");
    });
    submit("resync of e");

    busy.countDown();
    awaitAll(5);

    assertThat(ran).containsExactly("c finished", "d moving", "retry of a", "timer of b", "resync of e");
  }

  @Test
  void onlyTheDeliveringThreadIsMarkedAndOnlyWhileItDelivers() throws InterruptedException {
    ObservedChanges.deliver(() -> {
      assertThat(ObservedChanges.delivering()).isTrue();
      ObservedChanges.deliver(() -> { });
      assertThat(ObservedChanges.delivering()).as("after a nested delivery").isTrue();
    });
    assertThat(ObservedChanges.delivering()).isFalse();
    boolean[] elsewhere = new boolean[1];
    ObservedChanges.deliver(() -> {
      Thread other = new Thread(() -> elsewhere[0] = ObservedChanges.delivering());
      other.start();
      try {
        other.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(elsewhere[0]).isFalse();
  }

  private void occupyTheOnlyThread() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    executor.execute(() -> {
      started.countDown();
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
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
