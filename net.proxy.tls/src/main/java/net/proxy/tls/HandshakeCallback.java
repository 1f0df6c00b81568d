package net.proxy.tls;

/**
 * Runs once a handshake completed successfully, on the connection's event loop, before any
 * application data is delivered (Pingora's {@code handshake_complete_callback}). The returned value
 * becomes {@link TlsDigest#extension()}.
 */
@FunctionalInterface
public interface HandshakeCallback {

    /**
     * Inspects the completed handshake.
     *
     * @param digest the handshake's digest (without extension)
     * @return the value to attach, or {@code null}
     * @throws RuntimeException to reject the connection (it is closed)
     */
    Object onHandshakeComplete(TlsDigest digest);
}
