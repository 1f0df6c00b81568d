package net.proxy.core;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import net.proxy.l4.Peer;
import net.proxy.l4.spi.VirtualTransport;
import net.proxy.tls.TlsConnector;

/**
 * Where and how to send one upstream attempt: an L4 {@link Peer} (address, virtual transport, TLS with its server
 * name, connect timeouts, socket options, PROXY header) plus what HTTP adds: read, write, idle and attempt timeouts,
 * a pool partition and a user tag. Two peers share pooled connections only if their {@linkplain #poolKey() pool
 * keys} are equal.
 *
 * <p>Virtual peers (Pingora 0.7's virtual L4 streams): any {@link VirtualTransport} — the in-process
 * {@link net.proxy.l4.PipeTransport} or a user's own tunnel — carries the upstream leg; pooling, TLS and the
 * connect, read, write and total timeouts apply as for TCP. The transport may hand over channels that live on its
 * own event loop: the engine then runs its upstream handler on the downstream connection's loop (Netty marshals
 * every event there, in order) so the request stays single-threaded.
 *
 * <p>Defaults: plain text; connect timeout 5 s; read timeout (between two reads while a response is expected)
 * 60 s; write timeout 60 s; idle time in the pool 60 s ({@link Duration#ZERO} turns pooling off for this peer); no
 * attempt timeout. Build a peer once and reuse it where you can: {@link HttpPeerBuilder#tls(
 * net.proxy.tls.TlsClientSettings, String)} makes a TLS context.
 *
 * <p>Protocol ({@link #protocol()}, Pingora's ALPN choice): HTTP/1.1 by default. {@link UpstreamProtocol#H2} speaks
 * HTTP/2 with prior knowledge on plain text ("h2c") and offers ALPN {@code h2} on TLS (an origin that selects
 * anything else fails the connect); {@link UpstreamProtocol#H2_OR_H1} needs TLS, offers {@code h2, http/1.1} and
 * speaks what the origin selects. TLS settings without ALPN get a cached copy that offers the protocol's list, so
 * peers built from one settings instance keep sharing connections. On TLS the selected protocol always decides:
 * an {@code H1} peer whose own settings offer {@code h2} speaks HTTP/2 when the origin selects it.
 * A {@linkplain #customProtocol() custom protocol} (Pingora 0.7's {@code ALPN::Custom}) is offered as
 * {@code [custom id, http/1.1]} on TLS and spoken when selected, else HTTP/1.1; on plain text it is always spoken.
 *
 * <p>HTTP/2 connections are shared: requests to peers with equal pool keys take streams of one connection until it
 * is full, and a request that finds none with room opens another (requests arriving while it opens wait for it).
 * HTTP/2 defaults: at most 100 concurrent streams per connection ({@link HttpPeerBuilder#maxH2Streams}; the
 * origin's {@code SETTINGS_MAX_CONCURRENT_STREAMS} may lower it), push disabled, a 1 MiB stream window and a 16 MiB
 * connection window (the response bytes a slow client can hold in the proxy: window is given back to the origin only
 * for bytes handed to the client), 64 KiB frames, no keep-alive PING ({@link HttpPeerBuilder#h2PingInterval}; an
 * unanswered PING closes the connection after 5 s). A GOAWAY retires a connection, and requests the origin declares
 * unprocessed (above the GOAWAY's last stream id, or refused with {@code REFUSED_STREAM}) are retried whatever their
 * method ({@link ProxyError.Retry#UNPROCESSED}). A virtual transport that hands over channels of another event loop
 * carries HTTP/1 only: an HTTP/2 peer on it fails to connect.
 *
 * <pre>{@code
 * HttpPeer peer = HttpPeer.builder(new InetSocketAddress("127.0.0.1", 8443))
 *         .tls(TlsClientSettings.defaults(), "origin.example")
 *         .readTimeout(Duration.ofSeconds(5))
 *         .build();
 * HttpPeer h2c = HttpPeer.builder(new InetSocketAddress("127.0.0.1", 8080)).protocol(UpstreamProtocol.H2).build();
 * HttpPeer piped = HttpPeer.builder(PipeTransport.address("origin")).transport(pipe).build();
 * HttpPeer fromL4 = HttpPeer.builder(Peer.builder("10.0.0.7", 80).proxyProtocol(ProxyProtocol.V2).build()).build();
 * }</pre>
 */
