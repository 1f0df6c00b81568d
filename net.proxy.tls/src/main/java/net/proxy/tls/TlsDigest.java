package net.proxy.tls;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a completed TLS handshake established, attached to the connection.
 *
 * @param engine the engine that ran the handshake ({@code "jdk"}, {@code "conscrypt"})
 * @param protocol the protocol, e.g. {@code "TLSv1.3"}
 * @param cipherSuite the cipher suite, e.g. {@code "TLS_AES_128_GCM_SHA256"}
 * @param serverName the SNI host name the client sent (server side) or that was sent (client side),
 *     or {@code null}
 * @param applicationProtocol the ALPN result, e.g. {@code "h2"}, or {@code null} if none
 * @param resumed whether an earlier session was resumed
 * @param peerCertificates the peer's chain, leaf first; empty when the peer sent none
 * @param handshakeDuration from the first handshake byte to completion
 * @param extension the value the handshake-complete callback returned, or {@code null}
 */
public record TlsDigest(
        String engine,
        String protocol,
        String cipherSuite,
        String serverName,
        String applicationProtocol,
        boolean resumed,
        List<CertificateInfo> peerCertificates,
        Duration handshakeDuration,
        Object extension) {

    /**
     * Copies the chain.
     *
     * @param engine engine name
     * @param protocol protocol name
     * @param cipherSuite cipher suite name
     * @param serverName SNI host name or {@code null}
     * @param applicationProtocol ALPN result or {@code null}
     * @param resumed whether the session was resumed
     * @param peerCertificates the peer's chain
     * @param handshakeDuration handshake time
     * @param extension callback value or {@code null}
     */
    public TlsDigest {
        peerCertificates = List.copyOf(peerCertificates);
    }

    /**
     * Returns the callback value if it has this type (Pingora's {@code extension.get::<T>()}).
     *
     * @param type the expected type
     * @param <T> the type
     * @return the value, or empty if absent or of another type
     */
    public <T> Optional<T> extension(Class<T> type) {
        return type.isInstance(extension) ? Optional.of(type.cast(extension)) : Optional.empty();
    }

    /**
     * Returns this digest with another extension value.
     *
     * @param value the new value, or {@code null}
     * @return a copy
     */
    public TlsDigest withExtension(Object value) {
        return new TlsDigest(
                engine,
                protocol,
                cipherSuite,
                serverName,
                applicationProtocol,
                resumed,
                peerCertificates,
                handshakeDuration,
                value);
    }

    /**
     * Returns the peer's leaf certificate, if it sent one.
     *
     * @return the leaf's description
     */
    public Optional<CertificateInfo> peerCertificate() {
        return peerCertificates.isEmpty() ? Optional.empty() : Optional.of(peerCertificates.get(0));
    }
}
