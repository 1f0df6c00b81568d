package net.proxy.lru;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Builds a {@link ReadThroughCache}. Defaults: maximum size 1024 entries; default TTL none (a value
 * without its own TTL stays until evicted); no wait timeout; no lock age; {@link System#nanoTime()} as
 * the ticker; {@link Scheduler#jdk()} for wait timeouts.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ReadThroughCacheBuilder<K, V> {
    private final Lookup<K, V> lookup;
    long maximumSize = 1024;
    Duration defaultTtl;
    Duration waitTimeout;
    Duration lockAge;
    LongSupplier ticker = System::nanoTime;
    Scheduler scheduler = Scheduler.jdk();

    ReadThroughCacheBuilder(Lookup<K, V> lookup) {
        this.lookup = lookup;
    }

    /**
     * Sets how many entries the cache holds at most.
     *
     * @param maximumSize at least 1 (default 1024)
     * @return this builder
     */
    public ReadThroughCacheBuilder<K, V> maximumSize(long maximumSize) {
        this.maximumSize = Checks.atLeast("maximumSize", maximumSize, 1);
        return this;
    }

    /**
     * Sets the TTL of looked-up values that do not carry their own.
     *
     * @param defaultTtl positive (default: none, values stay until evicted)
     * @return this builder
     */
    public ReadThroughCacheBuilder<K, V> defaultTtl(Duration defaultTtl) {
        this.defaultTtl = Checks.positive("defaultTtl", defaultTtl);
        return this;
    }

    /**
     * Sets how long a caller waits for another caller's lookup of the same key before running its own
     * (uncached) lookup.
     *
     * @param waitTimeout positive (default: none, wait as long as the lookup takes)
     * @return this builder
     */
    public ReadThroughCacheBuilder<K, V> waitTimeout(Duration waitTimeout) {
        this.waitTimeout = Checks.positive("waitTimeout", waitTimeout);
        return this;
    }

    /**
     * Sets how long a lookup may run before the next caller presumes it stuck and runs a new one in its
     * place.
     *
     * @param lockAge positive (default: none, a lookup is never presumed stuck)
     * @return this builder
     */
    public ReadThroughCacheBuilder<K, V> lockAge(Duration lockAge) {
        this.lockAge = Checks.positive("lockAge", lockAge);
        return this;
    }

    /**
     * Sets the time source for TTLs and lock age, in nanoseconds (only differences matter).
     *
     * @param ticker the ticker (default {@link System#nanoTime()})
     * @return this builder
     */
    public ReadThroughCacheBuilder<K, V> ticker(LongSupplier ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Sets what fires wait timeouts.
     *
     * @param scheduler the scheduler (default {@link Scheduler#jdk()})
     * @return this builder
     */
    public ReadThroughCacheBuilder<K, V> scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * Builds the cache.
     *
     * @return a new, empty cache
     */
    public ReadThroughCache<K, V> build() {
        return new ReadThroughCache<>(this, lookup);
    }
}
