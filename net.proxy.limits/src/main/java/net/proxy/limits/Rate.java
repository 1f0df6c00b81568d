package net.proxy.limits;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Events per key per interval, in two alternating count-min sketches (Pingora's {@code Rate}).
 *
 * <p>{@link #observe} counts events in the current interval and returns the key's count so far in it;
 * {@link #rate} returns the previous, completed interval's count per second; {@link #rateWith} hands
 * both windows to a function, such as {@link RateComponents#proportionalEstimate()}, to blend them.
 * Intervals start at construction and restart lazily at the first call after they end (they are not
 * aligned to the wall clock). Memory is two sketches, {@code 2 × rows × slots × 8} bytes (64 KiB with
 * the defaults of 4 rows × 1024 slots), whatever the number of keys. Thread-safe and lock-free.
 *
 * <pre>{@code
 * Rate rate = Rate.of(Duration.ofSeconds(1));
 * if (rate.observe(appId, 1) > MAX_PER_SECOND) { reject(429); }
 * double perSecond = rate.rateWith(appId, RateComponents::proportionalEstimate);
 * }</pre>
 */
public final class Rate {

    /*
     * How it works. Two sketches, "current" and "previous", swap roles when an interval ends. Every
     * call first reads the ticker: if at least one interval has passed since the last swap, one caller
     * wins a CAS on the swap time, clears the previous sketch (its data is now two intervals old),
     * makes it current, and - if two intervals or more have passed - also clears the other one, which
     * then holds no data of the last completed interval either. Losers of the CAS just use the
     * windows. A reader racing with a swap may count into, or read, the window that is being
     * retired: the estimate is approximate by design, never blocking.
     *
     * The proportional estimate treats events as spread evenly over the previous interval and keeps
     * the part of it that still falls inside a window of one interval ending now.
     *
     * [1] J. Graham-Cumming, How we built rate limiting capable of scaling to millions of domains
     *     (Cloudflare blog, "counting things"), 2017,
     *     https://blog.cloudflare.com/counting-things-a-lot-of-different-things/
     * [2] Pingora, pingora-limits/src/rate.rs, https://github.com/cloudflare/pingora
     */

    /** Rows of each window's sketch by default. */
    public static final int DEFAULT_ROWS = 4;
    /** Slots per row of each window's sketch by default. */
    public static final int DEFAULT_SLOTS = 1024;

    private final CountMinSketch[] windows;
    private final long intervalNanos;
    private final Duration interval;
    private final LongSupplier ticker;
    private final long origin;
    private final AtomicLong lastSwap = new AtomicLong();
    private volatile int current;

    Rate(Duration interval, int rows, int slots, long seed, LongSupplier ticker) {
        this.intervalNanos = Checks.positiveNanos("interval", interval, Long.MAX_VALUE / 4);
        this.interval = interval;
        this.windows =
                new CountMinSketch[] {CountMinSketch.of(rows, slots, seed), CountMinSketch.of(rows, slots, seed)};
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.origin = ticker.getAsLong();
    }

    /**
     * A rate over {@code interval} with the default sketches and the system ticker.
     *
     * @param interval the interval length, {@code > 0}
     * @return a new rate estimator
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    public static Rate of(Duration interval) {
        return builder().interval(interval).build();
    }

    /**
     * A builder for custom sketch sizes or an injected ticker.
     *
     * @return a new builder
     */
    public static RateBuilder builder() {
        return new RateBuilder();
    }

    /**
     * Counts {@code events} for the key in the current interval.
     *
     * @param key    the key
     * @param events how many, {@code >= 0}
     * @return the key's estimated count so far in the current interval, this call included
     * @throws IllegalArgumentException if {@code events < 0}
     */
    public long observe(Object key, long events) {
        Checks.nonNegative("events", events);
        maybeSwap();
        return windows[current].incr(key, events);
    }

    /**
     * The key's count in the previous, completed interval, per second; 0 once two intervals have
     * passed without any call.
     *
     * @param key the key
     * @return events per second in the last complete interval
     */
    public double rate(Object key) {
        return rateWith(key, c -> c.prevSamples() / c.intervalSeconds());
    }

    /**
     * Applies {@code estimate} to the key's counts in both windows.
     *
     * @param key      the key
     * @param estimate a function of the components, e.g. {@link RateComponents#proportionalEstimate()}
     * @param <T>      the estimate's type
     * @return what {@code estimate} returns
     */
    public <T> T rateWith(Object key, Function<? super RateComponents, ? extends T> estimate) {
        Objects.requireNonNull(estimate, "estimate");
        long sinceSwap = maybeSwap();
        long prev = 0;
        long curr = 0;
        if (sinceSwap < 2 * intervalNanos) {
            int cur = current;
            prev = Math.max(0, windows[cur ^ 1].get(key));
            curr = Math.max(0, windows[cur].get(key));
        }
        long intoInterval = Math.floorMod(now() - lastSwap.get(), intervalNanos);
        return estimate.apply(new RateComponents(prev, curr, interval, (double) intoInterval / intervalNanos));
    }

    /**
     * The interval length.
     *
     * @return the interval given at construction
     */
    public Duration interval() {
        return interval;
    }

    /** Swaps the windows if an interval has ended; returns the time since the last swap before it. */
    private long maybeSwap() {
        long now = now();
        long last = lastSwap.get();
        long since = now - last;
        if (since >= intervalNanos && lastSwap.compareAndSet(last, now)) {
            int cur = current;
            windows[cur ^ 1].reset();
            current = cur ^ 1;
            if (since >= 2 * intervalNanos) {
                windows[cur].reset();
            }
        }
        return since;
    }

    private long now() {
        return ticker.getAsLong() - origin;
    }
}
