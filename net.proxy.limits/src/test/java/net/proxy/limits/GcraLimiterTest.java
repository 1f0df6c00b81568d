package net.proxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GcraLimiterTest {

    private final FakeTicker ticker = new FakeTicker();

    private GcraLimiterBuilder tenPerSecond() {
        return GcraLimiter.builder().rate(10, Duration.ofSeconds(1)).ticker(ticker);
    }

    @Test
    void admitsBurstPlusOneAtOnceThenRejectsWithRetryAfter() {
        GcraLimiter limiter = tenPerSecond().burst(4).build();
        for (int i = 0; i < 5; i++) {
            GcraLimiter.Decision d = limiter.tryAcquire("client");
            assertTrue(d.allowed(), "request " + i);
            assertEquals(4 - i, d.remaining());
            assertEquals(Duration.ZERO, d.delay());
        }
        GcraLimiter.Decision denied = limiter.tryAcquire("client");
        assertFalse(denied.allowed());
        assertEquals(0, denied.remaining());
        assertEquals(Duration.ofMillis(100), denied.retryAfter());
        assertEquals(1, denied.retryAfterSeconds());

        ticker.advance(Duration.ofMillis(99));
        assertEquals(Duration.ofMillis(1), limiter.tryAcquire("client").retryAfter());
        ticker.advance(Duration.ofMillis(1));
        assertTrue(limiter.tryAcquire("client").allowed());
        assertFalse(limiter.tryAcquire("client").allowed());
    }

    @Test
    void sustainsExactlyTheRateOverTime() {
        GcraLimiter limiter = tenPerSecond().burst(2).build();
        int admitted = 0;
        // Ask every 10 ms for 10 s: 10/s x 10 s plus the initial burst of 3.
        for (int tick = 0; tick < 1000; tick++) {
            if (limiter.tryAcquire("k").allowed()) {
                admitted++;
            }
            ticker.advance(Duration.ofMillis(10));
        }
        assertEquals(100 + 2, admitted);
    }

    @Test
    void idleKeyRegainsItsFullBurst() {
        GcraLimiter limiter = tenPerSecond().burst(3).build();
        for (int i = 0; i < 4; i++) {
            assertTrue(limiter.tryAcquire("k").allowed());
        }
        assertFalse(limiter.tryAcquire("k").allowed());
        ticker.advance(Duration.ofMillis(400));
        assertEquals(3, limiter.tryAcquire("k").remaining());
        ticker.advance(Duration.ofHours(5));
        assertEquals(3, limiter.tryAcquire("k").remaining());
    }

    @Test
    void withoutNodelayBurstRequestsAreSpacedAtTheRate() {
        GcraLimiter limiter = tenPerSecond().burst(3).nodelay(false).build();
        for (int i = 0; i < 4; i++) {
            GcraLimiter.Decision d = limiter.tryAcquire("k");
            assertTrue(d.allowed());
            assertEquals(Duration.ofMillis(100L * i), d.delay());
        }
        assertEquals(Duration.ofMillis(100), limiter.tryAcquire("k").retryAfter());
    }

    @Test
    void reportsItsConfiguration() {
        GcraLimiter limiter = tenPerSecond().burst(3).slots(1024).build();
        assertEquals(Duration.ofMillis(100), limiter.emissionInterval());
        assertEquals(3, limiter.burst());
        assertEquals(1024, limiter.slots());
        assertTrue(limiter.nodelay());
        assertFalse(tenPerSecond().nodelay(false).build().nodelay());
    }

    @Test
    void multiplePermitsAreAllOrNothing() {
        GcraLimiter limiter = tenPerSecond().burst(4).build();
        assertTrue(limiter.tryAcquire("k", 3).allowed());
        GcraLimiter.Decision denied = limiter.tryAcquire("k", 3);
        assertFalse(denied.allowed());
        assertEquals(Duration.ofMillis(100), denied.retryAfter());
        assertTrue(limiter.tryAcquire("k", 2).allowed());
    }

    @Test
    void keysHaveSeparateBudgets() {
        GcraLimiter limiter = tenPerSecond().build();
        assertTrue(limiter.tryAcquire("a").allowed());
        assertFalse(limiter.tryAcquire("a").allowed());
        assertTrue(limiter.tryAcquire("b").allowed());
    }

    @Test
    void concurrentRequestsOnOneKeyAdmitExactlyTheBurst() throws Exception {
        GcraLimiter limiter = tenPerSecond().burst(999).build();
        AtomicInteger admitted = new AtomicInteger();
        CountMinSketchTest.runConcurrently(4, () -> {
            for (int i = 0; i < 10_000; i++) {
                if (limiter.tryAcquire("hot").allowed()) {
                    admitted.incrementAndGet();
                }
            }
        });
        assertEquals(1000, admitted.get());
    }

    @Test
    void collisionRateMatchesTheDocumentedFormula() {
        // 10,000 active keys in 65,536 slots: 1 - (1 - 1/65536)^9999 = 14.15% share a slot.
        GcraLimiter limiter =
                GcraLimiter.builder().rate(1, Duration.ofSeconds(1)).build();
        Map<Integer, Integer> perSlot = new HashMap<>();
        int keys = 10_000;
        for (int i = 0; i < keys; i++) {
            perSlot.merge(limiter.slotOf("10.0." + (i >> 8) + "." + (i & 255)), 1, Integer::sum);
        }
        long sharing =
                perSlot.values().stream().filter(n -> n > 1).mapToLong(n -> n).sum();
        double fraction = (double) sharing / keys;
        assertTrue(fraction > 0.12 && fraction < 0.165, "fraction sharing: " + fraction);
    }

    @Test
    void collidingKeysShareOneBudgetAndAreNeverAdmittedMore() {
        GcraLimiter limiter = tenPerSecond().burst(1).slots(1).build();
        assertTrue(limiter.tryAcquire("a").allowed());
        assertTrue(limiter.tryAcquire("b").allowed());
        assertFalse(limiter.tryAcquire("a").allowed());
        assertFalse(limiter.tryAcquire("b").allowed());
    }

    @Test
    void rejectsBadConfigurationWithClearMessages() {
        assertEquals(
                "permits: 0 (expected: > 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> GcraLimiter.builder().rate(0, Duration.ofSeconds(1)))
                        .getMessage());
        assertEquals(
                "period: PT0S (expected: > 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> GcraLimiter.builder().rate(1, Duration.ZERO))
                        .getMessage());
        assertEquals(
                "rate: 2000000000 per PT1S (expected: at most 1 per nanosecond)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> GcraLimiter.builder().rate(2_000_000_000L, Duration.ofSeconds(1)))
                        .getMessage());
        assertEquals(
                "burst: -1 (expected: >= 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> GcraLimiter.builder().burst(-1))
                        .getMessage());
        assertEquals(
                "slots: 0 (expected: > 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> GcraLimiter.builder().slots(0))
                        .getMessage());
        assertEquals(
                "rate: not set (expected: rate(permits, period))",
                assertThrows(
                                IllegalStateException.class,
                                () -> GcraLimiter.builder().build())
                        .getMessage());
        GcraLimiter limiter = tenPerSecond().burst(2).build();
        assertEquals(
                "permits: 4 (expected: in [1, 3] = [1, burst + 1])",
                assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire("k", 4))
                        .getMessage());
        assertEquals(
                "permits: 0 (expected: in [1, 3] = [1, burst + 1])",
                assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire("k", 0))
                        .getMessage());
    }
}
