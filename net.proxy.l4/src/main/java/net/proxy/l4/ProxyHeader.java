package net.proxy.l4;

import java.net.InetSocketAddress;

/**
 * A parsed PROXY protocol header: who the original client was when a load balancer forwards a
 * connection.
 *
 * @param version 1 (text) or 2 (binary)
 * @param local {@code true} for a v2 {@code LOCAL} command or v1 {@code UNKNOWN} (a health check by
 *     the balancer itself: the addresses are then {@code null})
 * @param source the original client, or {@code null}
 * @param destination the address the client connected to, or {@code null}
 */
public record ProxyHeader(int version, boolean local, InetSocketAddress source, InetSocketAddress destination) {

    /**
     * Validates.
     *
     * @param version 1 or 2
     * @param local whether addresses are absent
     * @param source the client
     * @param destination the original destination
     */
    public ProxyHeader {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("version: " + version + " (expected: 1 or 2)");
        }
        if (!local && (source == null || destination == null)) {
            throw new IllegalArgumentException("source/destination: null (expected: both for PROXY)");
        }
    }
}
