package net.proxy.lru;

import java.util.concurrent.atomic.AtomicLong;

/** Cache-wide figures of an {@link Lru}, updated by its shards under their locks. */
final class LruTotals {
    final AtomicLong weight = new AtomicLong();
    final AtomicLong size = new AtomicLong();
    final AtomicLong evictedWeight = new AtomicLong();
    final AtomicLong evictedCount = new AtomicLong();

    void added(long entryWeight) {
        weight.addAndGet(entryWeight);
        size.incrementAndGet();
    }

    void reweighed(long delta) {
        weight.addAndGet(delta);
    }

    void removed(long entryWeight, boolean evicted) {
        weight.addAndGet(-entryWeight);
        size.decrementAndGet();
        if (evicted) {
            evictedWeight.addAndGet(entryWeight);
            evictedCount.incrementAndGet();
        }
    }
}
