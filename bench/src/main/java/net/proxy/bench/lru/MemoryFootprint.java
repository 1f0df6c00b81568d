package net.proxy.bench.lru;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Locale;
import java.util.function.IntFunction;
import net.proxy.bench.HeapFootprint;
import net.proxy.lru.Lru;
import net.proxy.lru.TinyUfo;

/**
 * Measures the heap a cache needs per entry: used heap after forced collections with the cache full,
 * minus used heap with it empty, divided by the entry count. Keys and values are allocated beforehand and
 * shared by every cache, so only the cache's own structures (nodes, hash tables, queues, sketch) count.
 * Forced GC makes the figures stable to within a few bytes per entry; they are averages over 10^5
 * entries, not exact object sizes.
 */
final class MemoryFootprint {
    private static final int ENTRIES = 100_000;

    private MemoryFootprint() {}

    static void print(Integer[] keys) {
        System.out.printf(Locale.ROOT, "Heap per entry (bytes, %,d entries, keys and values excluded)%n", ENTRIES);
        System.out.printf(Locale.ROOT, "  TinyUfo  %6.1f%n", measure(keys, n -> {
            TinyUfo<Integer, Integer> cache = TinyUfo.builder().weightLimit(n).build();
            for (int i = 0; i < n; i++) {
                cache.forcePut(keys[i], keys[i], 1);
            }
            return cache;
        }));
        System.out.printf(Locale.ROOT, "  LRU      %6.1f%n", measure(keys, n -> {
            Lru<Integer, Integer> cache = Lru.builder().weightLimit(n).build();
            for (int i = 0; i < n; i++) {
                cache.admit(keys[i], keys[i], 1);
            }
            return cache;
        }));
        System.out.printf(Locale.ROOT, "  Caffeine %6.1f%n", measure(keys, n -> {
            Cache<Integer, Integer> cache =
                    Caffeine.newBuilder().maximumSize(n).executor(Runnable::run).build();
            for (int i = 0; i < n; i++) {
                cache.put(keys[i], keys[i]);
            }
            cache.cleanUp();
            return cache;
        }));
    }

    private static double measure(Integer[] keys, IntFunction<Object> fill) {
        return HeapFootprint.retainedBytes(() -> fill.apply(ENTRIES)) / (double) ENTRIES;
    }
}
