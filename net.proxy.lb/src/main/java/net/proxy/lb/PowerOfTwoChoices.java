package net.proxy.lb;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import net.proxy.lb.spi.Selector;

/** Least connections approximated by the power of two random choices, weighted. */
final class PowerOfTwoChoices implements Selector {
    /*
     * Scanning every backend for the least loaded one costs O(n) and herds all proxies onto the same backend between
     * updates. Instead pick two distinct backends at random (among those not yet proposed) and take the one with
     * fewer requests in flight per unit of weight (compared as a1 * w2 < a2 * w1, no division); ties go to the
     * heavier backend. Mitzenmacher shows two choices already bring the maximum load down exponentially compared
     * with one. Failover repeats the draw among the rest; the last one left is proposed alone.
     *
     * [1] M. Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing", IEEE TPDS 12(10), 2001,
     *     https://www.eecs.harvard.edu/~michaelm/postscripts/tpds2001.pdf
     */
    static final SelectionAlgorithm ALGORITHM =
            SelectionAlgorithm.of("least-conn", true, (backends, active) -> new PowerOfTwoChoices(backends, active));

    private final Backend[] backends;
    private final IntUnaryOperator active;

    PowerOfTwoChoices(List<Backend> list, IntUnaryOperator active) {
        this.backends = list.toArray(new Backend[0]);
        this.active = active;
    }

    @Override
    public Candidates select(byte[] key) {
        int n = backends.length;
        Seen seen = new Seen(n);
        return () -> {
            int left = 0;
            for (int i = 0; i < n; i++) {
                if (!seen.contains(i)) {
                    left++;
                }
            }
            if (left == 0) {
                return null;
            }
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            int a = nthUnseen(seen, rnd.nextInt(left));
            int pick = a;
            if (left > 1) {
                int r = rnd.nextInt(left - 1);
                int b = nthUnseenExcept(seen, r, a);
                pick = better(a, b) ? a : b;
            }
            seen.add(pick);
            return backends[pick];
        };
    }

    private boolean better(int a, int b) {
        long la = (long) active.applyAsInt(a) * backends[b].weight();
        long lb = (long) active.applyAsInt(b) * backends[a].weight();
        return la != lb ? la < lb : backends[a].weight() >= backends[b].weight();
    }

    private int nthUnseen(Seen seen, int nth) {
        return nthUnseenExcept(seen, nth, -1);
    }

    private int nthUnseenExcept(Seen seen, int nth, int except) {
        for (int i = 0; i < backends.length; i++) {
            if (i != except && !seen.contains(i) && nth-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("no unseen backend left");
    }
}
