package net.proxy.lru;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond ticker that only moves when a test advances it; starts near overflow on purpose. */
final class ManualTicker implements LongSupplier {
    private final AtomicLong now =
            new AtomicLong(Long.MAX_VALUE - Duration.ofMinutes(1).toNanos());

    @Override
    public long getAsLong() {
        return now.get();
    }

    void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}
