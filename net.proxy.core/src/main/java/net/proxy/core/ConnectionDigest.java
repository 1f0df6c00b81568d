package net.proxy.core;

import java.net.SocketAddress;
import net.proxy.tls.TlsDigest;

/**
 * What is known about one connection, downstream or upstream.
 *
 * @param localAddress this side's address
 * @param remoteAddress the other side's address
 * @param tls the TLS handshake's outcome (with the handshake callback's extension), or {@code null} for plain
 *     connections
 * @param establishedNanos when the connection was established ({@link System#nanoTime()} time base)
 */
public record ConnectionDigest(
        SocketAddress localAddress, SocketAddress remoteAddress, TlsDigest tls, long establishedNanos) {}
