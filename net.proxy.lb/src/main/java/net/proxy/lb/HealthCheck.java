package net.proxy.lb;

import java.time.Duration;

/**
 * An active probe of one backend, run periodically by a {@link LoadBalancer} on its background scheduler. A
 * backend becomes unhealthy after {@link #fall()} consecutive failed checks and healthy again after
 * {@link #rise()} consecutive successful ones; it starts healthy.
 *
 * <p>Implementations: {@link TcpHealthCheck} (a connection can be made) and {@link HttpHealthCheck} (a request
 * gets the expected status).
 */
public interface HealthCheck {
    /**
     * Probes {@code backend}; returns normally if it is healthy. May block up to its own timeout.
     *
     * @throws Exception describing why the backend is unhealthy
     */
    void check(Backend backend) throws Exception;

    /** Consecutive successes that bring an unhealthy backend back. Default 1 (Pingora's). */
    default int rise() {
        return 1;
    }

    /** Consecutive failures that take a healthy backend out. Default 1 (Pingora's). */
    default int fall() {
        return 1;
    }

    /** How often every backend is checked. Default 5 s. */
    default Duration interval() {
        return Duration.ofSeconds(5);
    }
}
