package net.proxy.lru;

/**
 * Builds an {@link Lru}. Defaults: 16 shards, weight limit {@link Long#MAX_VALUE}, no item-count
 * watermark ({@link Long#MAX_VALUE}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LruBuilder<K, V> {
    private int shards = 16;
    private long weightLimit = Long.MAX_VALUE;
    private long watermark = Long.MAX_VALUE;

    LruBuilder() {}

    /**
     * Sets the number of independent shards; more shards mean less lock contention between writers.
     *
     * @param shards 1 to {@link Lru#MAX_SHARDS} (default 16)
     * @return this builder
     */
    public LruBuilder<K, V> shards(int shards) {
        Checks.atLeast("shards", shards, 1);
        if (shards > Lru.MAX_SHARDS) {
            throw new IllegalArgumentException("shards: " + shards + " (expected: <= " + Lru.MAX_SHARDS + ")");
        }
        this.shards = shards;
        return this;
    }

    /**
     * Sets the total weight that {@link Lru#evictToLimit()} evicts down to.
     *
     * @param weightLimit at least 1 (default {@link Long#MAX_VALUE})
     * @return this builder
     */
    public LruBuilder<K, V> weightLimit(long weightLimit) {
        this.weightLimit = Checks.atLeast("weightLimit", weightLimit, 1);
        return this;
    }

    /**
     * Sets the entry count that {@link Lru#evictToLimit()} evicts down to, whatever the weight.
     *
     * @param watermark at least 1 (default: none)
     * @return this builder
     */
    public LruBuilder<K, V> watermark(long watermark) {
        this.watermark = Checks.atLeast("watermark", watermark, 1);
        return this;
    }

    /**
     * Builds the index.
     *
     * @param <K1> the key type
     * @param <V1> the value type
     * @return a new, empty index
     */
    public <K1 extends K, V1 extends V> Lru<K1, V1> build() {
        return new Lru<>(shards, weightLimit, watermark);
    }
}
