package io.serverlessdata.operator.scale;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Simulated time that runs {@code scale} times faster than real time, from a fixed origin: with a scale of 60, a
 * simulated hour passes in a real minute. Shared by the simulator (stack timings, its rate limit) and the
 * operator (how long a stack has been moving), so both see the same compressed world.
 */
final class ScaledClock extends Clock {

  private final Instant origin;
  private final long anchorEpochMillis;
  private final long startNanos;
  private final double scale;

  /** A clock whose simulated time starts at {@code origin} now. */
  ScaledClock(Instant origin, double scale) {
    this(origin, scale, System.currentTimeMillis());
  }

  /**
   * A clock whose simulated time was {@code origin} at the wall-clock time {@code anchorEpochMillis}: two processes
   * given the same origin, scale and anchor share one simulated time (to the precision of the wall clock).
   */
  ScaledClock(Instant origin, double scale, long anchorEpochMillis) {
    if (!(scale >= 1)) {
      throw new IllegalArgumentException("time scale must be at least 1, got " + scale);
    }
    this.origin = origin;
    this.scale = scale;
    this.anchorEpochMillis = anchorEpochMillis;
    this.startNanos = System.nanoTime() - (System.currentTimeMillis() - anchorEpochMillis) * 1_000_000;
  }

  Instant origin() {
    return origin;
  }

  long anchorEpochMillis() {
    return anchorEpochMillis;
  }

  double scale() {
    return scale;
  }

  /** A simulated duration as real time. */
  Duration real(Duration simulated) {
    return Duration.ofNanos(Math.max(1, Math.round(simulated.toNanos() / scale)));
  }

  /** A real duration as simulated time. */
  Duration simulated(Duration real) {
    return Duration.ofNanos(Math.round(real.toNanos() * scale));
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(Math.round((System.nanoTime() - startNanos) * scale));
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