public final class HttpPeer {
    private final Peer l4;
    private final long groupKey;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final Duration idleTimeout;
    private final Duration totalTimeout;
    private final Object tag;
    private final UpstreamProtocol protocol;
    private final CustomProtocol customProtocol;
    private final H2Options h2;
    private final PoolKey poolKey;

    HttpPeer(HttpPeerBuilder b, Peer l4) {
        this.l4 = l4;
        this.groupKey = b.groupKey;
        this.readTimeout = b.readTimeout;
        this.writeTimeout = b.writeTimeout;
        this.idleTimeout = b.idleTimeout;
        this.totalTimeout = b.totalTimeout;
        this.tag = b.tag;
        this.protocol = b.protocol;
        this.customProtocol = b.customProtocol;
        this.h2 = new H2Options(
                b.maxH2Streams, b.h2StreamWindow, b.h2ConnectionWindow, b.h2MaxFrameSize, b.h2PingInterval.toNanos());
        this.poolKey = new PoolKey(l4, groupKey, protocol, h2, customProtocol);
    }

    /**
     * A plain-text peer at {@code address} with every default.
     *
     * @param address a TCP, Unix or (with a transport) virtual address
     * @return the peer
     */
    public static HttpPeer of(SocketAddress address) {
        return builder(address).build();
    }

    /**
     * Starts a peer at {@code address}; the builder also sets the L4 options.
     *
     * @param address a TCP, Unix or (with {@link HttpPeerBuilder#transport}) virtual address
     * @return a new builder
     */
    public static HttpPeerBuilder builder(SocketAddress address) {
        return new HttpPeerBuilder(Objects.requireNonNull(address, "address"), null);
    }

    /**
     * Starts a peer that connects as {@code l4} says (its connect timeouts, socket options, TLS and PROXY header);
     * the builder then sets only the HTTP options.
     *
     * @param l4 the L4 peer
     * @return a new builder
     */
    public static HttpPeerBuilder builder(Peer l4) {
        return new HttpPeerBuilder(null, Objects.requireNonNull(l4, "l4"));
    }

    /**
     * The L4 peer: address, transport, TLS, connect timeouts, socket options.
     *
     * @return the L4 peer
     */
    public Peer l4() {
        return l4;
    }

    /**
     * The address to connect to (the L4 peer's).
     *
     * @return the address
     */
    public SocketAddress address() {
        return l4.address();
    }

    /**
     * Whether connections use TLS.
     *
     * @return {@code true} when the L4 peer has a TLS connector
     */
    public boolean isTls() {
        return l4.tls().isPresent();
    }

    /**
     * The pool partition chosen by the user.
     *
     * @return the group key, 0 by default
     */
    public long groupKey() {
        return groupKey;
    }

    /**
     * The longest wait for the next bytes of an expected response.
     *
     * @return the read timeout
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * The longest a write to the origin may stay blocked.
     *
     * @return the write timeout
     */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /**
     * How long an idle connection stays pooled; zero disables pooling.
     *
     * @return the idle timeout
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * The longest a whole attempt (connect to the end of the response) may take.
     *
     * @return the attempt timeout, empty for none
     */
    public Optional<Duration> totalTimeout() {
        return Optional.ofNullable(totalTimeout);
    }

    /**
     * The user value attached to this peer (e.g. the load-balancer backend).
     *
     * @return the tag, empty if none
     */
    public Optional<Object> tag() {
        return Optional.ofNullable(tag);
    }

    /**
     * The HTTP version spoken to this peer (see {@link UpstreamProtocol}); on TLS the version the origin selects by
     * ALPN decides for each connection.
     *
     * @return the protocol, {@link UpstreamProtocol#H1} by default
     */
    public UpstreamProtocol protocol() {
        return protocol;
    }

