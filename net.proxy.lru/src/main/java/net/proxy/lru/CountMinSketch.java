package net.proxy.lru;

/**
 * A count-min sketch of 4-bit saturating counters that estimates how often a key was seen recently;
 * TinyLFU's frequency filter. Not thread-safe: {@link TinyUfo} only touches it under its write lock.
 *
 * <p>Sizing: {@code depth = 4} rows of {@code width = max(64, nextPowerOfTwo(2 × expectedItems))} counters,
 * sixteen counters packed in each {@code long}, i.e. about 4 bytes per expected item (sizing is capped at
 * 2^26 expected items).
 */
final class CountMinSketch {
    /*
     * How it works. A key's 32-bit hash code is spread to 64 bits (Hashing.spread); its low and high halves
     * h1 and h2 give the counter of row i at column (h1 + i * h2) mod width, the double-hashing scheme of
     * Kirsch and Mitzenmacher [3], which is as good as four independent hash functions for this purpose.
     * The estimate is the minimum of the four counters [1]: every counter over-counts (other keys share
     * it), so the smallest is the tightest bound. Increments are conservative [4]: only the counters that
     * equal the current minimum are raised, which keeps the over-counting of rare keys low. Counters
     * saturate at 15 - TinyLFU only needs to rank a candidate against a victim, and hot keys are all
     * "hot enough" [2].
     *
     * Aging (TinyLFU's reset [2]): after sampleSize = 10 × expectedItems increments, every counter is
     * halved (one shift and mask per long), so popularity decays and yesterday's hot keys make room for
     * today's. Halving keeps the relative order of keys while bounding the counters.
     *
     * [1] G. Cormode, S. Muthukrishnan, "An improved data stream summary: the count-min sketch and its
     *     applications", Journal of Algorithms 55(1), 2005, https://doi.org/10.1016/j.jalgor.2003.12.001
     * [2] G. Einziger, R. Friedman, B. Manes, "TinyLFU: A Highly Efficient Cache Admission Policy",
     *     ACM Transactions on Storage 13(4), 2017, https://doi.org/10.1145/3149371
     * [3] A. Kirsch, M. Mitzenmacher, "Less hashing, same performance: building a better Bloom filter",
     *     ESA 2006, https://doi.org/10.1007/11841036_42
     * [4] C. Estan, G. Varghese, "New directions in traffic measurement and accounting", SIGCOMM 2002,
     *     https://doi.org/10.1145/633025.633056
     */

    static final int DEPTH = 4;
    static final int MAX_COUNT = 15;
    /** Sizing stops growing here (2^26 items: a 256 MiB sketch). */
    static final int MAX_EXPECTED_ITEMS = 1 << 26;

    private static final long HALF_MASK = 0x7777_7777_7777_7777L;

    private final long[] table;
    private final int widthMask;
    private final int rowLongs;
    private final int sampleSize;
    private int additions;

    CountMinSketch(int expectedItems) {
        int target = 2 * Math.max(1, Math.min(expectedItems, MAX_EXPECTED_ITEMS));
        int width = Math.max(64, Integer.highestOneBit(target - 1) << 1);
        this.widthMask = width - 1;
        this.rowLongs = width >>> 4;
        this.table = new long[rowLongs * DEPTH];
        this.sampleSize = (int) Math.min(Integer.MAX_VALUE, 10L * Math.max(expectedItems, 16));
    }

    /** The estimated recent frequency of a key with this hash code, 0 to 15. */
    int frequency(int hashCode) {
        long h = Hashing.spread(hashCode);
        return minimum((int) h, (int) (h >>> 32) | 1);
    }

    /** Counts one more sighting of a key with this hash code, aging the sketch when the sample is full. */
    void increment(int hashCode) {
        long h = Hashing.spread(hashCode);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        int min = minimum(h1, h2);
        if (min == MAX_COUNT) {
            return;
        }
        for (int row = 0; row < DEPTH; row++) {
            int column = (h1 + row * h2) & widthMask;
            if (counter(row, column) == min) {
                table[row * rowLongs + (column >>> 4)] += 1L << ((column & 15) << 2);
            }
        }
        if (++additions >= sampleSize) {
            age();
        }
    }

    private int minimum(int h1, int h2) {
        int min = MAX_COUNT;
        for (int row = 0; row < DEPTH; row++) {
            min = Math.min(min, counter(row, (h1 + row * h2) & widthMask));
        }
        return min;
    }

    private int counter(int row, int column) {
        return (int) (table[row * rowLongs + (column >>> 4)] >>> ((column & 15) << 2)) & 0xF;
    }

    private void age() {
        for (int i = 0; i < table.length; i++) {
            table[i] = (table[i] >>> 1) & HALF_MASK;
        }
        additions >>>= 1;
    }
}
