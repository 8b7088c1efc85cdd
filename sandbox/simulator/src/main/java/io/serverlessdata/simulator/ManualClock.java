package io.serverlessdata.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until the caller moves it: tests drive the simulator's stacks through their lifecycle
 * with it. Safe to read from the simulator's server thread.
 */
public final class ManualClock extends Clock {

  private volatile Instant now;

  public ManualClock(Instant start) {
    this.now = start;
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** The same clock: a zone makes no difference to instants. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
