package net.proxy.lru;

/**
 * Spreads a 32-bit {@code hashCode} over 64 bits so that weak hash codes (small integers, strings that
 * differ in their last character) still pick independent sketch slots and shards.
 *
 * <p>The mixer is the finaliser of SplitMix64 [1], applied to the hash code scaled by the 64-bit golden
 * ratio. It is a bijection, so distinct hash codes stay distinct.
 *
 * <p>[1] G. L. Steele, D. Lea, C. H. Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014,
 * https://doi.org/10.1145/2714064.2660195
 */
final class Hashing {

    private Hashing() {}

    static long spread(int hashCode) {
        long z = hashCode * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
