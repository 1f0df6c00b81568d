package net.proxy.timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wheel driven by the test thread ({@link TimerWheel.Driver#EXTERNAL}) on an injected clock. */
class TimerWheelTest {

    private static final Duration TICK = Duration.ofMillis(10);

    private final FakeTicker ticker = new FakeTicker();
    private final List<Throwable> failures = new ArrayList<>();
    private final TimerWheel wheel = TimerWheel.builder()
            .driver(TimerWheel.Driver.EXTERNAL)
            .ticker(ticker)
            .uncaughtExceptionHandler((thread, failure) -> failures.add(failure))
            .build();

    @AfterEach
    void close() {
        wheel.close();
    }

    @Test
    void firesNoEarlierThanTheDeadlineAndNoLaterThanTwoTicksAfter() {
        Random random = new Random(42);
        long[] deadline = new long[2000];
        long[] firedAt = new long[deadline.length];
        int next = 0;
        // Schedule at arbitrary instants (not tick-aligned) while advancing in uneven steps <= 1 tick.
        while (next < deadline.length || wheel.timersInWheel() > 0 || !wheel.noneSubmitted()) {
            for (int i = 0; i < 5 && next < deadline.length; i++, next++) {
                int id = next;
                Duration delay = Duration.ofNanos(random.nextInt(300_000_000));
                deadline[id] = ticker.getAsLong() + delay.toNanos();
                wheel.schedule(() -> firedAt[id] = ticker.getAsLong(), delay);
            }
            ticker.advance(Duration.ofNanos(1 + random.nextInt((int) TICK.toNanos())));
            wheel.advance();
        }
        for (int id = 0; id < deadline.length; id++) {
            long late = firedAt[id] - deadline[id];
            assertTrue(late >= 0, "timer " + id + " fired " + -late + " ns early");
            assertTrue(late <= 2 * TICK.toNanos(), "timer " + id + " fired " + late + " ns late");
        }
    }

    @Test
    void timersDueAtOneRoundedDeadlineShareOneEntry() {
        ticker.advance(Duration.ofMillis(3));
        wheel.schedule(() -> {}, Duration.ofMillis(20));
        wheel.schedule(() -> {}, Duration.ofMillis(25));
        wheel.schedule(() -> {}, Duration.ofMillis(27));
        wheel.schedule(() -> {}, Duration.ofMillis(28));
        wheel.advance();
        assertEquals(4, wheel.timersInWheel());
        assertEquals(2, wheel.deadlineEntries()); // deadlines 23, 28, 30 ms round to 30 ms; 31 ms to 40 ms
    }

    @Test
    void runsTimersInDeadlineOrderAndFifoWithinOneDeadline() {
        List<String> order = new ArrayList<>();
        wheel.schedule(() -> order.add("c"), Duration.ofMillis(30));
        wheel.schedule(() -> order.add("a1"), Duration.ofMillis(10));
        wheel.schedule(() -> order.add("b"), Duration.ofMillis(20));
        wheel.schedule(() -> order.add("a2"), Duration.ofMillis(10));
        wheel.advance();
        ticker.advance(Duration.ofMillis(40));
        assertEquals(4, wheel.advance());
        assertEquals(List.of("a1", "a2", "b", "c"), order);
    }

    @Test
    void cancelledTimersNeverRunWhetherPlacedOrNot() {
        AtomicInteger ran = new AtomicInteger();
        Timeout beforePlacing = wheel.schedule(ran::incrementAndGet, Duration.ofMillis(50));
        Timeout afterPlacing = wheel.schedule(ran::incrementAndGet, Duration.ofMillis(50));
        Timeout kept = wheel.schedule(ran::incrementAndGet, Duration.ofMillis(50));
        assertTrue(beforePlacing.cancel());
        wheel.advance();
        assertEquals(2, wheel.timersInWheel());
        assertTrue(afterPlacing.cancel());
        assertFalse(afterPlacing.cancel());
        wheel.advance();
        assertEquals(1, wheel.timersInWheel(), "a cancelled timer is unlinked on the next tick");
        ticker.advance(Duration.ofMillis(60));
        assertEquals(1, wheel.advance());
        assertEquals(1, ran.get());
        assertTrue(beforePlacing.isCancelled() && afterPlacing.isCancelled());
        assertTrue(kept.isExpired());
        assertFalse(kept.cancel(), "an expired timer cannot be cancelled");
        assertEquals(0, wheel.deadlineEntries());
    }

    @Test
    void timersBeyondOneRevolutionWaitForTheirOwnTurn() {
        AtomicInteger ran = new AtomicInteger();
        wheel.schedule(ran::incrementAndGet, Duration.ofSeconds(100)); // ~19.5 revolutions of 5.12 s
        wheel.advance();
        for (int i = 0; i < 9_999; i++) {
            ticker.advance(TICK);
            wheel.advance();
        }
        assertEquals(0, ran.get());
        ticker.advance(TICK);
        wheel.advance();
        assertEquals(1, ran.get());
    }

    @Test
    void aLateAdvanceFiresEverythingDueAtOnce() {
        AtomicInteger ran = new AtomicInteger();
        for (int s = 1; s <= 60; s++) {
            wheel.schedule(ran::incrementAndGet, Duration.ofSeconds(s));
        }
        wheel.advance();
        ticker.advance(Duration.ofSeconds(30));
        assertEquals(30, wheel.advance());
        ticker.advance(Duration.ofHours(1));
        assertEquals(30, wheel.advance());
        assertEquals(60, ran.get());
    }

    @Test
    void aZeroDelayRunsAtTheNextAdvance() {
        AtomicInteger ran = new AtomicInteger();
        ticker.advance(TICK.multipliedBy(3));
        wheel.advance();
        wheel.schedule(ran::incrementAndGet, Duration.ZERO);
        assertEquals(1, wheel.advance());
        assertEquals(1, ran.get());
    }

    @Test
    void anAbsoluteDeadlineFiresAtTheFirstAdvanceAtOrAfterItHoweverFarTheClockJumped() {
        AtomicInteger ran = new AtomicInteger();
        wheel.advance();
        long start = ticker.getAsLong();
        wheel.scheduleAt(ran::incrementAndGet, start + Duration.ofSeconds(30).toNanos());
        ticker.advance(Duration.ofSeconds(29)); // far beyond one tick before the wheel even saw the timer
        assertEquals(0, wheel.advance(), "placed at 29 s: not due");
        ticker.advance(Duration.ofMillis(999));
        assertEquals(0, wheel.advance(), "never early, even by a millisecond");
        ticker.advance(Duration.ofSeconds(40));
        assertEquals(1, wheel.advance(), "due: runs at the first advance after the jump");
        wheel.scheduleAt(ran::incrementAndGet, start); // in the past
        assertEquals(1, wheel.advance(), "a past deadline runs at the next advance");
        Timeout cancelled = wheel.scheduleAt(ran::incrementAndGet, ticker.getAsLong() + 1);
        assertTrue(cancelled.cancel());
        ticker.advance(TICK);
        assertEquals(0, wheel.advance());
        assertEquals(2, ran.get());
    }

    @Test
    void aTimerScheduledBetweenAdvancesIsNeverEarly() {
        AtomicInteger ran = new AtomicInteger();
        wheel.advance();
        ticker.advance(Duration.ofMillis(7)); // the wheel's clock still says 0: the deadline is fixed later
        wheel.schedule(ran::incrementAndGet, Duration.ofMillis(10)); // due at 17 ms
        ticker.advance(Duration.ofMillis(3));
        wheel.advance(); // at 10 ms: placed with the bound 10 ms, so due at 20 ms at the latest
        ticker.advance(Duration.ofMillis(7));
        assertEquals(0, wheel.advance(), "at 17 ms the bound does not know it is due yet");
        ticker.advance(Duration.ofMillis(3));
        assertEquals(1, wheel.advance(), "at 20 ms, 3 ms late: within two ticks");
    }

    @Test
    void tasksRunOnTheThreadThatAdvances() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        wheel.schedule(() -> ranOn.set(Thread.currentThread()), Duration.ofMillis(1));
        wheel.advance();
        ticker.advance(TICK);
        wheel.advance();
        assertSame(Thread.currentThread(), ranOn.get());
    }

    @Test
    void aThrowingTaskIsReportedAndTheWheelCarriesOn() {
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicInteger ran = new AtomicInteger();
        wheel.schedule(
                () -> {
                    throw boom;
                },
                Duration.ofMillis(10));
        wheel.schedule(ran::incrementAndGet, Duration.ofMillis(10));
        wheel.schedule(ran::incrementAndGet, Duration.ofMillis(20));
        wheel.advance();
        ticker.advance(Duration.ofMillis(30));
        assertEquals(3, wheel.advance());
        assertEquals(List.of(boom), failures);
        assertEquals(2, ran.get());
    }

    @Test
    void tasksMayScheduleAndCancelOtherTimers() {
        AtomicInteger ran = new AtomicInteger();
        Timeout victim = wheel.schedule(ran::incrementAndGet, Duration.ofMillis(20));
        wheel.schedule(
                () -> {
                    victim.cancel();
                    wheel.schedule(ran::incrementAndGet, Duration.ofMillis(10));
                },
                Duration.ofMillis(10));
        wheel.advance();
        int[] perTick = new int[4];
        for (int tick = 0; tick < perTick.length; tick++) {
            ticker.advance(TICK);
            perTick[tick] = wheel.advance();
        }
        assertEquals(List.of(1, 0, 1, 0), List.of(perTick[0], perTick[1], perTick[2], perTick[3]));
        assertEquals(1, ran.get(), "the victim never ran, its replacement did");
        assertEquals(0, wheel.timersInWheel());
    }

    @Test
    void closeCancelsPendingTimersAndRejectsNewOnes() {
        AtomicInteger ran = new AtomicInteger();
        Timeout placed = wheel.schedule(ran::incrementAndGet, Duration.ofMillis(20));
        wheel.advance();
        Timeout submitted = wheel.schedule(ran::incrementAndGet, Duration.ofMillis(20));
        wheel.close();
        assertTrue(wheel.isClosed());
        assertTrue(placed.isCancelled() && submitted.isCancelled());
        ticker.advance(Duration.ofSeconds(1));
        assertEquals(0, wheel.advance());
        assertEquals(0, ran.get());
        assertEquals(
                "TimerWheel is closed",
                assertThrows(IllegalStateException.class, () -> wheel.schedule(ran::incrementAndGet, Duration.ZERO))
                        .getMessage());
        wheel.close();
    }

    @Test
    void closingFromATaskDropsTheRest() {
        AtomicInteger ran = new AtomicInteger();
        wheel.schedule(wheel::close, Duration.ofMillis(10));
        Timeout later = wheel.schedule(ran::incrementAndGet, Duration.ofMillis(10));
        wheel.advance();
        ticker.advance(TICK);
        wheel.advance();
        assertTrue(wheel.isClosed());
        assertTrue(later.isCancelled());
        assertEquals(0, ran.get());
    }

    @Test
    void rejectsBadArgumentsWithClearMessages() {
        assertEquals(
                "delay: PT-0.001S (expected: >= 0)",
                assertThrows(IllegalArgumentException.class, () -> wheel.schedule(() -> {}, Duration.ofMillis(-1)))
                        .getMessage());
        assertEquals(
                "tick: PT0S (expected: in (0, PT1H])",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TimerWheel.builder().tick(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "slots: 500 (expected: a power of two in [1, 1048576])",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TimerWheel.builder().slots(500))
                        .getMessage());
        assertEquals(
                "task",
                assertThrows(NullPointerException.class, () -> wheel.schedule(null, Duration.ZERO))
                        .getMessage());
    }

    @Test
    void hugeDelaysAreCappedNotOverflowed() {
        AtomicInteger ran = new AtomicInteger();
        wheel.schedule(ran::incrementAndGet, Duration.ofDays(365L * 1000));
        ticker.advance(Duration.ofDays(365));
        wheel.advance();
        assertEquals(0, ran.get());
        assertEquals(1, wheel.timersInWheel());
    }
}
