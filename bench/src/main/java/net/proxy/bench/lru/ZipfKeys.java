package net.proxy.bench.lru;

import java.util.SplittableRandom;

/**
 * Draws keys 0..n-1 with Zipf-distributed popularity (rank r has weight 1 / r^alpha) from a fixed seed,
 * so every run and every cache sees the same trace. Ranks are scrambled by a seeded permutation so that
 * popular keys are not simply the small integers.
 */
final class ZipfKeys {
    private final double[] cdf;
    private final int[] rankToKey;
    private final SplittableRandom random;

    ZipfKeys(int n, double alpha, long seed) {
        cdf = new double[n];
        double sum = 0;
        for (int rank = 0; rank < n; rank++) {
            sum += 1 / Math.pow(rank + 1, alpha);
            cdf[rank] = sum;
        }
        for (int rank = 0; rank < n; rank++) {
            cdf[rank] /= sum;
        }
        random = new SplittableRandom(seed);
        rankToKey = new int[n];
        for (int i = 0; i < n; i++) {
            rankToKey[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rankToKey[i];
            rankToKey[i] = rankToKey[j];
            rankToKey[j] = t;
        }
    }

    int next() {
        double u = random.nextDouble();
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return rankToKey[lo];
    }

    int[] fill(int[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = next();
        }
        return out;
    }
}
