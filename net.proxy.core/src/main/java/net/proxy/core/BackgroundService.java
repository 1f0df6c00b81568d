package net.proxy.core;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Work that runs beside the listening services of a {@link Server}: health checks, discovery refreshes, metrics
 * pushes. The server calls {@link #start} once with its background scheduler (daemon threads that may block, never
 * an event loop) and {@link #stop} when it stops.
 */
public interface BackgroundService {
    /** A short name for logs and thread names. */
    String name();

    /** Schedules the service's work on {@code scheduler}; returns promptly. */
    void start(ScheduledExecutorService scheduler);

    /** Stops scheduling new work; work already running may finish. The default does nothing. */
    default void stop() {}
}
