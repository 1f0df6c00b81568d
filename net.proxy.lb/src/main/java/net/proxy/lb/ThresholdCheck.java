package net.proxy.lb;

import java.time.Duration;

/** The shared part of the built-in health checks: their timing and thresholds. */
abstract class ThresholdCheck implements HealthCheck {
    final Duration timeout;
    private final Duration interval;
    private final int rise;
    private final int fall;

    ThresholdCheck(HealthCheckBuilder<?> b) {
        this.timeout = b.timeout;
        this.interval = b.interval;
        this.rise = b.rise;
        this.fall = b.fall;
    }

    @Override
    public final int rise() {
        return rise;
    }

    @Override
    public final int fall() {
        return fall;
    }

    @Override
    public final Duration interval() {
        return interval;
    }

    /** The timeout in milliseconds, at least 1. */
    final int timeoutMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }
}
