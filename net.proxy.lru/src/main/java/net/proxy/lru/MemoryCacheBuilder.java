package net.proxy.lru;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Builds a {@link MemoryCache}. Defaults: maximum size 1024 entries, {@link System#nanoTime()} as the
 * ticker.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MemoryCacheBuilder<K, V> {
    private long maximumSize = 1024;
    private LongSupplier ticker = System::nanoTime;

    MemoryCacheBuilder() {}

    /**
     * Sets how many entries the cache holds at most.
     *
     * @param maximumSize at least 1 (default 1024)
     * @return this builder
     */
    public MemoryCacheBuilder<K, V> maximumSize(long maximumSize) {
        this.maximumSize = Checks.atLeast("maximumSize", maximumSize, 1);
        return this;
    }

    /**
     * Sets the time source, in nanoseconds (only differences matter).
     *
     * @param ticker the ticker (default {@link System#nanoTime()})
     * @return this builder
     */
    public MemoryCacheBuilder<K, V> ticker(LongSupplier ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Builds the cache.
     *
     * @param <K1> the key type
     * @param <V1> the value type
     * @return a new, empty cache
     */
    public <K1 extends K, V1 extends V> MemoryCache<K1, V1> build() {
        return new MemoryCache<>(maximumSize, ticker);
    }
}
