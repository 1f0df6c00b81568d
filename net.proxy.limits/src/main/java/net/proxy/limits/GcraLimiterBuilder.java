package net.proxy.limits;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Builds a {@link GcraLimiter}. Defaults: no rate (required), burst 0, {@code nodelay(true)},
 * 65,536 slots, the fixed seed, {@code System::nanoTime}.
 */
public final class GcraLimiterBuilder {

    private long emissionNanos;
    private long burst;
    private boolean nodelay = true;
    private int slots = GcraLimiter.DEFAULT_SLOTS;
    private long seed = KeyHash.DEFAULT_SEED;
    private LongSupplier ticker = System::nanoTime;

    GcraLimiterBuilder() {}

    /**
     * The sustained rate per key (required): {@code permits} per {@code period}, e.g.
     * {@code rate(10, Duration.ofSeconds(1))} for nginx's {@code 10r/s}.
     *
     * @param permits requests per period, {@code > 0}
     * @param period  the period, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if either is not positive or the rate exceeds one request per
     *     nanosecond
     */
    public GcraLimiterBuilder rate(long permits, Duration period) {
        this.emissionNanos = Gcra.emissionNanos("permits", permits, "period", period);
        return this;
    }

    /**
     * Extra requests a key may make at once above the rate (nginx's {@code burst}); default 0.
     *
     * @param burst {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code burst < 0}
     */
    public GcraLimiterBuilder burst(long burst) {
        this.burst = Checks.nonNegative("burst", burst);
        return this;
    }

    /**
     * Whether requests within the burst are admitted without delay (default {@code true}, as nginx's
     * {@code nodelay}); with {@code false} they carry the {@link GcraLimiter.Decision#delay()} that
     * spaces them at the rate.
     *
     * @param nodelay the mode
     * @return this builder
     */
    public GcraLimiterBuilder nodelay(boolean nodelay) {
        this.nodelay = nodelay;
        return this;
    }

    /**
     * Slots in the table, the memory bound ({@code 8 × slots} bytes); default 65,536.
     *
     * @param slots {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code slots <= 0}
     */
    public GcraLimiterBuilder slots(int slots) {
        this.slots = (int) Checks.positive("slots", slots);
        return this;
    }

    /**
     * The hash seed (default fixed, see {@link CountMinSketch}).
     *
     * @param seed any value
     * @return this builder
     */
    public GcraLimiterBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * The source of monotonic time in nanoseconds (default {@code System::nanoTime}).
     *
     * @param ticker a nanosecond clock
     * @return this builder
     */
    public GcraLimiterBuilder ticker(LongSupplier ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Builds the limiter.
     *
     * @return a new limiter with every key idle
     * @throws IllegalStateException if no rate was given
     * @throws IllegalArgumentException if {@code burst × period / rate} exceeds about 73 years
     */
    public GcraLimiter build() {
        if (emissionNanos == 0) {
            throw new IllegalStateException("rate: not set (expected: rate(permits, period))");
        }
        Gcra.checkTolerance(burst, emissionNanos, "period", "permits");
        return new GcraLimiter(emissionNanos, burst, nodelay, slots, seed, ticker);
    }
}
