package net.proxy.lru;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer to a cache lookup: the value (if any), how it was answered and, for {@link CacheStatus#STALE},
 * how long the value had been expired.
 *
 * @param value the value; null for {@link CacheStatus#MISS} and {@link CacheStatus#EXPIRED} answers from a
 *     {@link MemoryCache}; a {@link ReadThroughCache} answer always carries one
 * @param status how the lookup was answered
 * @param staleness how long the value had been expired; {@link Duration#ZERO} unless {@code STALE}
 * @param <V> the value type
 */
public record CacheResult<V>(V value, CacheStatus status, Duration staleness) {

    /**
     * Checks the components.
     *
     * @param value the value, or null
     * @param status how the lookup was answered
     * @param staleness how long the value had been expired
     * @throws NullPointerException if {@code status} or {@code staleness} is null
     */
    public CacheResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(staleness, "staleness");
    }

    static <V> CacheResult<V> of(V value, CacheStatus status) {
        return new CacheResult<>(value, status, Duration.ZERO);
    }

    /**
     * Returns whether a value was served without this caller running a lookup (see
     * {@link CacheStatus#isHit()}).
     *
     * @return whether this is a hit
     */
    public boolean isHit() {
        return status.isHit();
    }
}
