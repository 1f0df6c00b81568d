package net.proxy.core.internal;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.function.LongSupplier;

/**
 * The time of the read event the current thread is handling, so that the timestamps one event takes (a request's
 * arrival, the start of its upstream attempt, the end of the previous exchange, the last byte from an origin) cost
 * one clock read instead of one each. On a virtual machine a {@link System#nanoTime()} call costs tens of
 * nanoseconds, and a proxied request takes four timestamps.
 *
 * <p>{@link #enter(LongSupplier)} at the start of an event reads the ticker; {@link #now(LongSupplier)} inside the
 * event returns that reading when asked for the same ticker; outside any event (or for another ticker) it reads the
 * ticker. An event nested in another keeps the outer reading. An event normally lasts microseconds, far below the
 * resolution timeouts and timings need; a phase that computes for long inside one makes the timestamps taken after
 * it early by that long (a timeout then starts that much sooner), as it also holds up every other connection on its
 * loop.
 */
public final class EventClock {
    private static final FastThreadLocal<EventClock> CURRENT = new FastThreadLocal<>() {
        @Override
        protected EventClock initialValue() {
            return new EventClock();
        }
    };

    private LongSupplier ticker;
    private long now;
    private int depth;

    private EventClock() {}

    /**
     * Starts an event on this thread and returns its clock; call {@link #exit()} on it when the event ends.
     *
     * @param ticker the clock to read, nanoseconds
     * @return this thread's event clock
     */
    public static EventClock enter(LongSupplier ticker) {
        EventClock clock = CURRENT.get();
        if (clock.depth++ == 0) {
            clock.ticker = ticker;
            clock.now = ticker.getAsLong();
        }
        return clock;
    }

    /** Ends the event {@link #enter} started. */
    public void exit() {
        depth--;
    }

    /**
     * The current event's reading of {@code ticker}, or a new reading when this thread handles no event (or an
     * event on another ticker).
     *
     * @param ticker the clock, nanoseconds
     * @return the time
     */
    public static long now(LongSupplier ticker) {
        EventClock clock = CURRENT.get();
        return clock.depth > 0 && clock.ticker == ticker ? clock.now : ticker.getAsLong();
    }
}
