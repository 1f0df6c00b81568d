package net.proxy.lru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LruTest {

    private static Lru<Integer, String> singleShard(long weightLimit) {
        return Lru.builder().shards(1).weightLimit(weightLimit).build();
    }

    private static List<Integer> keys(List<WeightedEntry<Integer, String>> entries) {
        return entries.stream().map(WeightedEntry::key).collect(Collectors.toList());
    }

    @Test
    void evictsLeastRecentlyUsedFirst() {
        Lru<Integer, String> lru = singleShard(3);
        lru.admit(1, "a", 1);
        lru.admit(2, "b", 1);
        lru.admit(3, "c", 1);
        lru.admit(4, "d", 1);
        assertEquals(List.of(1), keys(lru.evictToLimit()));
        assertTrue(lru.promote(2));
        lru.admit(5, "e", 1);
        assertEquals(List.of(3), keys(lru.evictToLimit()));
        assertEquals(List.of(), lru.evictToLimit());
    }

    @Test
    void reAdmittingUpdatesValueAndWeightAndPromotes() {
        Lru<Integer, String> lru = singleShard(4);
        lru.admit(1, "a", 1);
        lru.admit(2, "b", 1);
        lru.admit(1, "a2", 3);
        assertEquals("a2", lru.peek(1));
        assertEquals(4, lru.weight());
        assertEquals(2, lru.size());
        lru.admit(3, "c", 1);
        assertEquals(List.of(new WeightedEntry<>(2, "b", 1)), lru.evictToLimit());
    }

    @Test
    void evictsByWeight() {
        Lru<Integer, String> lru = singleShard(10);
        lru.admit(1, "a", 6);
        lru.admit(2, "b", 3);
        lru.admit(3, "c", 4);
        assertEquals(List.of(new WeightedEntry<>(1, "a", 6)), lru.evictToLimit());
        assertEquals(7, lru.weight());
        assertEquals(6, lru.evictedWeight());
        assertEquals(1, lru.evictedCount());
    }

    @Test
    void watermarkLimitsTheEntryCountWhateverTheWeight() {
        Lru<Integer, String> lru =
                Lru.builder().shards(1).weightLimit(1_000).watermark(2).build();
        lru.admit(1, "a", 1);
        lru.admit(2, "b", 1);
        lru.admit(3, "c", 1);
        assertEquals(List.of(1), keys(lru.evictToLimit()));
        assertEquals(2, lru.size());
    }

    @Test
    void promoteTopNLeavesTheTopAloneAndPromotesTheRest() {
        Lru<Integer, String> lru = singleShard(3);
        lru.admit(1, "a", 1);
        lru.admit(2, "b", 1);
        lru.admit(3, "c", 1);
        assertTrue(lru.promoteTopN(2, 2));
        lru.admit(4, "d", 1);
        assertEquals(List.of(1), keys(lru.evictToLimit()), "2 was in the top 2, so nothing moved");
        assertTrue(lru.promoteTopN(2, 2), "2 is now third from the top, so it is promoted");
        lru.admit(5, "e", 1);
        assertEquals(List.of(3), keys(lru.evictToLimit()));
        assertFalse(lru.promoteTopN(99, 2));
        assertFalse(lru.promote(99));
    }

    @Test
    void removeDoesNotCountAsEviction() {
        Lru<Integer, String> lru = singleShard(10);
        lru.admit(1, "a", 4);
        assertEquals(new WeightedEntry<>(1, "a", 4), lru.remove(1));
        assertNull(lru.remove(1));
        assertNull(lru.peek(1));
        assertEquals(0, lru.weight());
        assertEquals(0, lru.size());
        assertEquals(0, lru.evictedWeight());
        assertEquals(0, lru.evictedCount());
    }

    @Test
    void perShardFiguresAddUpToTheTotals() {
        Lru<Integer, String> lru = Lru.builder().shards(8).build();
        int[] shardOf = new int[100];
        for (int i = 0; i < 100; i++) {
            shardOf[i] = lru.admit(i, "v", 1 + i % 4);
            assertEquals(shardOf[i], lru.shardOf(i));
        }
        long weight = 0;
        long size = 0;
        for (int s = 0; s < lru.shards(); s++) {
            weight += lru.shardWeight(s);
            size += lru.shardSize(s);
            assertTrue(lru.shardSize(s) > 0, "keys spread over every shard");
        }
        assertEquals(lru.weight(), weight);
        assertEquals(100, size);
        assertEquals(8, lru.shards());
        assertThrows(IndexOutOfBoundsException.class, () -> lru.shardWeight(8));
    }

    @Test
    void rejectsBadArgumentsWithSpecificMessages() {
        assertEquals(
                "shards: 0 (expected: >= 1)",
                assertThrows(IllegalArgumentException.class, () -> Lru.builder().shards(0))
                        .getMessage());
        assertEquals(
                "shards: 65537 (expected: <= 65536)",
                assertThrows(IllegalArgumentException.class, () -> Lru.builder().shards(65_537))
                        .getMessage());
        assertEquals(
                "watermark: 0 (expected: >= 1)",
                assertThrows(IllegalArgumentException.class, () -> Lru.builder().watermark(0))
                        .getMessage());
        Lru<Integer, String> lru = singleShard(10);
        assertEquals(
                "weight: 0 (expected: >= 1)",
                assertThrows(IllegalArgumentException.class, () -> lru.admit(1, "a", 0))
                        .getMessage());
        assertEquals(
                "n: -1 (expected: >= 0)",
                assertThrows(IllegalArgumentException.class, () -> lru.promoteTopN(1, -1))
                        .getMessage());
    }

    @Test
    void parallelAdmitsAndEvictionsKeepTotalsExactAndLoseNothing() throws Exception {
        int threads = 4;
        int keysPerThread = 25_000;
        Lru<Integer, String> lru = Lru.builder().shards(16).weightLimit(10_000).build();
        Map<Integer, Integer> evictedTimes = new ConcurrentHashMap<>();
        Together.run(threads, thread -> {
            int base = thread * keysPerThread;
            for (int key = base; key < base + keysPerThread; key++) {
                lru.admit(key, "v" + key, weightOf(key));
                lru.promoteTopN(base + (key - base) / 2, 4);
                if (key % 16 == 0) {
                    for (WeightedEntry<Integer, String> e : lru.evictToLimit()) {
                        assertEquals("v" + e.key(), e.value());
                        assertEquals(weightOf(e.key()), e.weight());
                        evictedTimes.merge(e.key(), 1, Integer::sum);
                    }
                }
            }
        });
        for (WeightedEntry<Integer, String> e : lru.evictToLimit()) {
            evictedTimes.merge(e.key(), 1, Integer::sum);
        }
        long admittedWeight = 0;
        long presentWeight = 0;
        long present = 0;
        Map<Integer, Integer> fates = new HashMap<>();
        for (int key = 0; key < threads * keysPerThread; key++) {
            admittedWeight += weightOf(key);
            int fate = evictedTimes.getOrDefault(key, 0);
            if (lru.peek(key) != null) {
                present++;
                presentWeight += weightOf(key);
                fate++;
            }
            fates.merge(fate, 1, Integer::sum);
        }
        assertEquals(Map.of(1, threads * keysPerThread), fates, "fates: times each key was seen");
        assertEquals(presentWeight, lru.weight());
        assertEquals(present, lru.size());
        assertEquals(admittedWeight, lru.weight() + lru.evictedWeight());
        assertEquals(threads * keysPerThread, lru.size() + lru.evictedCount());
        assertTrue(lru.weight() <= 10_000);
    }

    private static int weightOf(int key) {
        return 1 + key % 5;
    }
}
