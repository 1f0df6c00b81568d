package net.proxy.core;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when a test says so: timeouts are tested on it, without waiting. */
final class ManualTicker implements LongSupplier {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long getAsLong() {
        return now.get();
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /**
     * Moves the clock by {@code step} until {@code events} yields one (each step gives the event loop's timer wheel
     * a tick, 10 ms, to fire what fell due), within 20 s of real time.
     */
    <T> T advanceUntil(BlockingQueue<T> events, Duration step) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0) {
            advance(step);
            T event = events.poll(50, TimeUnit.MILLISECONDS);
            if (event != null) {
                return event;
            }
        }
        throw new AssertionError("nothing happened within 20 s while the clock moved by " + step + " steps");
    }
}
