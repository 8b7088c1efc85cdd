package io.serverlessdata.operator.cloudformation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket for AWS requests: {@code callsPerSecond} tokens a second, up to {@code burst} saved up. One
 * budget is shared by every client and every reconcile, so that a thousand resources waking up together (a
 * restart) queue for the account's API instead of stampeding it.
 *
 * <p>{@link #acquire()} reserves the next token and blocks the calling thread until it is due. The reservation
 * is first come, first served, and a reservation never waits longer than the queue ahead of it needs. One kind of
 * call goes ahead of the queue ({@link #acquireAhead()}): the account's listing, whose pages tell every reconcile
 * what changed, so that a page does not wait behind the calls of the passes it would start. Blocking
 * a reconcile thread for a token is deliberate: the wait is at most (threads waiting ÷ rate), and up to
 * {@link #AHEAD_OF_AT_MOST} more for a caller a listing page went ahead of, a few seconds with
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

  /**
   * The longest queue a call goes ahead of ({@link #acquireAhead()}); behind a longer one it queues like any other. The
   * caller it sends back then waits at most this much longer than its own queue, which the operator keeps under 10 s
   * (concurrency ÷ calls per second), so that its wait stays under the SDK's 20 s attempt timeout.
   */
  static final Duration AHEAD_OF_AT_MOST = Duration.ofSeconds(5);

  /**
   * At most one call in this many tokens' time goes ahead ({@link #acquireAhead()}); the others queue like any other,
   * so that calls going ahead never take more than half of the budget, however often they come (a listing of many
   * pages on a budget of less than a call a second).
   */
  static final int AHEAD_ONE_IN_TOKENS = 2;

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
  /**
   * The slots at the end of the queue that callers going ahead reserved (nanos, on the ticker), for the callers whose
   * turn they took: each is given to the next one that wakes for its own token.
   */
  private final Deque<Owed> owed = new ArrayDeque<>();
  /** Whether a call ever went ahead; then {@link #lastAhead} is when the last one did. */
  private boolean wentAhead;
  private long lastAhead;
  /** Reservations made so far: the number of the last one. */
  private long reservations;
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
    Turn turn = turn();
    while (turn.nanos() > 0) {
      waitedNanos.addAndGet(turn.nanos());
      sleeper.sleep(turn.nanos());
      // the token it woke for may have gone to a call that went ahead: then it waits for the slot that one reserved
      turn = repay(turn.number());
    }
  }

  /**
   * Takes one token ahead of the callers that wait for theirs: the next one due. The caller whose token it was waits
   * for one at the end of the queue instead, which this call reserves for it, so the rate holds. Only for calls that
   * are few and paced (the account's listing, a page at a time): every one of them sends a waiting caller back.
   */
  public void acquireAhead() throws InterruptedException {
    calls.incrementAndGet();
    long wait = reserveAhead();
    if (wait > 0) {
      waitedNanos.addAndGet(wait);
      sleeper.sleep(wait);
    }
  }

  /**
   * A reservation: how long its caller waits (nanos, 0: at once) and its number, in the order reserved (from 1).
   */
  record Turn(long nanos, long number) { }

  /**
   * A slot at the end of the queue that a call going ahead reserved, for the caller whose token it took: one of the
   * reservations up to number {@code overtook}, the first of them to wake.
   */
  private record Owed(long slot, long overtook, long number) { }

  /**
   * Reserves the next token and says how long the caller must wait for it, in nanoseconds (0: at once). The
   * token is the caller's whether it waits or not.
   */
  long reserve() {
    return turn().nanos();
  }

  synchronized Turn turn() {
    long number = ++reservations;
    if (nanosPerToken == 0) {
      return new Turn(0, number);
    }
    refill();
    tokens -= 1;
    if (tokens >= 0) {
      return new Turn(0, number);
    }
    queuedOnce = true;
    lastQueued = refilledAt;
    return new Turn(Math.round(-tokens * nanosPerToken), number);
  }

  /**
   * Reserves the token that is due next for a caller going ahead, and says how long it waits for it (0: at once).
   * While nobody waits, behind a queue longer than {@link #AHEAD_OF_AT_MOST}, or when a call went ahead less than
   * {@link #AHEAD_ONE_IN_TOKENS} tokens' time ago, this is an ordinary reservation.
   */
  synchronized long reserveAhead() {
    if (nanosPerToken == 0) {
      return 0;
    }
    refill();
    if (tokens >= 0 || -tokens * nanosPerToken > AHEAD_OF_AT_MOST.toNanos()
        || wentAhead && refilledAt - lastAhead < AHEAD_ONE_IN_TOKENS * nanosPerToken) {
      return reserve();
    }
    wentAhead = true;
    lastAhead = refilledAt;
    // -tokens tokens are reserved ahead, one a token's time after the other: the first of them that is still to
    // come is due in the fraction of a token's time that is left (a whole one when none is)
    double part = -tokens - Math.floor(-tokens);
    long overtook = reservations;
    long number = ++reservations;
    tokens -= 1;
    owed.addLast(new Owed(refilledAt + Math.round(-tokens * nanosPerToken), overtook, number));
    queuedOnce = true;
    lastQueued = refilledAt;
    return Math.round((part > 0 ? part : 1) * nanosPerToken);
  }

  /**
   * The turn of a caller whose token is due now (reservation {@code number}): when a call went ahead of it since it
   * reserved, the slot that call reserved for it; else its own, at once. A slot owed to callers that all woke already
   * (an earlier one was interrupted) is given to nobody.
   */
  synchronized Turn repay(long number) {
    while (!owed.isEmpty() && owed.peekFirst().overtook() < number) {
      owed.pollFirst();
    }
    Owed slot = owed.pollFirst();
    if (slot == null) {
      return new Turn(0, number);
    }
    refill();
    return new Turn(Math.max(0, slot.slot() - refilledAt), slot.number());
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
