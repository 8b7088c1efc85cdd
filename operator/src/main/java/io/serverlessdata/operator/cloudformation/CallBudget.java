package io.serverlessdata.operator.cloudformation;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket for AWS requests: {@code callsPerSecond} tokens a second, up to {@code burst} saved up. One
 * budget is shared by every client and every reconcile, so that a thousand resources waking up together (a
 * restart) queue for the account's API instead of stampeding it.
 *
 * <p>{@link #acquire()} reserves the next token and blocks the calling thread until it is due. The reservation
 * is first come, first served, and a reservation never waits longer than the queue ahead of it needs. Blocking
 * a reconcile thread for a token is deliberate: the wait is at most (threads waiting ÷ rate), a few seconds with
 * the defaults, and it is the cheapest way to keep every path — retries and calls added later included — inside
 * the budget.
 */
public final class CallBudget {

  /** Reads a monotonic clock in nanoseconds (tests pass a fake one). */
  @FunctionalInterface
  public interface Ticker {
    long nanos();
  }

  /** Waits for a number of nanoseconds (tests record the waits instead). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  /** How many calls' time {@link #saturated()} holds after a caller last waited for a token. */
  static final int SATURATION_HOLD_TOKENS = 50;

  private static final CallBudget UNLIMITED = new CallBudget(Double.POSITIVE_INFINITY, 1, System::nanoTime,
      TimeUnit.NANOSECONDS::sleep);

  private final double callsPerSecond;
  private final int burst;
  private final long nanosPerToken;
  private final Ticker ticker;
  private final Sleeper sleeper;
  /** When the bucket was last refilled, and the tokens in it then (negative: reserved ahead). */
  private long refilledAt;
  private double tokens;
  /** Whether a caller ever waited for a token; then {@link #lastQueued} is when the last one reserved its token. */
  private boolean queuedOnce;
  private long lastQueued;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong waitedNanos = new AtomicLong();

  private CallBudget(double callsPerSecond, int burst, Ticker ticker, Sleeper sleeper) {
    if (!(callsPerSecond > 0)) {
      throw new IllegalArgumentException("AWS calls per second must be positive, got " + callsPerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("AWS call burst must be at least 1, got " + burst);
    }
    this.callsPerSecond = callsPerSecond;
    this.burst = burst;
    this.nanosPerToken = Double.isInfinite(callsPerSecond) ? 0 : Math.max(1, Math.round(1e9 / callsPerSecond));
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.refilledAt = ticker.nanos();
    this.tokens = burst;
  }

  /** A budget on the system's monotonic clock; the bucket starts full. */
  public static CallBudget perSecond(double callsPerSecond, int burst) {
    return new CallBudget(callsPerSecond, burst, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
  }

  /** A budget on the given clock and sleeper, for tests. */
  public static CallBudget perSecond(double callsPerSecond, int burst, Ticker ticker, Sleeper sleeper) {
    return new CallBudget(callsPerSecond, burst, ticker, sleeper);
  }

  /** No limit: for tools and tests that talk to a simulator. */
  public static CallBudget unlimited() {
    return UNLIMITED;
  }

  public double callsPerSecond() {
    return callsPerSecond;
  }

  public int burst() {
    return burst;
  }

  /** Takes one token, waiting until it is due. */
  public void acquire() throws InterruptedException {
    calls.incrementAndGet();
    long wait = reserve();
    if (wait > 0) {
      waitedNanos.addAndGet(wait);
      sleeper.sleep(wait);
    }
  }

  /**
   * Reserves the next token and says how long the caller must wait for it, in nanoseconds (0: at once). The
   * token is the caller's whether it waits or not.
   */
  synchronized long reserve() {
    if (nanosPerToken == 0) {
      return 0;
    }
    refill();
    tokens -= 1;
    if (tokens >= 0) {
      return 0;
    }
    queuedOnce = true;
    lastQueued = refilledAt;
    return Math.round(-tokens * nanosPerToken);
  }

  /**
   * Takes a token if one is in the bucket now, without waiting and without reserving ahead: how an API that
   * throttles, rather than queues, spends its limit.
   */
  public synchronized boolean tryAcquire() {
    if (nanosPerToken == 0) {
      return true;
    }
    refill();
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    calls.incrementAndGet();
    return true;
  }

  /**
   * Whether calls queue for the budget: a caller waits for a token reserved ahead now, or one did within the time the
   * budget takes to grant {@value #SATURATION_HOLD_TOKENS} calls (10 s at the default 5 a second). Work that can wait
   * (a drift detection its interval made due, a new stack's termination protection) yields while this holds, so that
   * the change sets get the budget first. The hold bridges the lulls of a sustained load — the moments when every
   * reconcile thread is between two calls (reading the cluster, writing a status) and the bucket refills — which a
   * momentary test would take for spare budget: in a scale run at x5 a due detection caught one of those moments 425
   * times in a create of 1,000 stacks.
   */
  public synchronized boolean saturated() {
    if (nanosPerToken == 0) {
      return false;
    }
    refill();
    return tokens < 0 || queuedOnce && refilledAt - lastQueued < SATURATION_HOLD_TOKENS * nanosPerToken;
  }

  private void refill() {
    long now = ticker.nanos();
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + (double) elapsed / nanosPerToken);
      refilledAt = now;
    }
  }

  /** Tokens taken so far. */
  public long calls() {
    return calls.get();
  }

  /** Time callers have spent waiting for tokens, summed over all threads. */
  public Duration waited() {
    return Duration.ofNanos(waitedNanos.get());
  }

  @Override
  public String toString() {
    return nanosPerToken == 0 ? "unlimited" : callsPerSecond + " calls/s, burst " + burst;
  }
}
