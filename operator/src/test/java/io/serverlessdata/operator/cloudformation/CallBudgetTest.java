package io.serverlessdata.operator.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token bucket on a fake clock: waits are computed, recorded and never slept. */
class CallBudgetTest {

  private static final long SECOND = 1_000_000_000L;

  private long now = 42 * SECOND;
  private final List<Long> waits = new ArrayList<>();

  private CallBudget budget(double perSecond, int burst) {
    return CallBudget.perSecond(perSecond, burst, () -> now, nanos -> {
      waits.add(nanos);
      now += nanos;
    });
  }

  @Test
  void aFullBucketLetsTheBurstThroughAtOnce() throws InterruptedException {
    CallBudget budget = budget(2, 5);

    for (int i = 0; i < 5; i++) {
      budget.acquire();
    }

    assertThat(waits).isEmpty();
    assertThat(budget.calls()).isEqualTo(5);
  }

  @Test
  void beyondTheBurstCallsArePacedAtTheRate() throws InterruptedException {
    CallBudget budget = budget(4, 2);
    budget.acquire();
    budget.acquire();

    budget.acquire();
    budget.acquire();

    assertThat(waits).containsExactly(SECOND / 4, SECOND / 4);
    assertThat(budget.waited()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void reservationsQueueUpFirstComeFirstServed() {
    CallBudget budget = budget(10, 1);

    List<Long> reserved = List.of(budget.reserve(), budget.reserve(), budget.reserve(), budget.reserve());

    assertThat(reserved).containsExactly(0L, SECOND / 10, 2 * SECOND / 10, 3 * SECOND / 10);
  }

  @Test
  void aCallGoingAheadTakesTheNextTokenDueAndTheCallerItOvertookTheSlotReservedForIt() {
    CallBudget budget = budget(10, 1);
    budget.reserve();
    long first = budget.reserve();
    long second = budget.reserve();

    long ahead = budget.reserveAhead();

    assertThat(List.of(first, second)).containsExactly(SECOND / 10, 2 * SECOND / 10);
    assertThat(ahead).as("the first waiting caller's token").isEqualTo(SECOND / 10);
    // reservations 2 and 3 wait; 4 went ahead
    now += SECOND / 10;
    assertThat(budget.repay(2).nanos()).as("the first waiting caller, woken: the slot after the last one reserved")
        .isEqualTo(2 * SECOND / 10);
    now += SECOND / 10;
    assertThat(budget.repay(3).nanos()).as("the second caller keeps its own").isZero();
    assertThat(budget.reserve()).as("the rate holds: four tokens in the first three tenths, the next after them")
        .isEqualTo(2 * SECOND / 10);
  }

  @Test
  void aCallerWokenForATokenThatWentAheadWaitsOnceMoreForTheSlotReservedForIt() throws InterruptedException {
    CallBudget[] budget = new CallBudget[1];
    List<Long> ahead = new ArrayList<>();
    budget[0] = CallBudget.perSecond(10, 1, () -> now, nanos -> {
      if (ahead.isEmpty()) {
        // while the caller sleeps, the listing's page goes ahead of it
        ahead.add(budget[0].reserveAhead());
      }
      waits.add(nanos);
      now += nanos;
    });
    budget[0].acquire();

    budget[0].acquire();

    assertThat(ahead).containsExactly(SECOND / 10);
    assertThat(waits).containsExactly(SECOND / 10, SECOND / 10);
    assertThat(budget[0].calls()).isEqualTo(2);
  }

  @Test
  void onlyACallerThatReservedBeforeACallWentAheadIsSentBackForIt() {
    CallBudget budget = budget(10, 1);
    budget.reserve();
    budget.reserve();
    budget.reserveAhead();
    long later = budget.reserve();

    now += later;
    assertThat(budget.repay(4).nanos()).as("a caller that reserved after it (the one overtaken was interrupted)")
        .isZero();
    assertThat(budget.repay(2).nanos()).as("that slot was given to nobody else").isZero();
  }

  @Test
  void behindAQueueLongerThanTheBoundACallGoingAheadQueuesLikeAnyOther() {
    CallBudget budget = budget(1, 1);
    long queued = 0;
    while (queued <= CallBudget.AHEAD_OF_AT_MOST.toNanos()) {
      queued = budget.reserve();
    }

    assertThat(budget.reserveAhead()).isEqualTo(queued + SECOND);
    assertThat(budget.repay(2).nanos()).as("nobody was overtaken").isZero();
  }

  @Test
  void atMostOneCallInTwoTokensTimeGoesAheadSoThatTheyNeverTakeMoreThanHalfTheBudget() {
    CallBudget budget = budget(10, 1);
    budget.reserve();
    budget.reserve();
    budget.reserve();

    assertThat(budget.reserveAhead()).as("ahead of both").isEqualTo(SECOND / 10);
    now += SECOND / 10;
    assertThat(budget.reserveAhead()).as("one token's time later: it queues").isEqualTo(3 * SECOND / 10);
    now += SECOND / 10;
    assertThat(budget.reserve()).isEqualTo(3 * SECOND / 10);
    assertThat(budget.reserveAhead()).as("two tokens' time later: ahead again").isEqualTo(SECOND / 10);
  }

  @Test
  void whileNobodyWaitsACallGoingAheadIsAnOrdinaryOne() {
    CallBudget budget = budget(10, 2);

    assertThat(List.of(budget.reserveAhead(), budget.reserveAhead(), budget.reserveAhead()))
        .containsExactly(0L, 0L, SECOND / 10);
    assertThat(budget.repay(3).nanos()).as("nobody was overtaken").isZero();
  }

  @Test
  void idleTimeRefillsTheBucketButNeverBeyondTheBurst() {
    CallBudget budget = budget(1, 3);
    budget.reserve();
    budget.reserve();
    budget.reserve();

    now += 3600 * SECOND;

    assertThat(List.of(budget.reserve(), budget.reserve(), budget.reserve())).containsOnly(0L);
    assertThat(budget.reserve()).isEqualTo(SECOND);
  }

  @Test
  void aPartlyRefilledTokenIsWaitedForOnlyForTheRest() {
    CallBudget budget = budget(2, 1);
    budget.reserve();

    now += SECOND / 4;

    assertThat(budget.reserve()).isEqualTo(SECOND / 4);
  }

  @Test
  void fractionalRatesAreHonoured() {
    CallBudget budget = budget(0.5, 1);
    budget.reserve();

    assertThat(budget.reserve()).isEqualTo(2 * SECOND);
  }

  @Test
  void unlimitedNeverWaits() {
    CallBudget unlimited = CallBudget.unlimited();

    for (int i = 0; i < 1000; i++) {
      assertThat(unlimited.reserve()).isZero();
    }
  }

  @Test
  void nonsenseSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> CallBudget.perSecond(0, 5)).hasMessageContaining("AWS calls per second");
    assertThatThrownBy(() -> CallBudget.perSecond(Double.NaN, 5)).hasMessageContaining("AWS calls per second");
    assertThatThrownBy(() -> CallBudget.perSecond(5, 0)).hasMessageContaining("AWS call burst");
  }

