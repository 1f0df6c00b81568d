package net.proxy.l4;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import net.proxy.l4.spi.VirtualTransport;
import net.proxy.tls.TlsConnector;

/** Builds a {@link Peer}; obtained from {@link Peer#builder(SocketAddress)}. */
public final class PeerBuilder {
    final SocketAddress address;
    VirtualTransport transport;
    TlsConnector tls;
    String serverName;
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration totalTimeout;
    InetSocketAddress bindAddress;
    TcpKeepAlive keepAlive;
    boolean noDelay = true;
    ProxyProtocol proxyProtocol;

    PeerBuilder(SocketAddress address) {
        if (address == null) {
            throw new NullPointerException("address");
        }
        this.address = address;
    }

    /**
     * Connects through a virtual transport instead of a socket (Pingora's {@code custom_l4}).
     *
     * @param transport the transport; {@link Peer#address()} is then in its address space
     * @return this builder
     */
    public PeerBuilder transport(VirtualTransport transport) {
        if (transport == null) {
            throw new NullPointerException("transport");
        }
        this.transport = transport;
        return this;
    }

    /**
     * Speaks TLS to the peer. The SNI and verified name is {@link #serverName(String)}, or the
     * address's host string.
     *
     * @param connector the TLS client (share one per peer for session resumption)
     * @return this builder
     */
    public PeerBuilder tls(TlsConnector connector) {
        if (connector == null) {
            throw new NullPointerException("tls");
        }
        this.tls = connector;
        return this;
    }

    /**
     * Sets the TLS server name (SNI and hostname verification). Default: the address's host string.
     *
     * @param name a host name or IP literal
     * @return this builder
     */
    public PeerBuilder serverName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("serverName: empty (expected: a host name)");
        }
        this.serverName = name;
        return this;
    }

    /**
     * Bounds the L4 connect. Default: 10 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public PeerBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive("connectTimeout", timeout);
        return this;
    }

    /**
     * Bounds connect plus PROXY header plus TLS handshake. Default: none.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public PeerBuilder totalTimeout(Duration timeout) {
        this.totalTimeout = positive("totalTimeout", timeout);
        return this;
    }

    /**
     * Binds the local side of TCP connections (source address; port 0 for any). Default: none.
     *
     * @param address the local address
     * @return this builder
     */
    public PeerBuilder bindAddress(InetSocketAddress address) {
        if (address == null) {
            throw new NullPointerException("bindAddress");
        }
        this.bindAddress = address;
        return this;
    }

    /**
     * Turns on TCP keep-alive probing. Default: off.
     *
     * @param keepAlive the probing
     * @return this builder
     */
    public PeerBuilder keepAlive(TcpKeepAlive keepAlive) {
        if (keepAlive == null) {
            throw new NullPointerException("keepAlive");
        }
        this.keepAlive = keepAlive;
        return this;
    }

    /**
     * Sets TCP_NODELAY. Default: on.
     *
     * @param noDelay whether to disable Nagle's algorithm
     * @return this builder
     */
    public PeerBuilder noDelay(boolean noDelay) {
        this.noDelay = noDelay;
        return this;
    }

    /**
     * Sends a PROXY protocol header naming the downstream client first. Default: none.
     *
     * @param version V1 or V2
     * @return this builder
     */
    public PeerBuilder proxyProtocol(ProxyProtocol version) {
        if (version == null) {
            throw new NullPointerException("proxyProtocol");
        }
        this.proxyProtocol = version;
        return this;
    }

    /**
     * Builds the peer.
     *
     * @return the immutable peer
     */
    public Peer build() {
        return new Peer(this);
    }

    private static Duration positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
        return d;
    }
}
