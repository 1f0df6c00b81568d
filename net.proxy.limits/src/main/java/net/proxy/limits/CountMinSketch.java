package net.proxy.limits;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free count-min sketch: an estimate of how often each key was counted, in fixed memory
 * ({@code rows × slots × 8} bytes) whatever the number of distinct keys.
 *
 * <p>Estimates never undercount a key whose counts were only added: {@link #get} returns the true
 * count plus the counts of the keys that collide with it in its least crowded row. With {@code N} total
 * counts, {@code slots = w} and {@code rows = d}, the overcount exceeds {@code e·N/w} with probability at
 * most {@code e^-d} [1]. Counters are {@code long}s that wrap on overflow (after 2<sup>63</sup>).
 *
 * <p>All methods are thread-safe and lock-free; every update is one atomic add per row, so concurrent
 * {@link #incr} calls on one key never lose an update. {@link #reset} is not atomic with respect to
 * concurrent updates: an update racing with it may survive in some rows.
 *
 * <p>Keys are hashed through their {@link Object#hashCode()}, which must therefore be value based:
 * wrap a {@code byte[]} in a {@link java.nio.ByteBuffer} or a {@code String}, never pass the array itself.
 * Seeds are fixed ({@code 0x5DEECE66D} unless {@link #of(int, int, long)} is given another), see below.
 *
 * <pre>{@code
 * CountMinSketch sketch = CountMinSketch.of(4, 1024);   // 32 KiB
 * sketch.incr("10.0.0.1", 1);                          // returns the new estimate
 * long seen = sketch.get("10.0.0.1");
 * }</pre>
 */
public final class CountMinSketch {

    /*
     * How it works. The counters form one flat AtomicLongArray, row after row. A key's 32-bit
     * hashCode() is mixed with each row's own 64-bit seed through the SplitMix64 finalizer (Stafford's
     * "Mix13"), whose full avalanche makes the rows behave as independent hash functions; the high 32
     * bits of the result are mapped onto [0, slots) with Lemire's multiply-shift reduction, so any
     * slot count works and no division is needed. incr adds to one counter per row with getAndAdd
     * (lock xadd on x86) and returns the minimum of the new values; get returns the minimum of the
     * current values; decr subtracts the same way (a decremented sketch still never undercounts keys
     * whose own decrements match earlier increments, which is how Inflight uses it).
     *
     * Seeds: fixed by default, derived from one master seed by SplitMix64 stepping. Random seeds
     * (as Pingora's ahash RandomState) would make collisions differ per process, but they buy little
     * here: two keys with equal hashCode() collide in every row whatever the seeds, and Java's
     * String.hashCode() collisions are trivial to craft, so an adversary is not stopped by seeding
     * after hashCode(). Fixed seeds instead make estimates, tests and cross-instance comparisons
     * reproducible. A caller who wants per-instance seeds passes one (e.g. from SecureRandom) to
     * of(rows, slots, seed).
     *
     * [1] G. Cormode, S. Muthukrishnan, An improved data stream summary: the count-min sketch and its
     *     applications, Journal of Algorithms 55(1), 2005,
     *     http://dimacs.rutgers.edu/~graham/pubs/papers/cm-full.pdf
     * [2] D. Lemire, A fast alternative to the modulo reduction, 2016,
     *     https://lemire.me/blog/2016/06/27/a-fast-alternative-to-the-modulo-reduction/
     * [3] D. Stafford, Better bit mixing - improving on MurmurHash3's 64-bit finalizer, 2011,
     *     https://zimbry.blogspot.com/2011/09/better-bit-mixing-improving-on.html
     */

    /** The largest {@code rows × slots} accepted (the limit of a Java array). */
    public static final int MAX_COUNTERS = Integer.MAX_VALUE - 8;

    private final int rows;
    private final int slots;
    private final long[] seeds;
    private final AtomicLongArray counters;

    private CountMinSketch(int rows, int slots, long seed) {
        this.rows = rows;
        this.slots = slots;
        this.seeds = new long[rows];
        for (int row = 0; row < rows; row++) {
            seeds[row] = KeyHash.rowSeed(seed, row);
        }
        this.counters = new AtomicLongArray(rows * slots);
    }

    /**
     * A sketch with the default fixed seed.
     *
     * @param rows  hash functions (Pingora uses 4); more rows, fewer overcounts
     * @param slots counters per row (Pingora's {@code Rate} uses 1024, {@code Inflight} 8192)
     * @return an empty sketch
     * @throws IllegalArgumentException if {@code rows} or {@code slots} is not positive, or their
     *     product exceeds {@link #MAX_COUNTERS}
     */
    public static CountMinSketch of(int rows, int slots) {
        return of(rows, slots, KeyHash.DEFAULT_SEED);
    }

    /**
     * A sketch whose row seeds derive from {@code seed}; sketches with equal seeds and sizes map every
     * key to the same counters.
     *
     * @param rows  hash functions
     * @param slots counters per row
     * @param seed  master seed
     * @return an empty sketch
     * @throws IllegalArgumentException if {@code rows} or {@code slots} is not positive, or their
     *     product exceeds {@link #MAX_COUNTERS}
     */
    public static CountMinSketch of(int rows, int slots, long seed) {
        Checks.positive("rows", rows);
        Checks.positive("slots", slots);
        if ((long) rows * slots > MAX_COUNTERS) {
            throw new IllegalArgumentException(
                    "rows * slots: " + (long) rows * slots + " (expected: <= " + MAX_COUNTERS + ")");
        }
        return new CountMinSketch(rows, slots, seed);
    }

    /**
     * Adds {@code n} to the key's counters.
     *
     * @param key a key with a value-based {@code hashCode()}
     * @param n   how many, {@code >= 0}
     * @return the key's estimate after the addition
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public long incr(Object key, long n) {
        Checks.nonNegative("n", n);
        return add(KeyHash.of(key), n);
    }

    /**
     * Subtracts {@code n} from the key's counters (undoes an earlier {@link #incr}).
     *
     * @param key the key
     * @param n   how many, {@code >= 0}
     * @return the key's estimate after the subtraction
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public long decr(Object key, long n) {
        Checks.nonNegative("n", n);
        return add(KeyHash.of(key), -n);
    }

    /**
     * The key's estimate: the minimum of its counters, never below its true count.
     *
     * @param key the key
     * @return the estimate, 0 for a key never counted unless every row collides
     */
    public long get(Object key) {
        long hash = KeyHash.of(key);
        long min = Long.MAX_VALUE;
        for (int row = 0, base = 0; row < rows; row++, base += slots) {
            min = Math.min(min, counters.get(base + KeyHash.slot(hash, seeds[row], slots)));
        }
        return min;
    }

    /** Sets every counter to zero (counter by counter; see the class note on concurrency). */
    public void reset() {
        for (int i = 0, n = counters.length(); i < n; i++) {
            counters.set(i, 0);
        }
    }

    /**
     * Rows (hash functions).
     *
     * @return the row count given at construction
     */
    public int rows() {
        return rows;
    }

    /**
     * Counters per row.
     *
     * @return the slot count given at construction
     */
    public int slots() {
        return slots;
    }

    private long add(long hash, long delta) {
        long min = Long.MAX_VALUE;
        for (int row = 0, base = 0; row < rows; row++, base += slots) {
            min = Math.min(min, counters.addAndGet(base + KeyHash.slot(hash, seeds[row], slots), delta));
        }
        return min;
    }

    @Override
    public String toString() {
        return "CountMinSketch[rows=" + rows + ", slots=" + slots + "]";
    }
}
