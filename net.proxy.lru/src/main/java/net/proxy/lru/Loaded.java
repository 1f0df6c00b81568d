package net.proxy.lru;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Lookup} found: the value and how long to cache it.
 *
 * @param value the value, never null
 * @param ttl how long the value stays fresh; null for the cache's default TTL; zero or negative to return
 *     the value without caching it
 * @param <V> the value type
 */
public record Loaded<V>(V value, Duration ttl) {

    /**
     * Checks the value.
     *
     * @param value the value
     * @param ttl the time to live, or null for the cache's default
     * @throws NullPointerException if {@code value} is null
     */
    public Loaded {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Returns a value to cache with the cache's default TTL.
     *
     * @param value the value
     * @param <V> the value type
     * @return the result
     */
    public static <V> Loaded<V> of(V value) {
        return new Loaded<>(value, null);
    }

    /**
     * Returns a value to cache for a given TTL.
     *
     * @param value the value
     * @param ttl how long it stays fresh; zero or negative to not cache it
     * @param <V> the value type
     * @return the result
     */
    public static <V> Loaded<V> of(V value, Duration ttl) {
        return new Loaded<>(value, Objects.requireNonNull(ttl, "ttl"));
    }
}
