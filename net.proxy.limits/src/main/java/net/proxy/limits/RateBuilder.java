package net.proxy.limits;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Builds a {@link Rate}. Defaults: no interval (required), 4 rows × 1024 slots per window, the fixed
 * seed, {@code System::nanoTime}.
 */
public final class RateBuilder {

    private Duration interval;
    private int rows = Rate.DEFAULT_ROWS;
    private int slots = Rate.DEFAULT_SLOTS;
    private long seed = KeyHash.DEFAULT_SEED;
    private LongSupplier ticker = System::nanoTime;

    RateBuilder() {}

    /**
     * The interval length (required).
     *
     * @param interval {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    public RateBuilder interval(Duration interval) {
        Checks.positiveNanos("interval", interval, Long.MAX_VALUE / 4);
        this.interval = interval;
        return this;
    }

    /**
     * Sketch size of each window.
     *
     * @param rows  hash functions, {@code > 0} (default 4)
     * @param slots counters per row, {@code > 0} (default 1024)
     * @return this builder
     * @throws IllegalArgumentException if either is not positive
     */
    public RateBuilder sketch(int rows, int slots) {
        this.rows = (int) Checks.positive("rows", rows);
        this.slots = (int) Checks.positive("slots", slots);
        return this;
    }

    /**
     * The sketches' master seed (default fixed, see {@link CountMinSketch}).
     *
     * @param seed any value
     * @return this builder
     */
    public RateBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * The source of monotonic time in nanoseconds (default {@code System::nanoTime}).
     *
     * @param ticker a nanosecond clock
     * @return this builder
     */
    public RateBuilder ticker(LongSupplier ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Builds the estimator; its first interval starts now.
     *
     * @return a new {@link Rate}
     * @throws IllegalStateException if no interval was given
     */
    public Rate build() {
        if (interval == null) {
            throw new IllegalStateException("interval: not set (expected: a positive Duration)");
        }
        return new Rate(interval, rows, slots, seed, ticker);
    }
}
