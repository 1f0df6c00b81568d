package net.proxy.lru;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay; how a {@link ReadThroughCache} times out callers waiting for another caller's
 * lookup. Injected so tests can fire timeouts without waiting; a timer wheel can be adapted to it.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Runs {@code task} once, about {@code delay} from now, on some thread; the task is short and does
     * not block.
     *
     * @param delay how long to wait, positive
     * @param task what to run
     */
    void schedule(Duration delay, Runnable task);

    /**
     * Returns the scheduler backed by {@link CompletableFuture#delayedExecutor(long, TimeUnit)}: the JDK's
     * shared daemon timer thread, which runs the task in the common fork-join pool.
     *
     * @return the JDK scheduler
     */
    static Scheduler jdk() {
        return (delay, task) -> CompletableFuture.delayedExecutor(Checks.saturatedNanos(delay), TimeUnit.NANOSECONDS)
                .execute(task);
    }
}
