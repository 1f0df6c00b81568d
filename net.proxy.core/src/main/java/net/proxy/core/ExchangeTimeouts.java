package net.proxy.core;

import java.util.concurrent.TimeUnit;

/**
 * The timeouts of an exchange that its client side checks when its timer fires, the same for an HTTP/1 connection,
 * an HTTP/2 stream and a custom-protocol connection: the client's write timeout (it took no response bytes) and the
 * exchange's deadline (the total timeout, or a gRPC call's {@code grpc-timeout}).
 */
final class ExchangeTimeouts {
    /** {@link #check} aborted the exchange: the client took nothing for the write timeout. */
    static final long WRITE_TIMED_OUT = Long.MIN_VALUE;
    /** {@link #check} aborted the exchange: its deadline passed. */
    static final long DEADLINE_PASSED = Long.MIN_VALUE + 1;

    private ExchangeTimeouts() {}

    /**
     * Aborts {@code ex} when the client has been unwritable since {@code unwritableSince} (0: it is writable) for
     * {@code writeTimeoutNanos}, or when the exchange's deadline passed; otherwise returns the earlier of the two
     * deadlines. The caller closes a connection whose client stopped reading ({@link #WRITE_TIMED_OUT}).
     */
    static long check(Exchange<?> ex, long now, long unwritableSince, long writeTimeoutNanos) {
        long deadline = ex.deadline();
        if (unwritableSince != 0) {
            long w = unwritableSince + writeTimeoutNanos;
            if (now - w >= 0) {
                ex.abort(ProxyError.of(
                        ErrorKind.WRITE_TIMEOUT,
                        ErrorSource.DOWNSTREAM,
                        "the client took no response bytes for " + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos)
                                + " ms"));
                return WRITE_TIMED_OUT;
            }
            deadline = deadline - w < 0 ? deadline : w;
        }
        if (now - ex.deadline() >= 0) {
            ex.abort(ex.deadlineError());
            return DEADLINE_PASSED;
        }
        return deadline;
    }
}
