package net.proxy.lb;

import java.time.Duration;

/**
 * The settings every built-in {@link HealthCheck} shares: timeout (default 1 s), interval (default 5 s), rise and
 * fall (default 1 each, as Pingora).
 *
 * @param <B> the concrete builder type
 */
public abstract class HealthCheckBuilder<B extends HealthCheckBuilder<B>> {
    Duration timeout = Duration.ofSeconds(1);
    Duration interval = Duration.ofSeconds(5);
    int rise = 1;
    int fall = 1;

    HealthCheckBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Connect (and read) timeout of one check; default 1 s. */
    public B timeout(Duration value) {
        this.timeout = Checks.positive("timeout", value);
        return self();
    }

    /** Time between checks; default 5 s. */
    public B interval(Duration value) {
        this.interval = Checks.positive("interval", value);
        return self();
    }

    /** Consecutive successes to become healthy; default 1. */
    public B rise(int value) {
        this.rise = Checks.atLeast("rise", value, 1);
        return self();
    }

    /** Consecutive failures to become unhealthy; default 1. */
    public B fall(int value) {
        this.fall = Checks.atLeast("fall", value, 1);
        return self();
    }
}
