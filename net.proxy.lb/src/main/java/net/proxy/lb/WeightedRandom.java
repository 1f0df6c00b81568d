package net.proxy.lb;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import net.proxy.lb.spi.Selector;

/** Weighted random selection without replacement. */
final class WeightedRandom implements Selector {
    /*
     * Each pick draws r uniformly in [0, remaining total weight) and walks the backends not yet proposed,
     * subtracting weights until r falls inside one: probability weight/remaining-total. A proposed backend's weight
     * leaves the total, so failover picks are distinct and still weighted. O(n) per pick, no shared state. The first
     * pick has the distribution of Pingora's Weighted<Random> (a uniform index into the weight-expanded backend
     * array); its failover draws uniformly among all backends and may repeat, where this one stays weighted and
     * distinct.
     *
     * [1] Pingora, pingora-load-balancing/src/selection/weighted.rs and algorithms.rs (Random)
     */
    static final SelectionAlgorithm ALGORITHM =
            SelectionAlgorithm.of("random", false, (backends, active) -> new WeightedRandom(backends));

    private final Backend[] backends;
    private final long total;

    WeightedRandom(List<Backend> list) {
        this.backends = list.toArray(new Backend[0]);
        long t = 0;
        for (Backend b : backends) {
            t += b.weight();
        }
        this.total = t;
    }

    @Override
    public Candidates select(byte[] key) {
        Seen seen = new Seen(backends.length);
        return new Candidates() {
            private long remaining = total;

            @Override
            public Backend next() {
                if (seen.full()) {
                    return null;
                }
                long r = ThreadLocalRandom.current().nextLong(remaining);
                for (int i = 0; i < backends.length; i++) {
                    if (seen.contains(i)) {
                        continue;
                    }
                    r -= backends[i].weight();
                    if (r < 0) {
                        seen.add(i);
                        remaining -= backends[i].weight();
                        return backends[i];
                    }
                }
                return null;
            }
        };
    }
}
