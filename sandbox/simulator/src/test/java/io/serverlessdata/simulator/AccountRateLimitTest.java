package io.serverlessdata.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccountRateLimitTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T08:00:00Z"));

  @Test
  void aFullBucketLetsTheBurstThroughThenRefillsAtTheRateUpToTheBurst() {
    AccountRateLimit limit = AccountRateLimit.perSecond(4, 2, clock);

    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).as("the bucket is empty").isFalse();

    clock.advance(Duration.ofMillis(200));
    assertThat(limit.tryAcquire()).as("0.8 of a token").isFalse();
    clock.advance(Duration.ofMillis(50));
    assertThat(limit.tryAcquire()).as("a whole token after 250 ms at 4/s").isTrue();
    assertThat(limit.tryAcquire()).isFalse();

    clock.advance(Duration.ofHours(1));
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).as("a quiet hour saves up no more than the burst").isFalse();
  }

  @Test
  void aThrottledRequestSpendsNoToken() {
    AccountRateLimit limit = AccountRateLimit.perSecond(1, 1, clock);
    assertThat(limit.tryAcquire()).isTrue();
    for (int i = 0; i < 5; i++) {
      assertThat(limit.tryAcquire()).isFalse();
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(limit.tryAcquire()).isTrue();
  }

  @Test
  void unlimitedLetsEverythingThrough() {
    AccountRateLimit limit = AccountRateLimit.unlimited(clock);
    for (int i = 0; i < 10_000; i++) {
      assertThat(limit.tryAcquire()).isTrue();
    }
  }

  @Test
  void theRateAndTheBurstMustBePositive() {
    assertThatThrownBy(() -> AccountRateLimit.perSecond(0, 1, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calls per second must be positive, got 0");
    assertThatThrownBy(() -> AccountRateLimit.perSecond(Double.NaN, 1, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calls per second");
    assertThatThrownBy(() -> AccountRateLimit.perSecond(1, 0, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst must be at least 1, got 0");
  }
}
