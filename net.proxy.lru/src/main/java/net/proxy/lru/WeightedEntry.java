package net.proxy.lru;

import java.util.Objects;

/**
 * A key, its value and its weight, as handed back by the caches when they evict an entry or decline to
 * admit one.
 *
 * @param key the entry's key
 * @param value the entry's value
 * @param weight the entry's weight, at least 1
 * @param <K> the key type
 * @param <V> the value type
 */
public record WeightedEntry<K, V>(K key, V value, int weight) {

    /**
     * Checks the components.
     *
     * @param key the key
     * @param value the value
     * @param weight the weight
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalArgumentException if {@code weight} is below 1
     */
    public WeightedEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Checks.atLeast("weight", weight, 1);
    }
}
