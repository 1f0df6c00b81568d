package net.proxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CountMinSketchTest {

    @Test
    void incrReturnsTheNewEstimateAndGetReadsIt() {
        CountMinSketch sketch = CountMinSketch.of(4, 1024);
        assertEquals(3, sketch.incr("a", 3));
        assertEquals(5, sketch.incr("a", 2));
        assertEquals(1, sketch.incr("b", 1));
        assertEquals(5, sketch.get("a"));
        assertEquals(1, sketch.get("b"));
        assertEquals(0, sketch.get("never"));
    }

    @Test
    void decrUndoesIncr() {
        CountMinSketch sketch = CountMinSketch.of(3, 64);
        sketch.incr(42, 10);
        assertEquals(7, sketch.decr(42, 3));
        assertEquals(7, sketch.get(42));
        assertEquals(0, sketch.decr(42, 7));
    }

    @Test
    void resetClearsEveryCounter() {
        CountMinSketch sketch = CountMinSketch.of(2, 16);
        for (int i = 0; i < 100; i++) {
            sketch.incr(i, i);
        }
        sketch.reset();
        for (int i = 0; i < 100; i++) {
            assertEquals(0, sketch.get(i));
        }
    }

    @Test
    void neverUndercountsAndOvercountsWithinTheCountMinBound() {
        // 4 rows x 512 slots, 5,000 keys with counts 1..5,000: N = 12.5M; the bound e*N/w = 66,000.
        CountMinSketch sketch = CountMinSketch.of(4, 512);
        long total = 0;
        for (int key = 1; key <= 5_000; key++) {
            sketch.incr("key-" + key, key);
            total += key;
        }
        double bound = Math.E * total / 512;
        int beyondBound = 0;
        for (int key = 1; key <= 5_000; key++) {
            long estimate = sketch.get("key-" + key);
            assertTrue(estimate >= key, () -> "undercount " + estimate);
            if (estimate - key > bound) {
                beyondBound++;
            }
        }
        // P(error > bound) <= e^-4 = 1.8%: allow 2.5% of keys.
        assertTrue(beyondBound <= 125, "keys beyond the bound: " + beyondBound);
    }

    @Test
    void sameSeedSameCountersDifferentSeedDifferentCollisions() {
        CountMinSketch a = CountMinSketch.of(1, 8);
        CountMinSketch b = CountMinSketch.of(1, 8);
        CountMinSketch c = CountMinSketch.of(1, 8, 12345);
        int differ = 0;
        for (int key = 0; key < 64; key++) {
            a.reset();
            b.reset();
            c.reset();
            a.incr(key, 1);
            b.incr(key, 1);
            c.incr(key, 1);
            for (int other = 0; other < 8; other++) {
                assertEquals(a.get(other), b.get(other));
                if (a.get(other) != c.get(other)) {
                    differ++;
                }
            }
        }
        assertTrue(differ > 0, "another seed must map keys elsewhere");
    }

    @Test
    void concurrentIncrementsOfOneKeyLoseNoUpdate() throws Exception {
        CountMinSketch sketch = CountMinSketch.of(4, 1024);
        int threads = 4;
        int perThread = 100_000;
        runConcurrently(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                sketch.incr("hot", 1);
            }
        });
        assertEquals((long) threads * perThread, sketch.get("hot"));
    }

    @Test
    void concurrentIncrementsAndDecrementsBalanceToZero() throws Exception {
        CountMinSketch sketch = CountMinSketch.of(2, 256);
        runConcurrently(4, () -> {
            for (int i = 0; i < 50_000; i++) {
                sketch.incr(i % 7, 2);
                sketch.decr(i % 7, 2);
            }
        });
        for (int key = 0; key < 7; key++) {
            assertEquals(0, sketch.get(key));
        }
    }

    @Test
    void rejectsBadArgumentsWithClearMessages() {
        assertEquals(
                "rows: 0 (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> CountMinSketch.of(0, 8))
                        .getMessage());
        assertEquals(
                "slots: -1 (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> CountMinSketch.of(4, -1))
                        .getMessage());
        assertEquals(
                "rows * slots: 4294967296 (expected: <= 2147483639)",
                assertThrows(IllegalArgumentException.class, () -> CountMinSketch.of(65536, 65536))
                        .getMessage());
        CountMinSketch sketch = CountMinSketch.of(1, 1);
        assertEquals(
                "n: -1 (expected: >= 0)",
                assertThrows(IllegalArgumentException.class, () -> sketch.incr("k", -1))
                        .getMessage());
        assertEquals(
                "n: -5 (expected: >= 0)",
                assertThrows(IllegalArgumentException.class, () -> sketch.decr("k", -5))
                        .getMessage());
        assertEquals(
                "key",
                assertThrows(NullPointerException.class, () -> sketch.get(null)).getMessage());
    }

    /** Runs {@code body} on {@code threads} threads released together; rethrows any failure. */
    static void runConcurrently(int threads, Runnable body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    body.run();
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
