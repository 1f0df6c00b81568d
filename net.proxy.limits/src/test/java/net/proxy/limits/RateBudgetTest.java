package net.proxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RateBudgetTest {

    private static final long MS = 1_000_000L;

    private final FakeTicker ticker = new FakeTicker();

    /** The admissions of {@code budget} for {@code attempts} calls at the ticker's time, as a string of + and -. */
    private String attempts(RateBudget budget, int attempts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < attempts; i++) {
            sb.append(budget.tryAcquire(ticker.getAsLong()) ? '+' : '-');
        }
        return sb.toString();
    }

    @Test
    void admitsBurstPlusOneAtOnceThenRejectsWithRetryAfter() {
        RateBudget budget = RateBudget.of(10, Duration.ofSeconds(1), 4);
        assertEquals(5, budget.available(ticker.getAsLong()));
        assertEquals(0, budget.retryAfterNanos(ticker.getAsLong()));
        assertEquals("+++++--", attempts(budget, 7));
        assertEquals(0, budget.available(ticker.getAsLong()));
        assertEquals(100 * MS, budget.retryAfterNanos(ticker.getAsLong()));

        ticker.advance(Duration.ofMillis(99));
        assertEquals(MS, budget.retryAfterNanos(ticker.getAsLong()));
        assertEquals("-", attempts(budget, 1));
        ticker.advance(Duration.ofMillis(1));
        assertEquals(0, budget.retryAfterNanos(ticker.getAsLong()));
        assertEquals("+-", attempts(budget, 2));
    }

    @Test
    void refillsOneEventPerEmissionIntervalUpToTheBurst() {
        RateBudget budget = RateBudget.of(10, Duration.ofSeconds(1), 3);
        assertEquals("++++-", attempts(budget, 5));
        ticker.advance(Duration.ofMillis(250));
        assertEquals(2, budget.available(ticker.getAsLong()));
        assertEquals("++-", attempts(budget, 3));
        ticker.advance(Duration.ofMillis(400));
        assertEquals(4, budget.available(ticker.getAsLong()));
        ticker.advance(Duration.ofHours(5));
        assertEquals(4, budget.available(ticker.getAsLong()), "an idle budget is full, never more");
        assertEquals("++++-", attempts(budget, 5));
    }

    @Test
    void sustainsExactlyTheRateOverTime() {
        RateBudget budget = RateBudget.of(10, Duration.ofSeconds(1), 2);
        int admitted = 0;
        // Ask every 10 ms for 10 s: 10/s x 10 s plus the initial burst of 2.
        for (int tick = 0; tick < 1000; tick++) {
            if (budget.tryAcquire(ticker.getAsLong())) {
                admitted++;
            }
            ticker.advance(Duration.ofMillis(10));
        }
        assertEquals(100 + 2, admitted);
    }

    @Test
    void rejectedAttemptsTakeNothing() {
        RateBudget budget = RateBudget.of(1, Duration.ofSeconds(1), 0);
        assertEquals("+", attempts(budget, 1));
        for (int ms = 0; ms < 999; ms++) {
            assertEquals("-".repeat(100), attempts(budget, 100), "at " + ms + " ms");
            ticker.advance(Duration.ofMillis(1));
        }
        ticker.advance(Duration.ofMillis(1));
        assertEquals("+-", attempts(budget, 2));
    }

    @Test
    void multiplePermitsAreAllOrNothing() {
        RateBudget budget = RateBudget.of(10, Duration.ofSeconds(1), 4);
        long now = ticker.getAsLong();
        assertTrue(budget.tryAcquire(now, 3));
        assertEquals(100 * MS, budget.retryAfterNanos(now, 3));
        assertFalse(budget.tryAcquire(now, 3));
        assertEquals(2, budget.available(now));
        assertTrue(budget.tryAcquire(now, 2));
        assertEquals(500 * MS, budget.retryAfterNanos(now, 5));
        assertFalse(budget.tryAcquire(now + 499 * MS, 5));
        assertTrue(budget.tryAcquire(now + 500 * MS, 5));
    }

    @Test
    void startsFullWhateverTheClockReadsAndSurvivesItsWrapAround() {
        long[] starts = {0, -1, 1, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 150 * MS};
        for (long start : starts) {
            RateBudget budget = RateBudget.of(10, Duration.ofSeconds(1), 1);
            assertEquals(2, budget.available(start), "start " + start);
            assertTrue(budget.tryAcquire(start), "start " + start);
            assertTrue(budget.tryAcquire(start), "start " + start);
            assertFalse(budget.tryAcquire(start), "start " + start);
            assertEquals(100 * MS, budget.retryAfterNanos(start), "start " + start);
            long later = start + 100 * MS; // wraps around for the starts near Long.MAX_VALUE
            assertFalse(budget.tryAcquire(later - 1), "start " + start);
            assertTrue(budget.tryAcquire(later), "start " + start);
            assertFalse(budget.tryAcquire(later), "start " + start);
            assertEquals(2, budget.available(later + Duration.ofHours(1).toNanos()), "start " + start);
        }
    }

    @Test
    void anAdmissionLandingOnTheIdleMarkDoesNotRefillTheBudget() {
        // The only state is one long and Long.MIN_VALUE means "never used": an admission whose theoretical
        // arrival time is exactly that value must still count.
        RateBudget budget = RateBudget.of(1, Duration.ofNanos(10), 0);
        long now = Long.MIN_VALUE - 10;
        assertTrue(budget.tryAcquire(now));
        assertFalse(budget.tryAcquire(now));
        assertFalse(budget.tryAcquire(now + 10), "one nanosecond stricter, never looser");
        assertTrue(budget.tryAcquire(now + 11));
    }

    @Test
    void aClockGoingBackwardsNeverLoosensTheBudget() {
        RateBudget budget = RateBudget.of(10, Duration.ofSeconds(1), 0);
        long now = ticker.getAsLong();
        assertTrue(budget.tryAcquire(now));
        assertFalse(budget.tryAcquire(now - Duration.ofSeconds(5).toNanos()));
        assertEquals(
                Duration.ofMillis(5100).toNanos(),
                budget.retryAfterNanos(now - Duration.ofSeconds(5).toNanos()));
    }

    @Test
    void hugeRatesAndPeriodsDoNotOverflow() {
        long max = Long.MAX_VALUE / 4;
        // One event per nanosecond with the largest burst: burst + 1 at once, then one per nanosecond.
        RateBudget fast = RateBudget.of(1_000_000_000L, Duration.ofSeconds(1), max);
        long now = Long.MAX_VALUE - 10; // and the clock wraps meanwhile
        assertEquals(max + 1, fast.available(now));
        assertTrue(fast.tryAcquire(now, max + 1));
        assertFalse(fast.tryAcquire(now));
        assertEquals(1, fast.retryAfterNanos(now));
        assertEquals(max + 1, fast.retryAfterNanos(now, max + 1));
        assertTrue(fast.tryAcquire(now + 1));
        assertEquals(max + 1, fast.available(now + 1 + max + 1));

        // One event per ~73 years, the longest period, with a burst of one more.
        RateBudget slow = RateBudget.of(1, Duration.ofNanos(max), 1);
        assertEquals(Duration.ofNanos(max), slow.emissionInterval());
        assertEquals(2, slow.available(0));
        assertTrue(slow.tryAcquire(0, 2));
        assertFalse(slow.tryAcquire(0));
        assertEquals(max, slow.retryAfterNanos(0));
        assertEquals(2 * max, slow.retryAfterNanos(0, 2));
        assertFalse(slow.tryAcquire(max - 1));
        assertTrue(slow.tryAcquire(max));

        // A period one day longer than the maximum is refused, not overflowed.
        assertEquals(
                "per: PT" + (max / 1_000_000_000L / 3600 + 24) + "H (expected: <= " + Duration.ofNanos(max) + ")",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RateBudget.of(1, Duration.ofHours(max / 1_000_000_000L / 3600 + 24), 0))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateBudget.of(1, Duration.ofSeconds(Long.MAX_VALUE), 0));
    }

    @Test
    void decidesExactlyAsGcraLimiterDoesForOneKey() {
        SplittableRandom random = new SplittableRandom(42);
        GcraLimiter limiter = GcraLimiter.builder()
                .rate(7, Duration.ofMillis(90))
                .burst(5)
                .ticker(ticker)
                .build();
        RateBudget budget = RateBudget.of(7, Duration.ofMillis(90), 5);
        for (int i = 0; i < 100_000; i++) {
            ticker.advance(Duration.ofNanos(random.nextLong(30 * MS)));
            long permits = 1 + random.nextLong(6);
            long now = ticker.getAsLong();
            long retryAfter = budget.retryAfterNanos(now, permits);
            boolean admitted = budget.tryAcquire(now, permits);
            GcraLimiter.Decision d = limiter.tryAcquire("k", permits);
            assertEquals(d.allowed(), admitted, "step " + i);
            assertEquals(d.retryAfterNanos(), retryAfter, "step " + i);
            if (admitted) {
                assertEquals(d.remaining(), budget.available(now), "step " + i);
            }
        }
    }

    @Test
    void reportsItsConfiguration() {
        RateBudget budget =
                RateBudget.builder().rate(3, Duration.ofSeconds(1)).burst(7).build();
        assertEquals(Duration.ofNanos(333_333_333), budget.emissionInterval());
        assertEquals(7, budget.burst());
        assertEquals(
                0, RateBudget.builder().rate(1, Duration.ofSeconds(1)).build().burst());
    }

    @Test
    void rejectsBadArgumentsWithClearMessages() {
        assertEquals(
                "events: 0 (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> RateBudget.of(0, Duration.ofSeconds(1), 0))
                        .getMessage());
        assertEquals(
                "events: -5 (expected: > 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RateBudget.builder().rate(-5, Duration.ofSeconds(1)))
                        .getMessage());
        assertEquals(
                "per: PT0S (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> RateBudget.of(1, Duration.ZERO, 0))
                        .getMessage());
        assertEquals(
                "per: PT-1S (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> RateBudget.of(1, Duration.ofSeconds(-1), 0))
                        .getMessage());
        assertEquals(
                "per",
                assertThrows(NullPointerException.class, () -> RateBudget.of(1, null, 0))
                        .getMessage());
        assertEquals(
                "rate: 2000000000 per PT1S (expected: at most 1 per nanosecond)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RateBudget.of(2_000_000_000L, Duration.ofSeconds(1), 0))
                        .getMessage());
        assertEquals(
                "burst: -1 (expected: >= 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RateBudget.builder().burst(-1))
                        .getMessage());
        assertEquals(
                "burst: " + (Long.MAX_VALUE / 4 + 1) + " (expected: burst * per / events <= "
                        + Duration.ofNanos(Long.MAX_VALUE / 4) + ")",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RateBudget.of(1_000_000_000L, Duration.ofSeconds(1), Long.MAX_VALUE / 4 + 1))
                        .getMessage());
        assertEquals(
                "rate: not set (expected: rate(events, per))",
                assertThrows(
                                IllegalStateException.class,
                                () -> RateBudget.builder().burst(3).build())
                        .getMessage());
        RateBudget budget = RateBudget.of(10, Duration.ofSeconds(1), 2);
        assertEquals(
                "permits: 4 (expected: in [1, 3] = [1, burst + 1])",
                assertThrows(IllegalArgumentException.class, () -> budget.tryAcquire(0, 4))
                        .getMessage());
        assertEquals(
                "permits: 0 (expected: in [1, 3] = [1, burst + 1])",
                assertThrows(IllegalArgumentException.class, () -> budget.tryAcquire(0, 0))
                        .getMessage());
        assertEquals(
                "permits: -1 (expected: in [1, 3] = [1, burst + 1])",
                assertThrows(IllegalArgumentException.class, () -> budget.retryAfterNanos(0, -1))
                        .getMessage());
        assertEquals(3, budget.available(0), "a refused call takes nothing");
    }
}
