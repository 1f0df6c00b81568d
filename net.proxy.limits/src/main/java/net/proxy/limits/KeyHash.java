package net.proxy.limits;

import java.util.Objects;

/**
 * The hashing shared by the sketch and the limiter: a key's {@code hashCode()} spread over 64 bits by
 * a per-row seeded mixer, then mapped onto {@code [0, slots)} without division.
 */
final class KeyHash {

    /** Default seed of every sketch and limiter: fixed, so estimates are reproducible run to run. */
    static final long DEFAULT_SEED = 0x5DEECE66DL;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private KeyHash() {}

    /** The key's 32-bit hash code widened to a long; rejects {@code null} keys. */
    static long of(Object key) {
        return Objects.requireNonNull(key, "key").hashCode();
    }

    /** Derives the seed of row {@code row} from a master seed (SplitMix64 stepping). */
    static long rowSeed(long seed, int row) {
        return mix64(seed + (row + 1L) * GOLDEN_GAMMA);
    }

    /** The slot in {@code [0, slots)} of a key hash in the row with seed {@code rowSeed}. */
    static int slot(long hash, long rowSeed, int slots) {
        long mixed = mix64(hash ^ rowSeed);
        return (int) (((mixed >>> 32) * slots) >>> 32);
    }

    /** Stafford's variant 13 of the MurmurHash3 64-bit finalizer (the SplitMix64 output function). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
