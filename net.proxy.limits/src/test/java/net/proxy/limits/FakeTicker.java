package net.proxy.limits;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A manual nanosecond clock for tests. */
final class FakeTicker implements LongSupplier {

    private long nanos = 1_000_000_000L;

    @Override
    public long getAsLong() {
        return nanos;
    }

    void advance(Duration d) {
        nanos += d.toNanos();
    }
}
