package net.proxy.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventClockTest {

    /** Spins until {@link System#nanoTime()} has moved past {@code t}. */
    private static void clockPast(long t) {
        while (System.nanoTime() - t <= 0) {
            Thread.onSpinWait();
        }
    }

    @Test
    void anEventReadsTheClockOnceAndNestedEventsKeepTheOuterReading() {
        long t;
        EventClock outer = EventClock.enter();
        try {
            t = EventClock.now();
            clockPast(t);
            assertEquals(t, EventClock.now(), "inside an event: the reading taken when it began");
            EventClock inner = EventClock.enter();
            try {
                assertEquals(t, EventClock.now(), "a nested event keeps the outer reading");
            } finally {
                inner.exit();
            }
            assertEquals(t, EventClock.now(), "the outer event continues after the nested one");
        } finally {
            outer.exit();
        }
        long outside = EventClock.now();
        assertTrue(outside - t > 0, "outside any event: the clock itself");
        clockPast(outside);
        assertTrue(EventClock.now() - outside > 0, "outside any event every call reads the clock");
        EventClock next = EventClock.enter();
        try {
            assertTrue(EventClock.now() - outside > 0, "a new event takes a new reading");
        } finally {
            next.exit();
        }
    }

    @Test
    void eachThreadHasItsOwnEvent() throws InterruptedException {
        EventClock clock = EventClock.enter();
        try {
            long t = EventClock.now();
            clockPast(t);
            long[] other = new long[1];
            Thread th = new Thread(() -> other[0] = EventClock.now());
            th.start();
            th.join();
            assertTrue(other[0] - t > 0, "another thread handles no event and reads the clock");
        } finally {
            clock.exit();
        }
    }
}
