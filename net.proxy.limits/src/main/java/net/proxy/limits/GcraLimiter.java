package net.proxy.limits;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A keyed rate limiter in the manner of nginx {@code limit_req}: each key may make {@code rate}
 * requests per period on average plus a {@code burst} of extra requests at once; a request beyond
 * that is rejected with the time after which it would be admitted (for {@code Retry-After}).
 *
 * <p>Memory is bounded whatever the number of keys: one {@code long} per slot (default 65,536 slots,
 * 512 KiB). Keys are hashed onto slots, and two keys on one slot share one budget. Only <em>active</em>
 * keys matter: a key that has fallen back under its rate leaves a slot equivalent to an unused one.
 * With {@code k} keys active at once among {@code m} slots, a key shares its slot with probability
 * {@code 1 − (1 − 1/m)^(k−1)}: with the default 65,536 slots that is 0.15% for 100 active keys, 1.5%
 * for 1,000, 14% for 10,000 and 78% for 100,000 (at 262,144 slots, 2 MiB: 0.04%, 0.38%, 3.7%, 32%).
 * A collision only ever makes the limiter stricter: the keys sharing a slot are admitted at most
 * {@code rate + burst} together, never more than one key alone would be.
 *
 * <p>By default requests within the burst are admitted at once ({@code nodelay}, as
 * {@code limit_req ... burst=N nodelay}). With {@code nodelay(false)} they are admitted with a
 * {@link Decision#delay()} that the caller should wait before serving them, which spaces them at the
 * rate as nginx's default does. Thread-safe and lock-free; one key's admissions are exact under any
 * concurrency (one CAS per decision).
 *
 * <pre>{@code
 * GcraLimiter limiter = GcraLimiter.builder().rate(100, Duration.ofMinutes(1)).burst(10).build();
 * GcraLimiter.Decision decision = limiter.tryAcquire(apiKey);
 * if (!decision.allowed()) {
 *     response.header("Retry-After", decision.retryAfterSeconds());
 * }
 * }</pre>
 */
public final class GcraLimiter {

    /*
     * How it works: the Generic Cell Rate Algorithm in its "virtual scheduling" form [1], whose
     * arithmetic is in Gcra, shared with RateBudget. With the emission interval T = period / rate and
     * the burst tolerance tau = burst × T, each slot stores a theoretical arrival time (TAT): when the
     * key's next request would be exactly on schedule. A request of n permits at time t is conforming
     * iff max(TAT − t, 0) + n·T <= tau + T, that is, the key is no further ahead of its schedule than
     * the burst allows; it is then admitted and TAT becomes t + max(TAT − t, 0) + n·T with one CAS
     * (retried on contention, so no admission is lost or doubled). A rejected request is told to wait
     * by how much it exceeds tau + T. A TAT at or before t carries no information (the key is idle),
     * which is why only active keys collide. Times are ticker nanoseconds relative to construction, so
     * a fresh slot (0) is never ahead. This is the same contract as nginx limit_req with burst [2],
     * which keeps an "excess" counter per key that leaks at the rate; GCRA stores a single timestamp
     * instead of (excess, last).
     *
     * [1] The ATM Forum, Traffic Management Specification Version 4.0, af-tm-0056.000, 1996, §4.4.2
     *     and Annex C (GCRA), https://www.broadband-forum.org/download/af-tm-0056.000.pdf
     * [2] nginx, ngx_http_limit_req_module, https://nginx.org/en/docs/http/ngx_http_limit_req_module.html
     */

    /** Slots by default (512 KiB). */
    public static final int DEFAULT_SLOTS = 65_536;

    private static final int CACHED_DECISIONS = 256;

    private final long emissionNanos;
    private final long limitNanos;
    private final long burst;
    private final boolean nodelay;
    private final int slots;
    private final long seed;
    private final AtomicLongArray tats;
    private final LongSupplier ticker;
    private final long origin;
    private final Decision[] admittedNow;

    GcraLimiter(long emissionNanos, long burst, boolean nodelay, int slots, long seed, LongSupplier ticker) {
        this.emissionNanos = emissionNanos;
        this.burst = burst;
        this.limitNanos = Gcra.limit(burst, emissionNanos);
        this.nodelay = nodelay;
        this.slots = slots;
        this.seed = KeyHash.rowSeed(seed, 0);
        this.tats = new AtomicLongArray(slots);
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.origin = ticker.getAsLong();
        this.admittedNow = new Decision[(int) Math.min(burst + 1, CACHED_DECISIONS)];
        for (int remaining = 0; remaining < admittedNow.length; remaining++) {
            admittedNow[remaining] = new Decision(true, remaining, 0, 0);
        }
    }

    /**
     * A builder; {@link GcraLimiterBuilder#rate} is required.
     *
     * @return a new builder
     */
    public static GcraLimiterBuilder builder() {
        return new GcraLimiterBuilder();
    }

    /**
     * Asks for one request of the key.
     *
     * @param key the key (client address, API key...); its {@code hashCode()} must be value based
     * @return whether it is admitted, and if not when to retry
     */
    public Decision tryAcquire(Object key) {
        return tryAcquire(key, 1);
    }

    /**
     * Asks for {@code permits} requests of the key at once (all or nothing).
     *
     * @param key     the key
     * @param permits how many, in {@code [1, burst + 1]}
     * @return whether they are admitted, and if not when to retry
     * @throws IllegalArgumentException if {@code permits} is outside {@code [1, burst + 1]}, which could
     *     never be admitted
     */
    public Decision tryAcquire(Object key, long permits) {
        Gcra.checkPermits(permits, burst);
        int slot = slotOf(key);
        long now = ticker.getAsLong() - origin;
        long cost = permits * emissionNanos;
        for (; ; ) {
            long tat = tats.get(slot);
            long ahead = Gcra.ahead(tat, now, cost);
            if (ahead > limitNanos) {
                return new Decision(false, 0, 0, ahead - limitNanos);
            }
            if (tats.compareAndSet(slot, tat, now + ahead)) {
                long remaining = Gcra.remaining(limitNanos, ahead, emissionNanos);
                long delay = nodelay ? 0 : ahead - cost;
                if (delay == 0 && remaining < admittedNow.length) {
                    return admittedNow[(int) remaining];
                }
                return new Decision(true, remaining, delay, 0);
            }
        }
    }

    /**
     * The average spacing of admitted requests, {@code period / rate}.
     *
     * @return the emission interval
     */
    public Duration emissionInterval() {
        return Duration.ofNanos(emissionNanos);
    }

    /**
     * Extra requests admitted at once above the rate.
     *
     * @return the burst given to the builder
     */
    public long burst() {
        return burst;
    }

    /**
     * Whether requests within the burst are admitted without a {@link Decision#delay()}.
     *
     * @return the mode given to the builder ({@code true} by default)
     */
    public boolean nodelay() {
        return nodelay;
    }

    /**
     * Slots in the table.
     *
     * @return the slot count given to the builder
     */
    public int slots() {
        return slots;
    }

    /** The slot a key's budget lives in (visible for the collision test). */
    int slotOf(Object key) {
        return KeyHash.slot(KeyHash.of(key), seed, slots);
    }

    /**
     * The outcome of {@link #tryAcquire}. Times are kept in nanoseconds so a decision costs one small
     * allocation at most (admissions without delay are shared constants); {@link #delay()} and
     * {@link #retryAfter()} give them as {@code Duration}s.
     *
     * @param allowed         whether the request is admitted
     * @param remaining       how many more single requests the key could make right now (0 when denied)
     * @param delayNanos      for an admitted request with {@code nodelay(false)}, how long to wait before
     *                        serving it so requests are spaced at the rate; otherwise zero
     * @param retryAfterNanos for a denied request, the wait after which the same request would be
     *                        admitted (if nothing else consumes the budget meanwhile); zero when admitted
     */
    public record Decision(boolean allowed, long remaining, long delayNanos, long retryAfterNanos) {

        /**
         * Validates the decision.
         *
         * @param allowed         whether the request is admitted
         * @param remaining       further single requests admissible now, {@code >= 0}
         * @param delayNanos      wait before serving an admitted request, {@code >= 0}
         * @param retryAfterNanos wait before retrying a denied request, {@code >= 0}
         * @throws IllegalArgumentException if a value is negative
         */
        public Decision {
            Checks.nonNegative("remaining", remaining);
            Checks.nonNegative("delayNanos", delayNanos);
            Checks.nonNegative("retryAfterNanos", retryAfterNanos);
        }

        /**
         * {@link #delayNanos()} as a duration.
         *
         * @return how long to wait before serving an admitted request (zero with {@code nodelay})
         */
        public Duration delay() {
            return Duration.ofNanos(delayNanos);
        }

        /**
         * {@link #retryAfterNanos()} as a duration.
         *
         * @return how long a denied caller should wait; zero when admitted
         */
        public Duration retryAfter() {
            return Duration.ofNanos(retryAfterNanos);
        }

        /**
         * The retry-after in whole seconds rounded up, as an HTTP {@code Retry-After} value: at least 1
         * when denied, 0 when admitted.
         *
         * @return seconds to wait
         */
        public long retryAfterSeconds() {
            if (allowed) {
                return 0;
            }
            return Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
        }
    }
}
