package net.proxy.lb;

/** A fixed-size bit set of backend indices already proposed, so candidates stay distinct. */
final class Seen {
    private final long[] bits;
    private final int size;
    private int count;

    Seen(int size) {
        this.size = size;
        this.bits = new long[(size + 63) >>> 6];
    }

    /** Marks {@code i}; returns false if it was already marked. */
    boolean add(int i) {
        long mask = 1L << i;
        int w = i >>> 6;
        if ((bits[w] & mask) != 0) {
            return false;
        }
        bits[w] |= mask;
        count++;
        return true;
    }

    boolean contains(int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    boolean full() {
        return count >= size;
    }

    /** The first unmarked index from {@code from} on (wrapping), marked; -1 if all are marked. */
    int takeNextFrom(int from) {
        if (full()) {
            return -1;
        }
        for (int k = 0; k < size; k++) {
            int i = (from + k) % size;
            if (add(i)) {
                return i;
            }
        }
        return -1;
    }
}
