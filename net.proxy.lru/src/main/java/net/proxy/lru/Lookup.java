package net.proxy.lru;

import java.util.concurrent.CompletionStage;

/**
 * Fetches the value of a key that a {@link ReadThroughCache} does not hold, asynchronously: the stage
 * completes with the value and its TTL, or exceptionally. It must not block the calling thread; a
 * blocking source belongs on an executor ({@code CompletableFuture.supplyAsync(.., executor)}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface Lookup<K, V> {

    /**
     * Starts fetching a key's value.
     *
     * @param key the key
     * @return a stage completed with the value, or exceptionally with why it could not be fetched
     */
    CompletionStage<Loaded<V>> lookup(K key);
}
