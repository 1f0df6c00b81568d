package net.proxy.lru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryCacheTest {
    private final ManualTicker ticker = new ManualTicker();
    private final MemoryCache<String, String> cache =
            MemoryCache.builder().maximumSize(100).ticker(ticker).build();

    @Test
    void hitsUntilTheTtlPassesThenReportsExpiredWithoutTheValue() {
        cache.put("k", "v", Duration.ofSeconds(10));
        assertEquals(new CacheResult<>("v", CacheStatus.HIT, Duration.ZERO), cache.get("k"));
        ticker.advance(Duration.ofSeconds(9));
        assertEquals(CacheStatus.HIT, cache.get("k").status());
        ticker.advance(Duration.ofSeconds(1));
        assertEquals(new CacheResult<String>(null, CacheStatus.EXPIRED, Duration.ZERO), cache.get("k"));
        assertEquals(1, cache.size(), "an expired entry stays until evicted, replaced or removed");
    }

    @Test
    void missesAnUnknownKey() {
        CacheResult<String> result = cache.get("nope");
        assertEquals(CacheStatus.MISS, result.status());
        assertNull(result.value());
        assertFalse(result.isHit());
    }

    @Test
    void getStaleServesAnExpiredValueWithItsAge() {
        cache.put("k", "v", Duration.ofSeconds(10));
        assertEquals(CacheStatus.HIT, cache.getStale("k").status());
        ticker.advance(Duration.ofSeconds(13));
        CacheResult<String> stale = cache.getStale("k");
        assertEquals(new CacheResult<>("v", CacheStatus.STALE, Duration.ofSeconds(3)), stale);
        assertTrue(stale.isHit());
        assertEquals(CacheStatus.MISS, cache.getStale("other").status());
    }

    @Test
    void aNullTtlNeverExpires() {
        cache.put("k", "v", null);
        ticker.advance(Duration.ofDays(10_000));
        assertEquals(CacheStatus.HIT, cache.get("k").status());
    }

    @Test
    void aZeroOrNegativeTtlStoresNothing() {
        cache.put("zero", "v", Duration.ZERO);
        cache.forcePut("negative", "v", Duration.ofSeconds(-1));
        assertEquals(CacheStatus.MISS, cache.get("zero").status());
        assertEquals(CacheStatus.MISS, cache.get("negative").status());
        assertEquals(0, cache.size());
    }

    @Test
    void aHugeTtlDoesNotOverflow() {
        cache.put("k", "v", Duration.ofSeconds(Long.MAX_VALUE));
        ticker.advance(Duration.ofDays(100_000));
        assertEquals(CacheStatus.HIT, cache.get("k").status());
    }

    @Test
    void putReplacesAndRemoveDrops() {
        cache.put("k", "v1", Duration.ofSeconds(1));
        ticker.advance(Duration.ofSeconds(2));
        cache.forcePut("k", "v2", Duration.ofSeconds(1));
        assertEquals("v2", cache.get("k").value());
        assertEquals("v2", cache.remove("k"));
        assertNull(cache.remove("k"));
        assertEquals(CacheStatus.MISS, cache.get("k").status());
    }

    @Test
    void holdsAtMostTheMaximumSize() {
        for (int i = 0; i < 1_000; i++) {
            cache.forcePut("k" + i, "v", null);
        }
        assertEquals(100, cache.size());
    }

    @Test
    void statusLabelsAndHitFlags() {
        assertEquals(
                "hit miss expired stale lock_hit",
                String.join(
                        " ",
                        CacheStatus.HIT.label(),
                        CacheStatus.MISS.label(),
                        CacheStatus.EXPIRED.label(),
                        CacheStatus.STALE.label(),
                        CacheStatus.LOCK_HIT.label()));
        assertTrue(CacheStatus.HIT.isHit() && CacheStatus.STALE.isHit() && CacheStatus.LOCK_HIT.isHit());
        assertFalse(CacheStatus.MISS.isHit() || CacheStatus.EXPIRED.isHit());
        assertEquals(
                "maximumSize: 0 (expected: >= 1)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> MemoryCache.builder().maximumSize(0))
                        .getMessage());
    }
}
