package net.proxy.lru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class TinyUfoTest {

    private static TinyUfo<Integer, String> cache(long limit) {
        return TinyUfo.builder().weightLimit(limit).build();
    }

    @Test
    void getReturnsWhatWasPutAndNullOtherwise() {
        TinyUfo<Integer, String> cache = cache(10);
        assertEquals(List.of(), cache.put(1, "a", 1));
        assertEquals("a", cache.get(1));
        assertNull(cache.get(2));
        assertEquals(1, cache.size());
        assertEquals(1, cache.weight());
    }

    @Test
    void putReplacesValueAndWeight() {
        TinyUfo<Integer, String> cache = cache(10);
        cache.put(1, "a", 2);
        cache.put(1, "b", 5);
        assertEquals("b", cache.get(1));
        assertEquals(5, cache.weight());
        assertEquals(1, cache.size());
    }

    @Test
    void removeReturnsTheValueAndFreesItsWeight() {
        TinyUfo<Integer, String> cache = cache(10);
        cache.put(1, "a", 3);
        cache.put(2, "b", 4);
        assertEquals("a", cache.remove(1));
        assertNull(cache.remove(1));
        assertNull(cache.get(1));
        assertEquals(4, cache.weight());
        assertEquals(1, cache.size());
    }

    @Test
    void evictsDownToTheWeightLimitAndReturnsTheVictims() {
        TinyUfo<Integer, String> cache = cache(10);
        List<WeightedEntry<Integer, String>> evicted = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            evicted.addAll(cache.forcePut(i, "v" + i, 1 + i % 3));
            assertTrue(cache.weight() <= 10, "weight " + cache.weight());
        }
        long evictedWeight = evicted.stream().mapToLong(WeightedEntry::weight).sum();
        long putWeight = 0;
        for (int i = 0; i < 100; i++) {
            putWeight += 1 + i % 3;
        }
        assertEquals(putWeight, cache.weight() + evictedWeight);
        for (WeightedEntry<Integer, String> e : evicted) {
            assertEquals("v" + e.key(), e.value());
            assertNull(cache.peek(e.key()));
        }
    }

    @Test
    void oneHitWondersLeaveBeforeReusedEntries() {
        TinyUfo<Integer, String> cache = cache(100);
        for (int i = 0; i < 100; i++) {
            cache.forcePut(i, "v", 1);
        }
        for (int i = 0; i < 100; i++) {
            cache.get(i);
        }
        for (int i = 100; i < 1_000; i++) {
            cache.forcePut(i, "v", 1);
        }
        int reusedKept = 0;
        for (int i = 0; i < 100; i++) {
            if (cache.peek(i) != null) {
                reusedKept++;
            }
        }
        assertTrue(reusedKept >= 85, "reused entries still cached: " + reusedKept);
    }

    @Test
    void admissionRejectsAColdNewcomerInFavourOfAFrequentVictim() {
        TinyUfo<Integer, String> cache = cache(1);
        for (int i = 0; i < 5; i++) {
            cache.put(1, "hot", 1);
        }
        List<WeightedEntry<Integer, String>> rejected = cache.put(2, "cold", 1);
        assertEquals(List.of(new WeightedEntry<>(2, "cold", 1)), rejected);
        assertEquals("hot", cache.get(1));
        assertNull(cache.get(2));
    }

    @Test
    void admissionLetsAMoreFrequentNewcomerIn() {
        TinyUfo<Integer, String> cache = cache(1);
        cache.put(1, "old", 1);
        cache.remove(1);
        cache.put(2, "x", 1);
        cache.remove(2);
        cache.put(2, "x", 1);
        cache.remove(2);
        cache.put(1, "old", 1);
        assertEquals(List.of(new WeightedEntry<>(1, "old", 1)), cache.put(2, "new", 1));
        assertEquals("new", cache.get(2));
    }

    @Test
    void forcePutSkipsAdmission() {
        TinyUfo<Integer, String> cache = cache(1);
        for (int i = 0; i < 5; i++) {
            cache.put(1, "hot", 1);
        }
        assertEquals(List.of(new WeightedEntry<>(1, "hot", 1)), cache.forcePut(2, "cold", 1));
        assertEquals("cold", cache.get(2));
    }

    @Test
    void anEntryHeavierThanTheLimitIsReturnedAndNothingIsEvicted() {
        TinyUfo<Integer, String> cache = cache(10);
        cache.put(1, "a", 5);
        assertEquals(List.of(new WeightedEntry<>(2, "huge", 11)), cache.forcePut(2, "huge", 11));
        assertEquals("a", cache.get(1));
        assertEquals(5, cache.weight());
    }

    @Test
    void reweighingAnEntryOverTheLimitDropsOnlyThatEntry() {
        TinyUfo<Integer, String> cache = cache(10);
        cache.put(1, "a", 2);
        cache.put(2, "b", 2);
        assertEquals(List.of(new WeightedEntry<>(1, "huge", 11)), cache.put(1, "huge", 11));
        assertNull(cache.peek(1));
        assertEquals("b", cache.peek(2));
        assertEquals(2, cache.weight());
        assertEquals(1, cache.size());
    }

    @Test
    void useCounterIsCappedAtThreeAndPeekDoesNotCount() {
        TinyUfo<Integer, String> cache = cache(10);
        cache.put(1, "a", 1);
        assertEquals(0, usesOf(cache, 1));
        cache.get(1);
        cache.peek(1);
        assertEquals(1, usesOf(cache, 1));
        for (int i = 0; i < 10; i++) {
            cache.get(1);
        }
        assertEquals(3, usesOf(cache, 1));
    }

    @Test
    void aHotMainEntryGetsAtMostThreeSecondChances() {
        TinyUfo<Integer, String> cache = cache(10);
        cache.forcePut(0, "hot", 1);
        cache.get(0);
        for (int i = 1; i <= 10; i++) {
            cache.forcePut(i, "v", 1);
        }
        // Key 0 went to main with uses reset to 0; read it to the cap, then stop reading it and push
        // re-read entries through, which graduate to main and make main evict.
        assertEquals(0, usesOf(cache, 0));
        for (int i = 0; i < 10; i++) {
            cache.get(0);
        }
        int mainEvictions = 0;
        for (int i = 11; i < 1_000 && cache.peek(0) != null; i++) {
            cache.forcePut(i, "v", 1);
            cache.get(i);
            mainEvictions += usesOf(cache, 0) < 3 ? 1 : 0;
        }
        assertNull(cache.peek(0), "a hot entry that is no longer read must leave eventually");
        assertTrue(mainEvictions > 0 && mainEvictions < 40, "puts while 0 aged: " + mainEvictions);
    }

    @Test
    void rejectsBadArgumentsWithSpecificMessages() {
        TinyUfo<Integer, String> cache = cache(10);
        assertEquals(
                "weight: 0 (expected: >= 1)",
                assertThrows(IllegalArgumentException.class, () -> cache.put(1, "a", 0))
                        .getMessage());
        assertThrows(NullPointerException.class, () -> cache.put(null, "a", 1));
        assertThrows(NullPointerException.class, () -> cache.put(1, null, 1));
        assertEquals(
                "weightLimit: 0 (expected: >= 1)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TinyUfo.builder().weightLimit(0))
                        .getMessage());
        assertEquals(
                "estimatedSize: -1 (expected: >= 1)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TinyUfo.builder().estimatedSize(-1))
                        .getMessage());
    }

    @Test
    void parallelPutsRemovesAndEvictionsKeepWeightsExactAndLoseNothing() throws Exception {
        int threads = 4;
        int keysPerThread = 20_000;
        TinyUfo<Integer, Integer> cache = TinyUfo.builder().weightLimit(5_000).build();
        Map<Integer, Integer> evictedTimes = new ConcurrentHashMap<>();
        Map<Integer, Integer> removedTimes = new ConcurrentHashMap<>();
        Together.run(threads, thread -> {
            int base = thread * keysPerThread;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int key = base; key < base + keysPerThread; key++) {
                List<WeightedEntry<Integer, Integer>> evicted = random.nextBoolean()
                        ? cache.put(key, key, weightOf(key))
                        : cache.forcePut(key, key, weightOf(key));
                for (WeightedEntry<Integer, Integer> e : evicted) {
                    assertEquals(e.key(), e.value());
                    assertEquals(weightOf(e.key()), e.weight());
                    evictedTimes.merge(e.key(), 1, Integer::sum);
                }
                cache.get(base + random.nextInt(key - base + 1));
                if (random.nextInt(10) == 0) {
                    int victim = base + random.nextInt(key - base + 1);
                    if (cache.remove(victim) != null) {
                        removedTimes.merge(victim, 1, Integer::sum);
                    }
                }
            }
        });
        long presentWeight = 0;
        int present = 0;
        Map<Integer, Integer> fates = new HashMap<>();
        for (int key = 0; key < threads * keysPerThread; key++) {
            int fate = evictedTimes.getOrDefault(key, 0) + removedTimes.getOrDefault(key, 0);
            if (cache.peek(key) != null) {
                present++;
                presentWeight += weightOf(key);
                fate++;
            }
            fates.merge(fate, 1, Integer::sum);
        }
        assertEquals(Map.of(1, threads * keysPerThread), fates, "fates: times each key was seen");
        assertEquals(present, cache.size());
        assertEquals(presentWeight, cache.weight());
        assertTrue(cache.weight() <= 5_000);
    }

    private static int usesOf(TinyUfo<Integer, String> cache, int key) {
        Node<Integer, String> node = cache.nodeOf(key);
        return node == null ? -1 : node.uses;
    }

    @Test
    void racingUpdatesRemovesAndReweighsKeepTheTotalsExact() throws Exception {
        int keys = 64;
        TinyUfo<Integer, String> cache = TinyUfo.builder().weightLimit(1_000).build();
        Together.run(4, role -> {
            for (int i = 0; i < 50_000; i++) {
                int key = i % keys;
                switch (role) {
                    case 0, 1 -> cache.put(key, "same-" + role, 2);
                    case 2 -> cache.forcePut(key, "heavier", 3);
                    default -> cache.remove(key);
                }
            }
        });
        long weight = 0;
        int present = 0;
        for (int key = 0; key < keys; key++) {
            Node<Integer, String> node = cache.nodeOf(key);
            if (node != null) {
                present++;
                weight += node.weight;
                assertEquals(node.value.equals("heavier") ? 3 : 2, node.weight, "value and weight of one put");
            }
        }
        assertEquals(present, cache.size());
        assertEquals(weight, cache.weight());
    }

    private static int weightOf(int key) {
        return 1 + key % 7;
    }
}
