package io.serverlessdata.operator.reconciler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock, moved forward by a test: the operator then lives through hours of schedule (drift checks)
 * in seconds, while the simulator's stacks still move on the system clock.
 */
final class ShiftedClock extends Clock {

  private volatile Duration shift = Duration.ZERO;

  void advance(Duration duration) {
    shift = shift.plus(duration);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(shift);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
