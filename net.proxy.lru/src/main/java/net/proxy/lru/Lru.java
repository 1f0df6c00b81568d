package net.proxy.lru;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sharded, weighted least-recently-used index, after Pingora's {@code pingora-lru}. Thread-safe.
 *
 * <p>It does not evict by itself: callers {@link #admit} entries and, when convenient, call
 * {@link #evictToLimit()}, which evicts the least recently used entries until the total weight is at most
 * the weight limit and the entry count at most the watermark, and returns them (so the caller can, for
 * example, delete the matching files). There is no admission policy: this is plain LRU.
 *
 * <p>Limits: 1 to 65,536 shards (default 16); a weight limit of at least 1; an optional item-count
 * watermark (default none, {@link Long#MAX_VALUE}); each entry weighs at least 1. Keys and values are
 * never null; keys are stored as they are, not as hashes.
 *
 * <pre>{@code
 * Lru<String, Path> lru = Lru.builder().weightLimit(10L << 30).shards(32).build();
 * lru.admit("k", path, (int) Files.size(path));
 * lru.promote("k");
 * for (WeightedEntry<String, Path> e : lru.evictToLimit()) Files.delete(e.value());
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Lru<K, V> {
    /*
     * How it works. A key's hash code is spread (Hashing.spread) and reduced modulo the shard count to
     * pick one of N independent shards, so writers of different keys rarely meet on one lock. Each shard
     * is a HashMap plus an intrusive doubly linked recency list (newest at one end) under a StampedLock;
     * admit, promote and eviction are O(1) under the shard's write lock.
     *
     * promoteTopN(key, n) is for hot keys: it walks the n newest entries of the shard under an optimistic
     * read (no lock word written, so concurrent readers do not contend) and only takes the write lock if
     * the key is not among them. It costs O(n) equals calls, so it pays off only for small n; Pingora's
     * measurements found plain promote() best at production sizes [1].
     *
     * evictToLimit() starts at a random shard and evicts one entry per shard round-robin, which keeps
     * the shards at similar sizes, until both limits hold or N shards in a row were empty. Totals are
     * updated under the shard lock that made the change, so they are exact between writes.
     *
     * [1] Cloudflare, "pingora-lru", https://github.com/cloudflare/pingora/tree/main/pingora-lru
     */

    /** The largest shard count. */
    public static final int MAX_SHARDS = 1 << 16;

    private final LruShard<K, V>[] shards;
    private final LruTotals totals = new LruTotals();
    private final long weightLimit;
    private final long watermark;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Lru(int shardCount, long weightLimit, long watermark) {
        this.shards = new LruShard[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new LruShard<>(totals);
        }
        this.weightLimit = weightLimit;
        this.watermark = watermark;
    }

    /**
     * Returns a builder.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return a new builder: 16 shards, weight limit {@link Long#MAX_VALUE}, no watermark
     */
    public static <K, V> LruBuilder<K, V> builder() {
        return new LruBuilder<>();
    }

    /**
     * Inserts an entry as the most recently used, or updates the value and weight of an existing one and
     * promotes it. Does not evict.
     *
     * @param key the key
     * @param value the value
     * @param weight the weight, at least 1
     * @return the index of the key's shard
     */
    public int admit(K key, V value, int weight) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Checks.atLeast("weight", weight, 1);
        int shard = shardOf(key);
        shards[shard].admit(key, value, weight);
        return shard;
    }

    /**
     * Marks a key as the most recently used.
     *
     * @param key the key
     * @return whether the key is present
     */
    public boolean promote(K key) {
        return shards[shardOf(key)].promote(key);
    }

    /**
     * Marks a key as the most recently used unless it already is among the {@code n} most recent of its
     * shard, in which case nothing is written.
     *
     * @param key the key
     * @param n how many of the newest entries count as "top", at least 0
     * @return whether the key is present
     */
    public boolean promoteTopN(K key, int n) {
        Checks.atLeast("n", n, 0);
        return shards[shardOf(key)].promoteTopN(key, n);
    }

    /**
     * Returns a key's value without promoting it.
     *
     * @param key the key
     * @return the value, or null
     */
    public V peek(K key) {
        return shards[shardOf(key)].peek(key);
    }

    /**
     * Removes a key; it does not count as evicted.
     *
     * @param key the key
     * @return the removed entry, or null
     */
    public WeightedEntry<K, V> remove(K key) {
        Node<K, V> node = shards[shardOf(key)].remove(key);
        return node == null ? null : node.toEntry();
    }

    /**
     * Evicts least recently used entries, one shard after another, until the total weight is at most the
     * weight limit and the entry count at most the watermark.
     *
     * @return the evicted entries, in eviction order; empty if both limits already held
     */
    public List<WeightedEntry<K, V>> evictToLimit() {
        if (!overLimit()) {
            return List.of();
        }
        List<WeightedEntry<K, V>> evicted = new ArrayList<>();
        int n = shards.length;
        int shard = ThreadLocalRandom.current().nextInt(n);
        for (int emptyInARow = 0; emptyInARow < n && overLimit(); shard = shard + 1 == n ? 0 : shard + 1) {
            Node<K, V> node = shards[shard].evictOldest();
            if (node == null) {
                emptyInARow++;
            } else {
                emptyInARow = 0;
                evicted.add(node.toEntry());
            }
        }
        return evicted;
    }

    /**
     * Returns the total weight of the entries.
     *
     * @return the total weight
     */
    public long weight() {
        return totals.weight.get();
    }

    /**
     * Returns the number of entries.
     *
     * @return the entry count
     */
    public long size() {
        return totals.size.get();
    }

    /**
     * Returns the total weight evicted by {@link #evictToLimit()} since creation (removals do not count).
     *
     * @return the evicted weight
     */
    public long evictedWeight() {
        return totals.evictedWeight.get();
    }

    /**
     * Returns how many entries {@link #evictToLimit()} evicted since creation (removals do not count).
     *
     * @return the evicted entry count
     */
    public long evictedCount() {
        return totals.evictedCount.get();
    }

    /**
     * Returns the number of shards.
     *
     * @return the shard count
     */
    public int shards() {
        return shards.length;
    }

    /**
     * Returns the weight of one shard.
     *
     * @param shard the shard index, 0 to {@code shards() - 1}
     * @return the shard's weight
     */
    public long shardWeight(int shard) {
        return shards[Objects.checkIndex(shard, shards.length)].weight();
    }

    /**
     * Returns the entry count of one shard.
     *
     * @param shard the shard index, 0 to {@code shards() - 1}
     * @return the shard's entry count
     */
    public int shardSize(int shard) {
        return shards[Objects.checkIndex(shard, shards.length)].size();
    }

    /**
     * Returns the weight limit.
     *
     * @return the weight limit
     */
    public long weightLimit() {
        return weightLimit;
    }

    /**
     * Returns the item-count watermark ({@link Long#MAX_VALUE} when none was set).
     *
     * @return the watermark
     */
    public long watermark() {
        return watermark;
    }

    /**
     * Returns the index of the shard a key belongs to.
     *
     * @param key the key
     * @return the shard index
     */
    public int shardOf(K key) {
        return (int) Long.remainderUnsigned(Hashing.spread(key.hashCode()), shards.length);
    }

    private boolean overLimit() {
        return totals.weight.get() > weightLimit || totals.size.get() > watermark;
    }
}
