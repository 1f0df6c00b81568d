package net.proxy.core;

/**
 * An upstream connection as the {@link UpstreamPool} keeps it. An HTTP/1 connection carries one request at a time:
 * it leaves the pool while in use and comes back when its response ended cleanly. A multiplexed (HTTP/2) connection
 * carries many: it stays in the pool while it has room for another stream, and every request takes a new
 * {@link UpstreamSession} of it.
 */
interface PooledConnection {
    /** Whether the connection stays in the pool while it carries requests (HTTP/2); false for HTTP/1. */
    boolean multiplexed();

    /**
     * A session for one more request, or null if the connection cannot carry one now (closed, misbehaving, or a
     * multiplexed connection at its stream limit). For HTTP/1 the connection leaves the idle state.
     */
    UpstreamSession newSession();

    /** Whether the connection is open and may carry requests. */
    boolean isActive();

    /** Idle in the pool from now: the connection closes itself (and leaves the pool) after {@code idleNanos}. */
    void enterPool(long idleNanos);

    /** Closes the connection. */
    void close();

    /**
     * Takes no more requests and closes once the ones it carries ended (a graceful stop); an idle HTTP/1
     * connection, the only kind the pool holds, closes at once.
     */
    default void closeWhenIdle() {
        close();
    }
}
