package net.proxy.lru;

/**
 * Builds a {@link TinyUfo}. Defaults: weight limit 1024; estimated size equal to the weight limit (capped
 * at 2^26), which sizes the TinyLFU sketch (about 4 bytes per estimated entry).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TinyUfoBuilder<K, V> {
    private long weightLimit = 1024;
    private int estimatedSize = -1;

    TinyUfoBuilder() {}

    /**
     * Sets the total weight the cache evicts down to.
     *
     * @param weightLimit the limit, at least 1 (default 1024)
     * @return this builder
     */
    public TinyUfoBuilder<K, V> weightLimit(long weightLimit) {
        this.weightLimit = Checks.atLeast("weightLimit", weightLimit, 1);
        return this;
    }

    /**
     * Sets how many entries the cache is expected to hold, which sizes the frequency sketch; with weighted
     * entries this is the weight limit divided by the typical weight.
     *
     * @param estimatedSize the expected entry count, at least 1 (default: the weight limit)
     * @return this builder
     */
    public TinyUfoBuilder<K, V> estimatedSize(int estimatedSize) {
        this.estimatedSize = Checks.atLeast("estimatedSize", estimatedSize, 1);
        return this;
    }

    /**
     * Builds the cache.
     *
     * @param <K1> the key type
     * @param <V1> the value type
     * @return a new, empty cache
     */
    public <K1 extends K, V1 extends V> TinyUfo<K1, V1> build() {
        int size = estimatedSize > 0 ? estimatedSize : (int) Math.min(weightLimit, CountMinSketch.MAX_EXPECTED_ITEMS);
        return new TinyUfo<>(weightLimit, size);
    }
}
