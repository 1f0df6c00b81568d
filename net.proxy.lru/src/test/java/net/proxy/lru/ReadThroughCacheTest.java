package net.proxy.lru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadThroughCacheTest {
    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ControlledLookup lookup = new ControlledLookup();

    private ReadThroughCacheBuilder<String, String> builder() {
        return ReadThroughCache.builder(lookup).ticker(ticker).scheduler(scheduler);
    }

    @Test
    void concurrentMissesOfOneKeyRunOneLookup() {
        ReadThroughCache<String, String> cache = builder().build();
        CompletableFuture<CacheResult<String>> first = cache.get("k");
        CompletableFuture<CacheResult<String>> second = cache.get("k");
        CompletableFuture<CacheResult<String>> third = cache.get("k");
        assertEquals(1, lookup.calls.get());
        assertFalse(first.isDone() || second.isDone() || third.isDone());

        lookup.complete(0, Loaded.of("v"));

        assertEquals(CacheResult.of("v", CacheStatus.MISS), first.join());
        assertEquals(CacheResult.of("v", CacheStatus.LOCK_HIT), second.join());
        assertEquals(CacheResult.of("v", CacheStatus.LOCK_HIT), third.join());
        assertEquals(CacheResult.of("v", CacheStatus.HIT), cache.get("k").join());
        assertEquals(1, lookup.calls.get());
    }

    @Test
    void differentKeysLookUpIndependently() {
        ReadThroughCache<String, String> cache = builder().build();
        CompletableFuture<CacheResult<String>> a = cache.get("a");
        CompletableFuture<CacheResult<String>> b = cache.get("b");
        assertEquals(2, lookup.calls.get());
        lookup.complete(1, Loaded.of("vb"));
        assertEquals("vb", b.join().value());
        assertFalse(a.isDone());
    }

    @Test
    void aFailedLookupFailsEveryWaiterAndIsNotCached() {
        ReadThroughCache<String, String> cache = builder().build();
        CompletableFuture<CacheResult<String>> leader = cache.get("k");
        CompletableFuture<CacheResult<String>> waiter = cache.get("k");
        IllegalStateException boom = new IllegalStateException("origin down");
        lookup.pending.get(0).completeExceptionally(boom);

        assertSame(boom, assertThrows(ExecutionException.class, leader::get).getCause());
        assertSame(boom, assertThrows(ExecutionException.class, waiter::get).getCause());

        CompletableFuture<CacheResult<String>> retry = cache.get("k");
        assertEquals(2, lookup.calls.get(), "a failure is not cached: the next caller looks up again");
        lookup.complete(1, Loaded.of("v"));
        assertEquals(CacheResult.of("v", CacheStatus.MISS), retry.join());
    }

    @Test
    void aThrowingOrNullLookupFailsTheCaller() {
        ReadThroughCache<String, String> throwing = ReadThroughCache.<String, String>builder(key -> {
                    throw new IllegalArgumentException("bad key " + key);
                })
                .build();
        assertEquals(
                "bad key k",
                assertThrows(ExecutionException.class, () -> throwing.get("k").get())
                        .getCause()
                        .getMessage());
        ReadThroughCache<String, String> nullStage =
                ReadThroughCache.<String, String>builder(key -> null).build();
        assertTrue(
                assertThrows(ExecutionException.class, () -> nullStage.get("k").get())
                                .getCause()
                        instanceof NullPointerException);
    }

    @Test
    void aWaiterThatTimesOutRunsItsOwnUncachedLookup() {
        ReadThroughCache<String, String> cache =
                builder().waitTimeout(Duration.ofSeconds(1)).build();
        CompletableFuture<CacheResult<String>> leader = cache.get("k");
        CompletableFuture<CacheResult<String>> waiter = cache.get("k");
        assertEquals(List.of(Duration.ofSeconds(1)), scheduler.delays);

        scheduler.fireAll();
        assertEquals(2, lookup.calls.get(), "the timed-out waiter looks up by itself");
        lookup.complete(1, Loaded.of("own"));
        assertEquals(CacheResult.of("own", CacheStatus.MISS), waiter.join());
        assertEquals(CacheStatus.MISS, cache.cache().get("k").status(), "the waiter's own result is not cached");

        lookup.complete(0, Loaded.of("leader"));
        assertEquals("leader", leader.join().value());
        assertEquals("own", waiter.join().value(), "a timed-out waiter never takes the leader's result");
        assertEquals(CacheResult.of("leader", CacheStatus.HIT), cache.get("k").join());
    }

    @Test
    void aTimeoutAfterTheLeaderFinishedChangesNothing() {
        ReadThroughCache<String, String> cache =
                builder().waitTimeout(Duration.ofSeconds(1)).build();
        cache.get("k");
        CompletableFuture<CacheResult<String>> waiter = cache.get("k");
        lookup.complete(0, Loaded.of("v"));
        scheduler.fireAll();
        assertEquals(CacheResult.of("v", CacheStatus.LOCK_HIT), waiter.join());
        assertEquals(1, lookup.calls.get());
    }

    @Test
    void aLookupOlderThanTheLockAgeIsReplacedAndNeverCached() {
        ReadThroughCache<String, String> cache =
                builder().lockAge(Duration.ofSeconds(5)).build();
        CompletableFuture<CacheResult<String>> stuck = cache.get("k");
        ticker.advance(Duration.ofSeconds(4));
        CompletableFuture<CacheResult<String>> stuckWaiter = cache.get("k");
        assertEquals(1, lookup.calls.get());

        ticker.advance(Duration.ofSeconds(1));
        CompletableFuture<CacheResult<String>> fresh = cache.get("k");
        CompletableFuture<CacheResult<String>> freshWaiter = cache.get("k");
        assertEquals(2, lookup.calls.get(), "the stuck lookup is ignored once, not by every caller");

        lookup.complete(1, Loaded.of("new"));
        assertEquals(CacheResult.of("new", CacheStatus.MISS), fresh.join());
        assertEquals(CacheResult.of("new", CacheStatus.LOCK_HIT), freshWaiter.join());

        lookup.complete(0, Loaded.of("old"));
        assertEquals("old", stuck.join().value());
        assertEquals(CacheResult.of("old", CacheStatus.LOCK_HIT), stuckWaiter.join());
        assertEquals("new", cache.get("k").join().value(), "the superseded lookup must not overwrite");
    }

    @Test
    void usesTheLookupTtlOrTheDefault() {
        ReadThroughCache<String, String> cache =
                builder().defaultTtl(Duration.ofSeconds(10)).build();
        cache.get("default");
        lookup.complete(0, Loaded.of("d"));
        cache.get("own");
        lookup.complete(1, Loaded.of("o", Duration.ofSeconds(30)));
        cache.get("uncached");
        lookup.complete(2, Loaded.of("u", Duration.ZERO));

        ticker.advance(Duration.ofSeconds(10));
        assertEquals(CacheStatus.EXPIRED, cache.cache().get("default").status());
        assertEquals(CacheStatus.HIT, cache.cache().get("own").status());
        assertEquals(CacheStatus.MISS, cache.cache().get("uncached").status());

        CompletableFuture<CacheResult<String>> refetch = cache.get("default");
        lookup.complete(3, Loaded.of("d2"));
        assertEquals(CacheResult.of("d2", CacheStatus.EXPIRED), refetch.join());
    }

    @Test
    void staleWhileRevalidateServesStaleAndRefreshesOnce() {
        ReadThroughCache<String, String> cache = builder().build();
        cache.cache().forcePut("k", "old", Duration.ofSeconds(10));
        ticker.advance(Duration.ofSeconds(12));

        CacheResult<String> first = cache.getStale("k", Duration.ofSeconds(5)).join();
        assertEquals(new CacheResult<>("old", CacheStatus.STALE, Duration.ofSeconds(2)), first);
        assertEquals("old", cache.getStale("k", Duration.ofSeconds(5)).join().value());
        assertEquals(1, lookup.calls.get(), "one background refresh, however many stale reads");

        lookup.complete(0, Loaded.of("new", Duration.ofSeconds(10)));
        assertEquals(
                CacheResult.of("new", CacheStatus.HIT),
                cache.getStale("k", Duration.ofSeconds(5)).join());
    }

    @Test
    void aFailedRefreshKeepsServingStale() {
        ReadThroughCache<String, String> cache = builder().build();
        cache.cache().forcePut("k", "old", Duration.ofSeconds(10));
        ticker.advance(Duration.ofSeconds(11));
        cache.getStale("k", Duration.ofSeconds(5)).join();
        lookup.pending.get(0).completeExceptionally(new IllegalStateException("origin down"));
        assertEquals(
                CacheStatus.STALE,
                cache.getStale("k", Duration.ofSeconds(5)).join().status());
        assertEquals(2, lookup.calls.get(), "the next stale read retries the refresh");
    }

    @Test
    void tooStaleAnEntryIsFetchedLikeAMiss() {
        ReadThroughCache<String, String> cache = builder().build();
        cache.cache().forcePut("k", "old", Duration.ofSeconds(10));
        ticker.advance(Duration.ofSeconds(20));
        CompletableFuture<CacheResult<String>> result = cache.getStale("k", Duration.ofSeconds(5));
        assertFalse(result.isDone());
        lookup.complete(0, Loaded.of("new"));
        assertEquals(CacheResult.of("new", CacheStatus.EXPIRED), result.join());
    }

    @Test
    void manyThreadsMissingTogetherShareOneLookup() throws Exception {
        int threads = 8;
        CountDownLatch lookupStarted = new CountDownLatch(1);
        CompletableFuture<Loaded<String>> release = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        ReadThroughCache<String, String> cache = ReadThroughCache.<String, String>builder(key -> {
                    calls.incrementAndGet();
                    lookupStarted.countDown();
                    return release;
                })
                .build();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<CompletableFuture<CacheResult<String>>>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return cache.get("k");
                }));
            }
            ready.await();
            go.countDown();
            List<CompletableFuture<CacheResult<String>>> results = new ArrayList<>();
            for (Future<CompletableFuture<CacheResult<String>>> f : futures) {
                results.add(f.get(10, TimeUnit.SECONDS));
            }
            assertTrue(lookupStarted.await(10, TimeUnit.SECONDS));
            release.complete(Loaded.of("v"));
            int misses = 0;
            for (CompletableFuture<CacheResult<String>> r : results) {
                CacheResult<String> result = r.get(10, TimeUnit.SECONDS);
                assertEquals("v", result.value());
                misses += result.status() == CacheStatus.MISS ? 1 : 0;
            }
            assertEquals(1, calls.get());
            assertEquals(1, misses);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsBadSettingsWithSpecificMessages() {
        assertEquals(
                "waitTimeout: PT0S (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> builder().waitTimeout(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "lockAge: PT-1S (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> builder().lockAge(Duration.ofSeconds(-1)))
                        .getMessage());
        assertEquals(
                "maximumSize: 0 (expected: >= 1)",
                assertThrows(IllegalArgumentException.class, () -> builder().maximumSize(0))
                        .getMessage());
    }

    /** Lookups the test completes by index, in call order. */
    private static final class ControlledLookup implements Lookup<String, String> {
        final AtomicInteger calls = new AtomicInteger();
        final List<CompletableFuture<Loaded<String>>> pending = new ArrayList<>();

        @Override
        public synchronized CompletionStage<Loaded<String>> lookup(String key) {
            calls.incrementAndGet();
            CompletableFuture<Loaded<String>> future = new CompletableFuture<>();
            pending.add(future);
            return future;
        }

        void complete(int index, Loaded<String> loaded) {
            pending.get(index).complete(loaded);
        }
    }

    /** Records scheduled tasks and runs them only when the test says so. */
    private static final class ManualScheduler implements Scheduler {
        final List<Duration> delays = new ArrayList<>();
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public void schedule(Duration delay, Runnable task) {
            delays.add(delay);
            tasks.add(task);
        }

        void fireAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }
}
