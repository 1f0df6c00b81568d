package net.proxy.timeout;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A future bounded by {@link TimerWheel#orTimeout} did not complete within its timeout. The message
 * names the duration, e.g. {@code "timed out after 250 ms"}.
 *
 * <p>Timeouts are expected outcomes on a hot path, so this exception carries no stack trace.
 */
public final class TimeoutExceededException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    /** The timeout that elapsed. */
    private final Duration timeout;

    /**
     * An exception for an elapsed timeout.
     *
     * @param timeout the duration that elapsed
     */
    public TimeoutExceededException(Duration timeout) {
        super("timed out after " + describe(Objects.requireNonNull(timeout, "timeout")));
        this.timeout = timeout;
    }

    /**
     * The duration that elapsed.
     *
     * @return the timeout given to {@link TimerWheel#orTimeout}
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * No stack trace: the timer thread's stack says nothing about the operation that was late.
     *
     * @return this exception
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** A duration in the largest whole unit: "2 s", "250 ms", "15 µs" or "7 ns". */
    static String describe(Duration d) {
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.getSeconds() + " s";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + " µs";
        }
        return nanos + " ns";
    }
}
