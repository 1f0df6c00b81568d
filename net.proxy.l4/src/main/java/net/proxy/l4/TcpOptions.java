package net.proxy.l4;

/**
 * Options of a listening TCP socket and the connections it accepts.
 *
 * @param backlog the accept queue length (default 65535, capped by {@code net.core.somaxconn})
 * @param reusePort {@code SO_REUSEPORT} (default off; needs native epoll)
 * @param noDelay {@code TCP_NODELAY} on accepted connections (default on)
 * @param keepAlive keep-alive probing of accepted connections, or {@code null} (default) for none
 * @param fastOpenQueue TCP Fast Open queue length, 0 (default) for off; refused at bind time where
 *     the kernel has no server-side TFO ({@link Transport#fastOpenServerAvailable()})
 */
public record TcpOptions(int backlog, boolean reusePort, boolean noDelay, TcpKeepAlive keepAlive, int fastOpenQueue) {

    /** The defaults: backlog 65535, no SO_REUSEPORT, TCP_NODELAY, no keep-alive, no TFO. */
    public static final TcpOptions DEFAULTS = new TcpOptions(65_535, false, true, null, 0);

    /**
     * Validates the values.
     *
     * @param backlog the accept queue length, {@code >= 1}
     * @param reusePort SO_REUSEPORT
     * @param noDelay TCP_NODELAY
     * @param keepAlive keep-alive or {@code null}
     * @param fastOpenQueue TFO queue length, {@code >= 0}
     */
    public TcpOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog: " + backlog + " (expected: >= 1)");
        }
        if (fastOpenQueue < 0) {
            throw new IllegalArgumentException("fastOpenQueue: " + fastOpenQueue + " (expected: >= 0)");
        }
    }

    /**
     * Returns a copy with another backlog.
     *
     * @param value the backlog
     * @return the copy
     */
    public TcpOptions withBacklog(int value) {
        return new TcpOptions(value, reusePort, noDelay, keepAlive, fastOpenQueue);
    }

    /**
     * Returns a copy with SO_REUSEPORT set.
     *
     * @param value whether to set it
     * @return the copy
     */
    public TcpOptions withReusePort(boolean value) {
        return new TcpOptions(backlog, value, noDelay, keepAlive, fastOpenQueue);
    }

    /**
     * Returns a copy with TCP_NODELAY set.
     *
     * @param value whether to set it
     * @return the copy
     */
    public TcpOptions withNoDelay(boolean value) {
        return new TcpOptions(backlog, reusePort, value, keepAlive, fastOpenQueue);
    }

    /**
     * Returns a copy with keep-alive probing.
     *
     * @param value the probing, or {@code null} for none
     * @return the copy
     */
    public TcpOptions withKeepAlive(TcpKeepAlive value) {
        return new TcpOptions(backlog, reusePort, noDelay, value, fastOpenQueue);
    }

    /**
     * Returns a copy with a TCP Fast Open queue.
     *
     * @param value the queue length, 0 for off
     * @return the copy
     */
    public TcpOptions withFastOpen(int value) {
        return new TcpOptions(backlog, reusePort, noDelay, keepAlive, value);
    }
}
