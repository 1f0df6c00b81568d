package net.proxy.lru;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A size-bounded in-memory cache with a time to live per entry, after Pingora's {@code MemoryCache}.
 * Thread-safe; reads take no lock. Every entry weighs 1, and eviction and admission are {@link TinyUfo}'s.
 *
 * <p>Each lookup reports a {@link CacheStatus}. An expired entry is reported as {@link CacheStatus#EXPIRED}
 * by {@link #get} and stays cached until evicted, replaced or removed, so that {@link #getStale} can still
 * serve it on purpose (for example while a fresh copy is fetched). Time comes from an injected nanosecond
 * ticker (default {@link System#nanoTime()}).
 *
 * <pre>{@code
 * MemoryCache<String, String> cache = MemoryCache.builder().maximumSize(10_000).build();
 * cache.put("k", "v", Duration.ofSeconds(5));
 * CacheResult<String> r = cache.get("k");   // HIT "v", later EXPIRED
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MemoryCache<K, V> {
    private static final long NEVER = Long.MAX_VALUE;

    private final TinyUfo<K, Stamped<V>> store;
    private final LongSupplier ticker;

    MemoryCache(long maximumSize, LongSupplier ticker) {
        this.store = new TinyUfo<>(maximumSize, (int) Math.min(maximumSize, CountMinSketch.MAX_EXPECTED_ITEMS));
        this.ticker = ticker;
    }

    /**
     * Returns a builder.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return a new builder: maximum size 1024, {@link System#nanoTime()} as the ticker
     */
    public static <K, V> MemoryCacheBuilder<K, V> builder() {
        return new MemoryCacheBuilder<>();
    }

    /**
     * Looks a key up.
     *
     * @param key the key
     * @return {@code HIT} with the value, {@code MISS}, or {@code EXPIRED} (without the value)
     */
    public CacheResult<V> get(K key) {
        Stamped<V> stamped = store.get(key);
        if (stamped == null) {
            return CacheResult.of(null, CacheStatus.MISS);
        }
        return stamped.expiredFor(ticker.getAsLong()) < 0
                ? CacheResult.of(stamped.value, CacheStatus.HIT)
                : CacheResult.of(null, CacheStatus.EXPIRED);
    }

    /**
     * Looks a key up and returns an expired value too, as {@code STALE} with how long it has been expired.
     *
     * @param key the key
     * @return {@code HIT} with the value, {@code STALE} with the value and its staleness, or {@code MISS}
     */
    public CacheResult<V> getStale(K key) {
        Stamped<V> stamped = store.get(key);
        if (stamped == null) {
            return CacheResult.of(null, CacheStatus.MISS);
        }
        long expiredFor = stamped.expiredFor(ticker.getAsLong());
        return expiredFor < 0
                ? CacheResult.of(stamped.value, CacheStatus.HIT)
                : new CacheResult<>(stamped.value, CacheStatus.STALE, Duration.ofNanos(expiredFor));
    }

    /**
     * Caches a value for a time to live, subject to TinyLFU admission; a zero or negative TTL stores
     * nothing.
     *
     * @param key the key
     * @param value the value
     * @param ttl how long the value is fresh, or null for a value that never expires (it stays until
     *     evicted, replaced or removed)
     */
    public void put(K key, V value, Duration ttl) {
        long ttlNanos = ttlNanos(ttl);
        if (ttlNanos > 0) {
            store.put(key, stamp(value, ttlNanos), 1);
        }
    }

    /**
     * Caches a value for a time to live like {@link #put(Object, Object, Duration)} but skips admission, so
     * it always goes in; a zero or negative TTL stores nothing.
     *
     * @param key the key
     * @param value the value
     * @param ttl how long the value is fresh, or null for a value that never expires
     */
    public void forcePut(K key, V value, Duration ttl) {
        long ttlNanos = ttlNanos(ttl);
        if (ttlNanos > 0) {
            store.forcePut(key, stamp(value, ttlNanos), 1);
        }
    }

    /**
     * Removes a key.
     *
     * @param key the key
     * @return the value that was cached (fresh or expired), or null
     */
    public V remove(K key) {
        Stamped<V> stamped = store.remove(key);
        return stamped == null ? null : stamped.value;
    }

    /**
     * Returns the number of cached entries, expired ones included.
     *
     * @return the entry count
     */
    public int size() {
        return store.size();
    }

    private Stamped<V> stamp(V value, long ttlNanos) {
        return new Stamped<>(Objects.requireNonNull(value, "value"), ticker.getAsLong(), ttlNanos);
    }

    private static long ttlNanos(Duration ttl) {
        if (ttl == null) {
            return NEVER;
        }
        return ttl.isNegative() ? 0 : Math.min(Checks.saturatedNanos(ttl), NEVER - 1);
    }

    /** A value with its insertion time and TTL; differences of ticker values are wrap-around safe. */
    private static final class Stamped<V> {
        final V value;
        final long createdAt;
        final long ttlNanos;

        Stamped(V value, long createdAt, long ttlNanos) {
            this.value = value;
            this.createdAt = createdAt;
            this.ttlNanos = ttlNanos;
        }

        /** Nanoseconds since expiry: negative while fresh, 0 or more once expired. */
        long expiredFor(long now) {
            return ttlNanos == NEVER ? -1 : now - createdAt - ttlNanos;
        }
    }
}