    /**
     * The custom protocol spoken to this peer ({@link HttpPeerBuilder#customProtocol}): on TLS when the origin
     * selects its ALPN id (else HTTP/1.1), always on clear text.
     *
     * @return the protocol, or empty (the default) for HTTP only
     */
    public java.util.Optional<CustomProtocol> customProtocol() {
        return java.util.Optional.ofNullable(customProtocol);
    }

    /** The custom protocol, or null. */
    CustomProtocol custom() {
        return customProtocol;
    }

    /**
     * Most concurrent requests on one HTTP/2 connection (the origin's own limit may be lower).
     *
     * @return the limit, 100 by default
     */
    public int maxH2Streams() {
        return h2.maxStreams();
    }

    /**
     * The HTTP/2 receive window of each stream.
     *
     * @return bytes, 1 MiB by default
     */
    public int h2StreamWindow() {
        return h2.streamWindow();
    }

    /**
     * The HTTP/2 receive window of each connection.
     *
     * @return bytes, 16 MiB by default
     */
    public int h2ConnectionWindow() {
        return h2.connectionWindow();
    }

    /**
     * The largest HTTP/2 frame payload the origin may send.
     *
     * @return bytes, 64 KiB by default
     */
    public int h2MaxFrameSize() {
        return h2.maxFrameSize();
    }

    /**
     * The HTTP/2 keep-alive PING interval.
     *
     * @return the interval, {@link Duration#ZERO} (no PINGs) by default
     */
    public Duration h2PingInterval() {
        return Duration.ofNanos(h2.pingIntervalNanos());
    }

    /** The HTTP/2 settings, as one value. */
    H2Options h2() {
        return h2;
    }

    /** The identity deciding which connections may be shared. */
    PoolKey poolKey() {
        return poolKey;
    }

    @Override
    public String toString() {
        return "addr: " + l4.address()
                + l4.transport().map(t -> ", via: " + t.name()).orElse("")
                + ", scheme: " + (isTls() ? "https, sni: " + l4.serverName() : "http")
                + (protocol == UpstreamProtocol.H1 ? "" : ", protocol: " + protocol)
                + (customProtocol == null ? "" : ", custom: " + customProtocol.alpn());
    }

    /**
     * Which pooled connections a peer may use: equal when the address, the virtual transport (the same instance,
     * or none), the TLS settings (the same instance, or none), the server name, the group key, the protocol and
     * the HTTP/2 settings are (so HTTP/1 and HTTP/2 connections to one address are never mixed up). The hash is
     * computed once.
     */
    static final class PoolKey {
        private final SocketAddress address;
        private final VirtualTransport transport;
        private final Object tls;
        private final String serverName;
        private final long groupKey;
        private final UpstreamProtocol protocol;
        private final H2Options h2;
        private final CustomProtocol custom;
        private final int hash;

        PoolKey(Peer peer, long groupKey, UpstreamProtocol protocol, H2Options h2, CustomProtocol custom) {
            this.address = peer.address();
            this.transport = peer.transport().orElse(null);
            this.tls = peer.tls().map(TlsConnector::settings).orElse(null);
            this.serverName = tls == null ? null : peer.serverName();
            this.groupKey = groupKey;
            this.protocol = protocol;
            this.h2 = h2;
            this.custom = custom;
            this.hash = Objects.hash(
                    custom,
                    address,
                    System.identityHashCode(transport),
                    System.identityHashCode(tls),
                    serverName,
                    groupKey,
                    protocol,
                    h2);
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof PoolKey)) {
                return false;
            }
            PoolKey k = (PoolKey) o;
            return hash == k.hash
                    && groupKey == k.groupKey
                    && tls == k.tls
                    && transport == k.transport
                    && protocol == k.protocol
                    && h2.equals(k.h2)
                    && Objects.equals(custom, k.custom)
                    && address.equals(k.address)
                    && Objects.equals(serverName, k.serverName);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return address
                    + (transport == null ? "" : " via " + transport.name())
                    + (tls == null ? "" : " tls sni=" + serverName)
                    + (groupKey == 0 ? "" : " group=" + groupKey)
                    + (protocol == UpstreamProtocol.H1 ? "" : " " + protocol)
                    + (custom == null ? "" : " custom=" + custom.alpn());
        }
    }
}
