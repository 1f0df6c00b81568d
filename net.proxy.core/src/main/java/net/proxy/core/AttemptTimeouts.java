package net.proxy.core;

import java.util.concurrent.TimeUnit;

/**
 * The timeouts of one request attempt on an upstream connection or HTTP/2 stream, from its {@link HttpPeer}: no
 * response byte for the read timeout, the request's bytes blocked for the write timeout, the attempt longer than
 * the peer's total timeout. An HTTP/1 connection, a custom-protocol connection and an HTTP/2 stream each keep one
 * and ask it when their timer fires. Times are the engine's ticker's, in nanoseconds.
 */
final class AttemptTimeouts {
    private final String where;
    private long readNanos;
    private long writeNanos;
    private long attemptDeadline;
    private boolean hasAttemptDeadline;

    /** {@code where} names the transport in the errors, e.g. {@code "on the HTTP/2 stream "}, or is empty. */
    AttemptTimeouts(String where) {
        this.where = where;
    }

    /** An attempt to {@code peer} starts at {@code now}. */
    void start(HttpPeer peer, long now) {
        readNanos = peer.readTimeout().toNanos();
        writeNanos = peer.writeTimeout().toNanos();
        hasAttemptDeadline = peer.totalTimeout().isPresent();
        if (hasAttemptDeadline) {
            attemptDeadline = now + peer.totalTimeout().get().toNanos();
        }
    }

    long writeNanos() {
        return writeNanos;
    }

    /**
     * The earliest deadline, given the last byte from the origin at {@code lastActivity} and the request blocked
     * since {@code unwritableSince} (0: not blocked).
     */
    long next(long lastActivity, long unwritableSince) {
        long d = lastActivity + readNanos;
        if (unwritableSince != 0 && d - (unwritableSince + writeNanos) > 0) {
            d = unwritableSince + writeNanos;
        }
        return hasAttemptDeadline && d - attemptDeadline > 0 ? attemptDeadline : d;
    }

    /** The error of the first timeout that passed at {@code now} (arguments as for {@link #next}), or null. */
    ProxyError expired(long now, long lastActivity, long unwritableSince) {
        if (now - (lastActivity + readNanos) >= 0) {
            return ProxyError.of(
                    ErrorKind.READ_TIMEOUT,
                    ErrorSource.UPSTREAM,
                    "no response bytes " + where + "for " + TimeUnit.NANOSECONDS.toMillis(readNanos) + " ms");
        }
        if (unwritableSince != 0 && now - (unwritableSince + writeNanos) >= 0) {
            return ProxyError.of(
                    ErrorKind.WRITE_TIMEOUT,
                    ErrorSource.UPSTREAM,
                    "request write blocked " + where + "for " + TimeUnit.NANOSECONDS.toMillis(writeNanos) + " ms");
        }
        if (hasAttemptDeadline && now - attemptDeadline >= 0) {
            return ProxyError.of(
                    ErrorKind.TOTAL_TIMEOUT, ErrorSource.UPSTREAM, "the attempt exceeded the peer's total timeout");
        }
        return null;
    }
}
