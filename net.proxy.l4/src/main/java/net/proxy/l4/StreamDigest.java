package net.proxy.l4;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.proxy.tls.TlsDigest;

/**
 * What is known about a stream: its kind, addresses, timing and TLS.
 *
 * @param kind TCP, Unix or virtual
 * @param transport {@code "epoll"}, {@code "nio"}, or the virtual transport's name
 * @param localAddress our side's address
 * @param remoteAddress the peer's socket address
 * @param proxyHeader the PROXY protocol header received, or {@code null}
 * @param established when the connection was accepted or connected
 * @param connectDuration for upstream streams, how long the L4 connect took; {@code null} for
 *     accepted ones
 * @param tls the TLS digest (its {@code handshakeDuration} is the TLS time), or {@code null}
 */
public record StreamDigest(
        StreamKind kind,
        String transport,
        SocketAddress localAddress,
        SocketAddress remoteAddress,
        ProxyHeader proxyHeader,
        Instant established,
        Duration connectDuration,
        TlsDigest tls) {

    /**
     * Returns the original client: the PROXY header's source if present, else the remote address.
     *
     * @return the client address
     */
    public SocketAddress clientAddress() {
        if (proxyHeader != null && !proxyHeader.local()) {
            return proxyHeader.source();
        }
        return remoteAddress;
    }

    /**
     * Returns the TLS digest.
     *
     * @return the digest, empty for plaintext streams
     */
    public Optional<TlsDigest> tlsDigest() {
        return Optional.ofNullable(tls);
    }

    /**
     * Returns the TLS handshake duration.
     *
     * @return the duration, empty for plaintext streams
     */
    public Optional<Duration> tlsHandshakeDuration() {
        return tlsDigest().map(TlsDigest::handshakeDuration);
    }

    StreamDigest withTls(TlsDigest digest) {
        return new StreamDigest(
                kind, transport, localAddress, remoteAddress, proxyHeader, established, connectDuration, digest);
    }

    StreamDigest withProxyHeader(ProxyHeader header) {
        return new StreamDigest(
                kind, transport, localAddress, remoteAddress, header, established, connectDuration, tls);
    }

    static InetSocketAddress inet(SocketAddress a) {
        return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    }
}
