package net.proxy.timeout;

/**
 * A handle on a task scheduled on a {@link TimerWheel}: it either runs once, or is cancelled.
 */
public interface Timeout {

    /**
     * Cancels the task if it has not started yet. O(1): a compare-and-set, and for a timer already
     * placed in the wheel one lock-free push that the driving thread processes on its next tick.
     *
     * @return {@code true} if this call cancelled it; {@code false} if it already ran, started or was
     *     cancelled
     */
    boolean cancel();

    /**
     * Whether {@link #cancel()} succeeded (or the wheel was closed first).
     *
     * @return {@code true} once cancelled
     */
    boolean isCancelled();

    /**
     * Whether the deadline was reached and the task was started.
     *
     * @return {@code true} once the task has been handed to the driving thread to run
     */
    boolean isExpired();
}
