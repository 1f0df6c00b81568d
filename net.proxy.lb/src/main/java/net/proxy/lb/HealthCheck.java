package net.proxy.lb;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * An active probe of one backend, run periodically by a {@link LoadBalancer} once it is started. A backend becomes
 * unhealthy after {@link #fall()} consecutive failed checks and healthy again after {@link #rise()} consecutive
 * successful ones; it starts healthy.
 *
 * <p>Built-in implementations in {@code net.proxy.lb.health}: {@code TcpHealthCheck} (a connection can be made),
 * {@code HttpHealthCheck} (a request gets the expected status) and {@code GrpcHealthCheck} (the standard gRPC health
 * service answers {@code SERVING}), all over {@code net.proxy.l4} connections. Your own
 * check returns a stage; a check that blocks should run on an executor of its own:
 *
 * <pre>{@code
 * HealthCheck ping = backend -> CompletableFuture.runAsync(() -> pingOrThrow(backend), executor);
 * }</pre>
 *
 * <p>A load balancer owns its health check: {@link LoadBalancer#close()} closes it.
 */
@FunctionalInterface
public interface HealthCheck extends AutoCloseable {
    /**
     * Probes {@code backend} without blocking.
     *
     * @param backend the backend
     * @return a stage that completes normally if the backend is healthy, or exceptionally with the reason it is
     *     not; it should complete within {@link #timeout()}
     */
    CompletionStage<Void> check(Backend backend);

    /**
     * Consecutive successes that bring an unhealthy backend back.
     *
     * @return the threshold; default 1 (Pingora's)
     */
    default int rise() {
        return 1;
    }

    /**
     * Consecutive failures that take a healthy backend out.
     *
     * @return the threshold; default 1 (Pingora's)
     */
    default int fall() {
        return 1;
    }

    /**
     * How often every backend is checked: the time from the end of one round of checks to the start of the next.
     *
     * @return the interval; default 5 s
     */
    default Duration interval() {
        return Duration.ofSeconds(5);
    }

    /**
     * How long one check may take. A load balancer stops waiting for a check one second after this and counts it
     * as failed, so a check that never completes cannot stall the others.
     *
     * @return the timeout; default 1 s
     */
    default Duration timeout() {
        return Duration.ofSeconds(1);
    }

    /** Releases what the check holds (connections, threads); the default holds nothing. */
    @Override
    default void close() {}
}
