package net.proxy.lb;

import java.util.List;
import net.proxy.lb.spi.Selector;

/** Pingora's {@code FNVHash} selection: hash the key, pick by weight, re-hash for failover. */
final class FnvHash implements Selector {
    /*
     * As Pingora's Weighted<FnvHasher>: each backend index is repeated weight times in an array; the first pick is
     * array[h % len] where h = FNV-1a-64(key). Failover ignores weights: h = FNV-1a-64(h as 8 little-endian bytes)
     * and the pick is backends[h % n]. Pingora's iterator may repeat a backend (its UniqueIterator drops
     * duplicates); here duplicates are skipped directly, and after 4n + 16 re-hashes without a new backend the rest
     * are proposed in order, so the walk always ends.
     *
     * [1] Fowler, Noll, Vo, "FNV hash", http://www.isthe.com/chongo/tech/comp/fnv/
     * [2] Pingora, pingora-load-balancing/src/selection/weighted.rs
     */
    static final SelectionAlgorithm ALGORITHM =
            SelectionAlgorithm.of("fnv", false, (backends, active) -> new FnvHash(backends));

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private final Backend[] backends;
    private final int[] weighted;

    FnvHash(List<Backend> list) {
        this.backends = list.toArray(new Backend[0]);
        long total = 0;
        for (Backend b : backends) {
            total += b.weight();
        }
        if (total > SmoothWeightedRoundRobin.MAX_PERIOD) {
            throw new IllegalArgumentException(
                    "sum of weights: " + total + " (expected: <= " + SmoothWeightedRoundRobin.MAX_PERIOD + ")");
        }
        this.weighted = new int[(int) total];
        int k = 0;
        for (int i = 0; i < backends.length; i++) {
            for (int w = 0; w < backends[i].weight(); w++) {
                weighted[k++] = i;
            }
        }
    }

    /** FNV-1a, 64 bits. */
    static long fnv1a(byte[] data) {
        long h = OFFSET;
        for (byte b : data) {
            h ^= b & 0xff;
            h *= PRIME;
        }
        return h;
    }

    static long rehash(long h) {
        long x = OFFSET;
        for (int i = 0; i < 8; i++) {
            x ^= (h >>> (8 * i)) & 0xff;
            x *= PRIME;
        }
        return x;
    }

    @Override
    public Candidates select(byte[] key) {
        int n = backends.length;
        if (n == 0) {
            return () -> null;
        }
        Seen seen = new Seen(n);
        long first = fnv1a(key);
        return new Candidates() {
            private long h = first;
            private boolean started;
            private int misses;
            private int last;

            @Override
            public Backend next() {
                if (!started) {
                    started = true;
                    last = weighted[(int) Long.remainderUnsigned(h, weighted.length)];
                    seen.add(last);
                    return backends[last];
                }
                while (!seen.full() && misses < 4 * n + 16) {
                    h = rehash(h);
                    last = (int) Long.remainderUnsigned(h, n);
                    if (seen.add(last)) {
                        return backends[last];
                    }
                    misses++;
                }
                int i = seen.takeNextFrom(last);
                return i < 0 ? null : backends[i];
            }
        };
    }
}
