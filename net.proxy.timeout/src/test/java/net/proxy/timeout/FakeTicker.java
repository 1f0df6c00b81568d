package net.proxy.timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A manual nanosecond clock for tests, safe to read from any thread. */
final class FakeTicker implements LongSupplier {

    private final AtomicLong nanos = new AtomicLong(7_000_000_123L);

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
