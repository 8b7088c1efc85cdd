package io.serverlessdata.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcilerSettingsTest {

  private static final ReconcilerSettings PRODUCTION = ReconcilerSettings.defaults();

  @Test
  void productionListsTheAccountEveryTwoMinutesAndEveryTenSecondsWhileAStackMoves() {
    assertThat(PRODUCTION.listing().longInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(PRODUCTION.listing().shortInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(PRODUCTION.steadyInterval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(PRODUCTION.detectionTimeout()).isGreaterThan(PRODUCTION.listing().longInterval());
  }

  @Test
  void aShortListingLongerThanTheLongOneIsRefused() {
    assertThatThrownBy(() -> new StackListing.Pacing(Duration.ofMinutes(3), Duration.ofMinutes(2), Duration.ZERO))
        .hasMessageContaining("short listing interval");
    assertThatThrownBy(() -> new StackListing.Pacing(Duration.ZERO, Duration.ofMinutes(2), Duration.ZERO))
        .hasMessageContaining("positive");
  }

  @Test
  void anOperatorDriftIntervalUnderTheSpecsMinimumIsRefused() {
    assertThatThrownBy(() -> PRODUCTION.withDefaultDriftInterval(Optional.of(Duration.ofMinutes(4))))
        .hasMessageContaining("at least 5 minutes");
    assertThat(PRODUCTION.withDefaultDriftInterval(Optional.of(Duration.ofMinutes(5))).defaultDriftInterval())
        .contains(Duration.ofMinutes(5));
  }
}
