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
