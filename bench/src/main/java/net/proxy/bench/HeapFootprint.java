package net.proxy.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.function.Supplier;

/**
 * Measures how many heap bytes a structure keeps alive: used heap after forced collections, before and
 * after building it, while the result is still reachable. Coarse (a few hundred bytes of noise), so
 * callers build many instances or many entries and divide.
 */
public final class HeapFootprint {

    private static final int COLLECTIONS = 5;

    private HeapFootprint() {}

    /**
     * Builds an object graph and returns the heap it retains.
     *
     * @param build creates the structure to measure (build many and return them together to average out noise)
     * @return the growth of used heap, in bytes, while the built object is reachable
     */
    public static long retainedBytes(Supplier<?> build) {
        long before = usedHeap();
        Object built = build.get();
        long after = usedHeap();
        Reference.reachabilityFence(built);
        return after - before;
    }

    private static long usedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < COLLECTIONS; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
