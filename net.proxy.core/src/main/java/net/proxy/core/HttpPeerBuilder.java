package net.proxy.core;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import net.proxy.core.internal.Args;
import net.proxy.l4.Peer;
import net.proxy.l4.PeerBuilder;
import net.proxy.l4.ProxyProtocol;
import net.proxy.l4.spi.VirtualTransport;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsConnector;

/**
 * Builds an {@link HttpPeer}; obtained from {@link HttpPeer#builder(SocketAddress)} (HTTP and L4 options) or
 * {@link HttpPeer#builder(Peer)} (HTTP options over a finished L4 peer). Validates each value as it is set.
 */
public final class HttpPeerBuilder {
    private final PeerBuilder l4Builder;
    private final Peer l4;
    long groupKey;
    Duration readTimeout = Duration.ofSeconds(60);
    Duration writeTimeout = Duration.ofSeconds(60);
    Duration idleTimeout = Duration.ofSeconds(60);
    Duration totalTimeout;
    Object tag;

    HttpPeerBuilder(SocketAddress address, Peer l4) {
        this.l4 = l4;
        this.l4Builder = l4 == null ? Peer.builder(address).connectTimeout(Duration.ofSeconds(5)) : null;
    }

    private PeerBuilder l4Options(String option) {
        if (l4Builder == null) {
            throw new IllegalStateException(option + ": an L4 option (expected: set it on the L4 peer " + l4 + ")");
        }
        return l4Builder;
    }

    /**
     * Connects through a virtual L4 transport instead of a socket; the address is then in that transport's address
     * space (e.g. {@link net.proxy.l4.PipeTransport#address(String)}). Default: none (TCP or Unix, decided by the
     * address type).
     *
     * @param value the transport
     * @return this builder
     */
    public HttpPeerBuilder transport(VirtualTransport value) {
        l4Options("transport").transport(value);
        return this;
    }

    /**
     * Uses TLS through {@code connector}, sending and verifying {@code serverName} (default for an IP address: its
     * literal).
     *
     * @param connector the TLS client
     * @param serverName the SNI name, or {@code null} for the default
     * @return this builder
     */
    public HttpPeerBuilder tls(TlsConnector connector, String serverName) {
        l4Options("tls").tls(connector);
        if (serverName != null) {
            l4Builder.serverName(serverName);
        }
        return this;
    }

    /**
     * Uses TLS with {@code settings}: makes a {@link TlsConnector} (a TLS context) for this peer. Peers built with
     * the same settings instance share pooled connections.
     *
     * @param settings the TLS client settings
     * @param serverName the SNI name, or {@code null} for the default
     * @return this builder
     */
    public HttpPeerBuilder tls(TlsClientSettings settings, String serverName) {
        return tls(TlsConnector.of(Objects.requireNonNull(settings, "settings")), serverName);
    }

    /**
     * Sends a PROXY protocol header naming the downstream client first on every new connection. Default: none.
     *
     * @param version the header version
     * @return this builder
     */
    public HttpPeerBuilder proxyProtocol(ProxyProtocol version) {
        l4Options("proxyProtocol").proxyProtocol(version);
        return this;
    }

    /**
     * Connect timeout (TCP, Unix or virtual); default 5 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpPeerBuilder connectTimeout(Duration value) {
        l4Options("connectTimeout").connectTimeout(value);
        return this;
    }

    /**
     * A pool partition; default 0.
     *
     * @param value the group key
     * @return this builder
     */
    public HttpPeerBuilder groupKey(long value) {
        this.groupKey = value;
        return this;
    }

    /**
     * Read timeout; default 60 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpPeerBuilder readTimeout(Duration value) {
        this.readTimeout = Args.positive("readTimeout", value);
        return this;
    }

    /**
     * Write timeout; default 60 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpPeerBuilder writeTimeout(Duration value) {
        this.writeTimeout = Args.positive("writeTimeout", value);
        return this;
    }

    /**
     * Idle time in the pool; default 60 s; zero disables pooling.
     *
     * @param value zero or a positive duration
     * @return this builder
     */
    public HttpPeerBuilder idleTimeout(Duration value) {
        this.idleTimeout = Args.nonNegative("idleTimeout", value);
        return this;
    }

    /**
     * Total time for one attempt, from connect to the end of the response; default none.
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpPeerBuilder totalTimeout(Duration value) {
        this.totalTimeout = Args.positive("totalTimeout", value);
        return this;
    }

    /**
     * Attaches a user value (e.g. the backend this peer was made from).
     *
     * @param value the tag, or {@code null} for none
     * @return this builder
     */
    public HttpPeerBuilder tag(Object value) {
        this.tag = value;
        return this;
    }

    /**
     * Builds the peer.
     *
     * @return the peer
     * @throws IllegalArgumentException if TLS is set for a non-IP address without a server name
     */
    public HttpPeer build() {
        return new HttpPeer(this, l4 != null ? l4 : l4Builder.build());
    }
}
