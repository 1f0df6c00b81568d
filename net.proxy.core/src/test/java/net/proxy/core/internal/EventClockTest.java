package net.proxy.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class EventClockTest {
    /** A clock that moves by one on every read, so each read is visible. */
    private final AtomicLong reads = new AtomicLong();

    private final LongSupplier ticker = reads::incrementAndGet;

    @Test
    void anEventReadsTheClockOnceAndNestedEventsKeepTheOuterReading() {
        EventClock outer = EventClock.enter(ticker);
        try {
            assertEquals(1, EventClock.now(ticker), "inside an event: the reading taken when it began");
            assertEquals(1, EventClock.now(ticker));
            EventClock inner = EventClock.enter(ticker);
            try {
                assertEquals(1, EventClock.now(ticker), "a nested event keeps the outer reading");
            } finally {
                inner.exit();
            }
            assertEquals(1, EventClock.now(ticker), "the outer event continues after the nested one");
            assertEquals(1, reads.get(), "one read for the whole event");
        } finally {
            outer.exit();
        }
        assertEquals(2, EventClock.now(ticker), "outside any event: the clock itself");
        assertEquals(3, EventClock.now(ticker), "outside any event every call reads the clock");
        EventClock next = EventClock.enter(ticker);
        try {
            assertEquals(4, EventClock.now(ticker), "a new event takes a new reading");
        } finally {
            next.exit();
        }
    }

    @Test
    void anotherTickerInsideAnEventIsReadItself() {
        AtomicLong other = new AtomicLong(100);
        LongSupplier otherTicker = other::incrementAndGet;
        EventClock clock = EventClock.enter(ticker);
        try {
            assertEquals(101, EventClock.now(otherTicker));
            assertEquals(102, EventClock.now(otherTicker));
            assertEquals(1, EventClock.now(ticker));
        } finally {
            clock.exit();
        }
    }

    @Test
    void eachThreadHasItsOwnEvent() throws InterruptedException {
        EventClock clock = EventClock.enter(ticker);
        try {
            assertEquals(1, EventClock.now(ticker));
            long[] seen = new long[1];
            Thread th = new Thread(() -> seen[0] = EventClock.now(ticker));
            th.start();
            th.join();
            assertEquals(2, seen[0], "another thread handles no event and reads the clock");
        } finally {
            clock.exit();
        }
    }
}