  @Test
  void theBudgetIsSaturatedWhileCallersWaitForTokensAndForAHoldAfterTheLastOneDid() {
    CallBudget budget = CallBudget.perSecond(2, 2, () -> now, nanos -> { });
    assertThat(budget.saturated()).as("a full bucket").isFalse();

    budget.reserve();
    budget.reserve();
    assertThat(budget.saturated()).as("empty, but nobody waits").isFalse();
    budget.reserve();
    assertThat(budget.saturated()).as("a caller waits for a token reserved ahead").isTrue();

    now += SECOND / 2;
    assertThat(budget.saturated()).as("its token is due, but calls queued a moment ago: a lull of a load").isTrue();
    now += CallBudget.SATURATION_HOLD_TOKENS * SECOND / 2 - SECOND / 2 - 1;
    assertThat(budget.saturated()).as("just within the hold").isTrue();
    now += 1;
    assertThat(budget.saturated()).as("no caller waited for the time of " + CallBudget.SATURATION_HOLD_TOKENS
        + " calls").isFalse();
    assertThat(CallBudget.unlimited().saturated()).isFalse();
  }

  @Test
  void callsThatNeverWaitDoNotSaturateTheBudget() {
    CallBudget budget = CallBudget.perSecond(2, 2, () -> now, nanos -> { });
    for (int i = 0; i < 100; i++) {
      budget.reserve();
      assertThat(budget.saturated()).isFalse();
      now += SECOND / 2;
    }
  }
}
