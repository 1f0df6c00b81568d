package net.proxy.limits;

import java.time.Duration;

/**
 * One rate limit for one thing, such as one connection: {@code events} per period on average plus a {@code burst}
 * of extra events at once, with the semantics of nginx {@code limit_req ... burst=N nodelay} and of
 * {@link GcraLimiter}, but for a single key, so it needs no table, no hashing and no atomics. Meant for the limits an
 * engine counts per connection on the connection's event loop: requests per connection per second, or the HTTP/2
 * frames that cost the server more than the client (RST_STREAM after HEADERS, the "rapid reset" of CVE-2023-44487;
 * SETTINGS, PING and empty DATA frames, CVE-2019-9512 to 9518).
 *
 * <p>The caller passes the time: any monotonic nanosecond clock such as {@link System#nanoTime()} or the time an
 * event loop read for the whole batch of events, so a burst of frames costs no clock read each. The clock may start
 * anywhere and wrap around; it must not go backwards (a smaller time than the previous one makes the budget
 * stricter, never looser).
 *
 * <p><b>Not thread-safe</b>: one budget belongs to one thread (the event loop of its connection). Its state is one
 * {@code long}, a call allocates nothing, and an instance takes 48 bytes on a 64-bit HotSpot JVM.
 *
 * <pre>{@code
 * // per connection: 100 RST_STREAM per second on average, 201 at once (a burst of 200 more)
 * RateBudget resets = RateBudget.of(100, Duration.ofSeconds(1), 200);
 * ...
 * if (!resets.tryAcquire(System.nanoTime())) {
 *     goAway(ENHANCE_YOUR_CALM);
 * }
 * }</pre>
 */
public final class RateBudget {

    /*
     * How it works: the Generic Cell Rate Algorithm in its virtual scheduling form (ATM Forum TM 4.0, §4.4.2
     * and Annex C), with the arithmetic of Gcra that GcraLimiter uses too: tat is the theoretical arrival
     * time of the next event; n events at time t conform iff max(tat − t, 0) + n·T <= (burst + 1)·T, and
     * tat then becomes t + that sum. Times are the caller's nanoseconds, compared by difference so the clock
     * may wrap. Before the first admission there is no tat: IDLE marks that state, and an admission whose
     * tat would be exactly IDLE stores IDLE + 1 instead (one nanosecond stricter) so the mark stays unique.
     */

    private static final long IDLE = Long.MIN_VALUE;

    private final long emissionNanos;
    private final long limitNanos;
    private final long burst;
    private long tat = IDLE;

    RateBudget(long emissionNanos, long burst) {
        this.emissionNanos = emissionNanos;
        this.burst = burst;
        this.limitNanos = Gcra.limit(burst, emissionNanos);
    }

    /**
     * A budget of {@code events} per {@code per} on average plus {@code burst} extra events at once, full at first.
     *
     * @param events events per period, {@code > 0}
     * @param per    the period, {@code > 0} and at most about 73 years
     * @param burst  extra events admitted at once above the rate, {@code >= 0} (so {@code burst + 1} events are
     *               admitted at once from a full budget)
     * @return a new budget
     * @throws IllegalArgumentException if an argument is out of range, the rate exceeds one event per nanosecond, or
     *     {@code burst × per / events} exceeds about 73 years
     * @throws NullPointerException if {@code per} is null
     */
    public static RateBudget of(long events, Duration per, long burst) {
        return builder().rate(events, per).burst(burst).build();
    }

    /**
     * A builder; {@link RateBudgetBuilder#rate} is required.
     *
     * @return a new builder
     */
    public static RateBudgetBuilder builder() {
        return new RateBudgetBuilder();
    }

    /**
     * Takes one event from the budget if it has one at {@code nowNanos}.
     *
     * @param nowNanos the current time on the caller's monotonic nanosecond clock
     * @return whether the event is admitted; a rejected event takes nothing from the budget
     */
    public boolean tryAcquire(long nowNanos) {
        return tryAcquire(nowNanos, 1);
    }

    /**
     * Takes {@code permits} events from the budget at once if it has them all at {@code nowNanos} (all or nothing).
     *
     * @param nowNanos the current time on the caller's monotonic nanosecond clock
     * @param permits  how many, in {@code [1, burst + 1]}
     * @return whether they are admitted; rejected events take nothing from the budget
     * @throws IllegalArgumentException if {@code permits} is outside {@code [1, burst + 1]}, which could never be
     *     admitted
     */
    public boolean tryAcquire(long nowNanos, long permits) {
        Gcra.checkPermits(permits, burst);
        long ahead = ahead(nowNanos, permits * emissionNanos);
        if (ahead > limitNanos) {
            return false;
        }
        long next = nowNanos + ahead;
        tat = next == IDLE ? next + 1 : next;
        return true;
    }

    /**
     * How long from {@code nowNanos} until one event would be admitted, if nothing else takes from the budget
     * meanwhile.
     *
     * @param nowNanos the current time on the caller's monotonic nanosecond clock
     * @return nanoseconds to wait, 0 if an event would be admitted now
     */
    public long retryAfterNanos(long nowNanos) {
        return retryAfterNanos(nowNanos, 1);
    }

    /**
     * How long from {@code nowNanos} until {@code permits} events would be admitted at once, if nothing else takes
     * from the budget meanwhile.
     *
     * @param nowNanos the current time on the caller's monotonic nanosecond clock
     * @param permits  how many, in {@code [1, burst + 1]}
     * @return nanoseconds to wait, 0 if they would be admitted now
     * @throws IllegalArgumentException if {@code permits} is outside {@code [1, burst + 1]}
     */
    public long retryAfterNanos(long nowNanos, long permits) {
        Gcra.checkPermits(permits, burst);
        return Math.max(ahead(nowNanos, permits * emissionNanos) - limitNanos, 0);
    }

    /**
     * How many single events the budget would admit at once at {@code nowNanos}: {@code burst + 1} when full, 0
     * when exhausted.
     *
     * @param nowNanos the current time on the caller's monotonic nanosecond clock
     * @return events available now, in {@code [0, burst + 1]}
     */
    public long available(long nowNanos) {
        long ahead = ahead(nowNanos, 0);
        return ahead >= limitNanos ? 0 : Gcra.remaining(limitNanos, ahead, emissionNanos);
    }

    /**
     * The average spacing of admitted events, {@code per / events} (rounded down to whole nanoseconds).
     *
     * @return the emission interval
     */
    public Duration emissionInterval() {
        return Duration.ofNanos(emissionNanos);
    }

    /**
     * Extra events admitted at once above the rate.
     *
     * @return the burst given at construction
     */
    public long burst() {
        return burst;
    }

    private long ahead(long nowNanos, long cost) {
        long t = tat;
        return t == IDLE ? cost : Gcra.ahead(t, nowNanos, cost);
    }
}
