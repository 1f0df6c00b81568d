package net.proxy.l4;

import java.time.Duration;

/** A client of a PROXY-protocol listener did not send a complete header in time. */
public final class ProxyHeaderTimeoutException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param timeout the timeout that elapsed
     */
    public ProxyHeaderTimeoutException(Duration timeout) {
        super("no complete PROXY protocol header within " + timeout);
    }
}
