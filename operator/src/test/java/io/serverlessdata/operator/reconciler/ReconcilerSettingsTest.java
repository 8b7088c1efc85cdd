package io.serverlessdata.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serverlessdata.operator.reconciler.ReconcilerSettings.Typical;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcilerSettingsTest {

  private static final ReconcilerSettings PRODUCTION = ReconcilerSettings.defaults();
  private static final ReconcilerSettings UNKNOWN = PRODUCTION.withTypical(Typical.UNKNOWN);

  @Test
  void aCreateIsFirstLookedAtWhenCreatesTypicallyEnd() {
    assertThat(PRODUCTION.afterExecuting(true)).isEqualTo(Duration.ofMinutes(6));
    assertThat(PRODUCTION.whileMoving("CREATE_IN_PROGRESS", Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(4));
  }

  @Test
  void anUpdateIsFirstLookedAtWhenUpdatesTypicallyEnd() {
    assertThat(PRODUCTION.afterExecuting(false)).isEqualTo(Duration.ofMinutes(3));
    assertThat(PRODUCTION.whileMoving("UPDATE_IN_PROGRESS", Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(150));
    assertThat(PRODUCTION.whileMoving("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", Duration.ofMinutes(1)))
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aStackSlowerThanTypicalIsLookedAtEveryTenthOfItsTimeMovingWithinOneToSixProgressIntervals() {
    assertThat(PRODUCTION.whileMoving("CREATE_IN_PROGRESS", Duration.ofMinutes(6))).isEqualTo(Duration.ofSeconds(36));
    assertThat(PRODUCTION.whileMoving("CREATE_IN_PROGRESS", Duration.ofMinutes(30))).isEqualTo(Duration.ofSeconds(60));
    // almost done by the typical figure: from then on, the tenth
    assertThat(PRODUCTION.whileMoving("CREATE_IN_PROGRESS", Duration.ofSeconds(355))).isEqualTo(Duration.ofMillis(35_500));
    assertThat(PRODUCTION.whileMoving("CREATE_IN_PROGRESS", Duration.ofSeconds(50))).isEqualTo(Duration.ofSeconds(310));
  }

  @Test
  void workWithoutATypicalDurationIsPolledFromTheStart() {
    assertThat(PRODUCTION.whileMoving("DELETE_IN_PROGRESS", Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(10));
    assertThat(PRODUCTION.whileMoving("ROLLBACK_IN_PROGRESS", Duration.ofMinutes(4))).isEqualTo(Duration.ofSeconds(24));
    assertThat(UNKNOWN.afterExecuting(true)).isEqualTo(Duration.ofSeconds(10));
    assertThat(UNKNOWN.whileMoving("CREATE_IN_PROGRESS", Duration.ofMinutes(3))).isEqualTo(Duration.ofSeconds(18));
    assertThat(UNKNOWN.afterStartingDetection()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aDetectionIsFirstLookedAtWhenDetectionsTypicallyEnd() {
    assertThat(PRODUCTION.afterStartingDetection()).isEqualTo(Duration.ofMinutes(1));
    ReconcilerSettings quick = PRODUCTION.withTypical(new Typical(Duration.ofMinutes(6), Duration.ofMinutes(3),
        Duration.ofSeconds(2)));
    assertThat(quick.afterStartingDetection()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void negativeTypicalDurationsAreRefused() {
    assertThatThrownBy(() -> new Typical(Duration.ofMinutes(-1), Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
  }
}
