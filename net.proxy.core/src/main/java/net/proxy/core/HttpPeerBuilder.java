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
    UpstreamProtocol protocol = UpstreamProtocol.H1;
    CustomProtocol customProtocol;
    int maxH2Streams = H2Options.DEFAULT_MAX_STREAMS;
    int h2StreamWindow = H2Options.DEFAULT_STREAM_WINDOW;
    int h2ConnectionWindow = H2Options.DEFAULT_CONNECTION_WINDOW;
    int h2MaxFrameSize = H2Options.DEFAULT_MAX_FRAME_SIZE;
    Duration h2PingInterval = Duration.ZERO;

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
     * The HTTP version to speak to the origin; default {@link UpstreamProtocol#H1}. {@link UpstreamProtocol#H2} on
     * plain text is HTTP/2 with prior knowledge ("h2c"); on TLS it offers ALPN {@code h2};
     * {@link UpstreamProtocol#H2_OR_H1} needs TLS and offers {@code h2, http/1.1}. TLS settings without ALPN get a
     * copy offering the protocol's list ({@link TlsClientSettings#withAlpn}); settings whose ALPN list cannot
     * negotiate the protocol are refused by {@link #build()}.
     *
     * @param value the protocol
     * @return this builder
     */
    public HttpPeerBuilder protocol(UpstreamProtocol value) {
        this.protocol = Objects.requireNonNull(value, "protocol");
        return this;
    }

    /**
     * Most concurrent requests (streams) on one HTTP/2 connection to this peer; default 100. The limit in force is
     * the smaller of this and the origin's {@code SETTINGS_MAX_CONCURRENT_STREAMS}; a request that finds every
     * connection full opens another one. Pingora's {@code max_h2_streams} (whose default, 1, gives up multiplexing).
     *
     * @param value at least 1
     * @return this builder
     */
    public HttpPeerBuilder maxH2Streams(int value) {
        this.maxH2Streams = Args.atLeast("maxH2Streams", value, 1);
        return this;
    }

    /**
     * The HTTP/2 receive window of each stream ({@code SETTINGS_INITIAL_WINDOW_SIZE}); default 1 MiB. It bounds the
     * response bytes one request holds while its client reads slower than the origin sends: the proxy gives window
     * back only for bytes it has handed to the client's connection.
     *
     * @param bytes 65,535 to 2^31 - 1
     * @return this builder
     */
    public HttpPeerBuilder h2StreamWindow(int bytes) {
        this.h2StreamWindow = Args.between("h2StreamWindow", bytes, 65_535, Integer.MAX_VALUE);
        return this;
    }

    /**
     * The HTTP/2 receive window of a whole connection; default 16 MiB, so that sixteen streams with slow clients
     * must be stalled before the connection's other streams are.
     *
     * @param bytes 65,535 to 2^31 - 1
     * @return this builder
     */
    public HttpPeerBuilder h2ConnectionWindow(int bytes) {
        this.h2ConnectionWindow = Args.between("h2ConnectionWindow", bytes, 65_535, Integer.MAX_VALUE);
        return this;
    }

    /**
     * The largest HTTP/2 frame payload the origin may send ({@code SETTINGS_MAX_FRAME_SIZE}); default 64 KiB
     * (Pingora's), so large bodies arrive in few frames.
     *
     * @param bytes 16,384 to 16,777,215 (RFC 9113 §6.5.2)
     * @return this builder
     */
    public HttpPeerBuilder h2MaxFrameSize(int bytes) {
        this.h2MaxFrameSize = Args.between("h2MaxFrameSize", bytes, 16_384, 16_777_215);
        return this;
    }

    /**
     * Sends an HTTP/2 PING on each connection every {@code value}; a PING unanswered within 5 s closes the
     * connection and fails its requests. Default {@link Duration#ZERO}: no keep-alive PINGs (an idle connection
     * closes after {@link #idleTimeout}, and the read timeout watches every request).
     *
     * @param value zero (off) or a positive duration
     * @return this builder
     */
    public HttpPeerBuilder h2PingInterval(Duration value) {
        this.h2PingInterval = Args.nonNegative("h2PingInterval", value);
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
     * @throws IllegalArgumentException if TLS is set for a non-IP address without a server name, if the protocol is
     *     {@link UpstreamProtocol#H2_OR_H1} without TLS, if the TLS settings offer an ALPN list that cannot
     *     negotiate the protocol, or if a custom protocol is set with a protocol other than {@code H1}
     */
    public HttpPeer build() {
        return new HttpPeer(this, withAlpn(l4 != null ? l4 : l4Builder.build()));
    }

    /**
     * Speaks {@code value} to this peer (Pingora 0.7's {@code ALPN::Custom} on a peer): over TLS the peer offers ALPN
     * {@code [custom id, http/1.1]} and speaks the custom protocol when the origin selects it, else HTTP/1.1; on
     * clear text it always speaks the custom protocol. Custom connections are pooled like HTTP/1 ones (an HTTP/1.1
     * fallback connection shares the pool of its custom siblings); peers share them when their protocols are equal
     * (keep one {@code CustomProtocol} instance: its codec factory is compared by identity). With TLS settings that
     * name an ALPN list, the list must contain the custom id. Default: none.
     *
     * @param value the protocol
     * @return this builder
     * @see #build() which refuses it with a protocol other than {@link UpstreamProtocol#H1}
     */
    public HttpPeerBuilder customProtocol(CustomProtocol value) {
        this.customProtocol = Objects.requireNonNull(value, "customProtocol");
        return this;
    }

    /** The L4 peer whose TLS connector offers the ALPN ids {@link #protocol} needs. */
    private Peer withAlpn(Peer peer) {
        if (customProtocol != null) {
            return withCustomAlpn(peer);
        }
        if (peer.tls().isEmpty()) {
            if (protocol == UpstreamProtocol.H2_OR_H1) {
                throw new IllegalArgumentException("protocol: H2_OR_H1 without TLS (expected: a TLS peer, since"
                        + " plain text cannot negotiate; H2 speaks HTTP/2 with prior knowledge)");
            }
            return peer;
        }
        if (protocol == UpstreamProtocol.H1) {
            return peer;
        }
        TlsConnector connector = peer.tls().get();
        java.util.List<String> offered = connector.settings().alpn();
        if (offered.isEmpty()) {
            TlsConnector c = protocol == UpstreamProtocol.H2
                    ? connector.withAlpn(H2Options.ALPN_H2)
                    : connector.withAlpn(H2Options.ALPN_H2, H2Options.ALPN_HTTP11);
            return peer.toBuilder().tls(c).build();
        }
        boolean ok = protocol == UpstreamProtocol.H2
                ? offered.contains(H2Options.ALPN_H2)
                : offered.contains(H2Options.ALPN_H2) || offered.contains(H2Options.ALPN_HTTP11);
        if (!ok) {
            throw new IllegalArgumentException("protocol: " + protocol + " with TLS settings offering ALPN " + offered
                    + " (expected: " + (protocol == UpstreamProtocol.H2 ? "h2" : "h2 or http/1.1")
                    + " among them, or no ALPN list so that the peer offers its own)");
        }
        return peer;
    }

    /** The L4 peer whose TLS connector offers {@code [custom id, http/1.1]}, unless its settings name a list. */
    private Peer withCustomAlpn(Peer peer) {
        if (protocol != UpstreamProtocol.H1) {
            throw new IllegalArgumentException(
                    "protocol: " + protocol + " with a custom protocol (expected: H1, the custom protocol's fallback)");
        }
        if (peer.tls().isEmpty()) {
            return peer;
        }
        TlsConnector connector = peer.tls().get();
        java.util.List<String> offered = connector.settings().alpn();
        if (offered.isEmpty()) {
            return peer.toBuilder()
                    .tls(connector.withAlpn(customProtocol.alpn(), H2Options.ALPN_HTTP11))
                    .build();
        }
        if (!offered.contains(customProtocol.alpn())) {
            throw new IllegalArgumentException("customProtocol: " + customProtocol.alpn()
                    + " with TLS settings offering ALPN " + offered
                    + " (expected: it among them, or no ALPN list so that the peer offers its own)");
        }
        return peer;
    }
}
