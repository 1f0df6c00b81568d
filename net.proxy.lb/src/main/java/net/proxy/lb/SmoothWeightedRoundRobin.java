package net.proxy.lb;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.proxy.lb.spi.Selector;

/**
 * Smooth weighted round robin, producing exactly nginx's sequence, lock-free.
 */
final class SmoothWeightedRoundRobin implements Selector {
    /*
     * nginx's algorithm keeps a current weight per peer: on each pick every peer's current weight grows by its
     * weight, the peer with the greatest current weight wins (ties: the first in order), and the winner's current
     * weight drops by the total weight. The sequence is periodic with period total/gcd(weights), and within one
     * period each peer appears weight/gcd times, interleaved as evenly as possible (5,1,1 -> a a b a c a a).
     *
     * Running that state machine needs a lock or a CAS loop over all peers. Instead the period is computed once
     * when the backend set is built and a single atomic counter indexes it: same sequence, one fetch-and-add per
     * request. Failover walks the period forward from the pick, skipping backends already proposed; every backend
     * appears in one period, so the walk finds all of them. The period is limited to 1,048,576 entries (weights are
     * divided by their gcd first).
     *
     * [1] nginx, "Upstream: smooth weighted round-robin balancing", commit 52327e0627f4,
     *     https://github.com/nginx/nginx/commit/52327e0627f49dbda1e8db695e63a4b0af4448b1
     */
    static final SelectionAlgorithm ALGORITHM =
            SelectionAlgorithm.of("round-robin", false, (backends, active) -> new SmoothWeightedRoundRobin(backends));

    static final int MAX_PERIOD = 1 << 20;

    private final Backend[] backends;
    private final int[] sequence;
    private final AtomicLong counter = new AtomicLong();

    SmoothWeightedRoundRobin(List<Backend> list) {
        this.backends = list.toArray(new Backend[0]);
        this.sequence = sequence(backends);
    }

    static int[] sequence(Backend[] backends) {
        int n = backends.length;
        if (n == 0) {
            return new int[0];
        }
        int g = 0;
        for (Backend b : backends) {
            g = gcd(g, b.weight());
        }
        int[] weight = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            weight[i] = backends[i].weight() / g;
            total += weight[i];
        }
        if (total > MAX_PERIOD) {
            throw new IllegalArgumentException("sum of weights / gcd: " + total + " (expected: <= " + MAX_PERIOD + ")");
        }
        int[] seq = new int[(int) total];
        long[] current = new long[n];
        for (int s = 0; s < seq.length; s++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += weight[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            seq[s] = best;
        }
        return seq;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public Candidates select(byte[] key) {
        int n = backends.length;
        if (n == 0) {
            return () -> null;
        }
        int period = sequence.length;
        int start = (int) Long.remainderUnsigned(counter.getAndIncrement(), period);
        return new Candidates() {
            private int pos = start;
            private int first = -1;
            private Seen seen;

            @Override
            public Backend next() {
                if (first < 0) {
                    first = sequence[pos];
                    pos = pos + 1 == period ? 0 : pos + 1;
                    return backends[first];
                }
                if (seen == null) {
                    seen = new Seen(n);
                    seen.add(first);
                }
                while (!seen.full()) {
                    int i = sequence[pos];
                    pos = pos + 1 == period ? 0 : pos + 1;
                    if (seen.add(i)) {
                        return backends[i];
                    }
                }
                return null;
            }
        };
    }
}
