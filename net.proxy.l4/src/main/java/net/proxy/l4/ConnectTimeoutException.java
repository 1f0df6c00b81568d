package net.proxy.l4;

import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** An upstream connection was not established in time. */
public final class ConnectTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    /** Which limit elapsed. */
    public enum Phase {
        /** The L4 connect ({@link Peer#connectTimeout()}). */
        CONNECT,
        /** Connect plus PROXY header plus TLS handshake ({@link Peer#totalTimeout()}). */
        TOTAL
    }

    private final Phase phase;

    /**
     * Creates the exception.
     *
     * @param phase which limit elapsed
     * @param address the peer
     * @param timeout the limit
     */
    public ConnectTimeoutException(Phase phase, SocketAddress address, Duration timeout) {
        super((phase == Phase.CONNECT ? "connect" : "total connect") + " timeout " + timeout + " to " + address);
        this.phase = phase;
    }

    /**
     * Returns which limit elapsed.
     *
     * @return the phase
     */
    public Phase phase() {
        return phase;
    }
}
