package net.proxy.core;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import net.proxy.core.internal.Args;
import net.proxy.l4.spi.VirtualTransport;
import net.proxy.tls.TlsClientSettings;

/**
 * Where and how to connect for one upstream attempt: the address (TCP {@link InetSocketAddress}, Unix
 * {@link java.net.UnixDomainSocketAddress}, or an address of a virtual L4 transport given with
 * {@link Builder#transport(VirtualTransport)}), TLS settings with SNI, timeouts, and the identity that decides which
 * pooled connections may be shared ({@link #poolKey()}).
 *
 * <p>Virtual peers (Pingora 0.7's virtual L4 streams): any {@link VirtualTransport} — the in-process
 * {@link net.proxy.l4.PipeTransport} or a user's own tunnel — carries the upstream leg; pooling, TLS and the
 * connect, read, write and total timeouts apply as for TCP. The transport may hand over channels that live on its
 * own event loop: the engine then runs its upstream handler on the downstream connection's loop (Netty marshals
 * every event there, in order) so the exchange stays single-threaded.
 *
 * <p>Defaults: plain text; connect timeout 5 s; read timeout (between two reads while a response is expected)
 * 60 s; write timeout 60 s; idle time in the pool 60 s ({@link Duration#ZERO} turns pooling off for this peer); no
 * total timeout.
 *
 * <pre>{@code
 * HttpPeer peer = HttpPeer.builder(new InetSocketAddress("127.0.0.1", 8443))
 *         .tls(TlsClientSettings.defaults(), "origin.example")
 *         .readTimeout(Duration.ofSeconds(5))
 *         .build();
 * HttpPeer piped = HttpPeer.builder(PipeTransport.address("origin")).transport(pipe).build();
 * }</pre>
 */
public final class HttpPeer {
    private final SocketAddress address;
    private final VirtualTransport transport;
    private final TlsClientSettings tls;
    private final String sni;
    private final long groupKey;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final Duration idleTimeout;
    private final Duration totalTimeout;
    private final Object tag;
    private final PoolKey poolKey;

    /**
     * The identity that decides connection sharing: two peers share pooled connections only if their address,
     * virtual transport (the same instance, or none), TLS settings (the same instance), SNI and group key are equal.
     * The hash is computed once.
     */
    public static final class PoolKey {
        private final SocketAddress address;
        private final VirtualTransport transport;
        private final TlsClientSettings tls;
        private final String sni;
        private final long groupKey;
        private final int hash;

        PoolKey(SocketAddress address, VirtualTransport transport, TlsClientSettings tls, String sni, long groupKey) {
            this.address = address;
            this.transport = transport;
            this.tls = tls;
            this.sni = sni;
            this.groupKey = groupKey;
            this.hash = Objects.hash(
                    address, System.identityHashCode(transport), System.identityHashCode(tls), sni, groupKey);
        }

        /** The upstream address. */
        public SocketAddress address() {
            return address;
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
                    && address.equals(k.address)
                    && Objects.equals(sni, k.sni);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return address
                    + (transport == null ? "" : " via " + transport.name())
                    + (tls == null ? "" : " tls")
                    + (sni == null ? "" : " sni=" + sni)
                    + (groupKey == 0 ? "" : " group=" + groupKey);
        }
    }

    private HttpPeer(Builder b) {
        this.address = b.address;
        this.transport = b.transport;
        this.tls = b.tls;
        this.sni = b.sni;
        this.groupKey = b.groupKey;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.writeTimeout = b.writeTimeout;
        this.idleTimeout = b.idleTimeout;
        this.totalTimeout = b.totalTimeout;
        this.tag = b.tag;
        this.poolKey = new PoolKey(address, transport, tls, sni, groupKey);
    }

    /** A plain-text peer at {@code address} with every default. */
    public static HttpPeer of(SocketAddress address) {
        return builder(address).build();
    }

    /** A builder for a peer at {@code address}. */
    public static Builder builder(SocketAddress address) {
        return new Builder(address);
    }

    /** The address to connect to. */
    public SocketAddress address() {
        return address;
    }

    /** The virtual L4 transport that carries connections, or {@code null} for TCP and Unix sockets. */
    public VirtualTransport transport() {
        return transport;
    }

    /** The TLS settings, or {@code null} for plain text. */
    public TlsClientSettings tls() {
        return tls;
    }

    /** Whether connections use TLS. */
    public boolean isTls() {
        return tls != null;
    }

    /** The SNI sent (and the name verified), or {@code null}. */
    public String sni() {
        return sni;
    }

    /** The pool partition chosen by the user. */
    public long groupKey() {
        return groupKey;
    }

    /** The connect timeout (TCP, Unix, or a virtual transport's connect). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The longest wait for the next bytes of an expected response. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** The longest a write may stay unflushed. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** How long an idle connection stays pooled; zero disables pooling. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** The longest a whole attempt (connect to end of response) may take, or {@code null} for none. */
    public Duration totalTimeout() {
        return totalTimeout;
    }

    /** The user value attached to this peer (e.g. the load-balancer backend), or {@code null}. */
    public Object tag() {
        return tag;
    }

    /** The identity deciding which connections may be shared. */
    public PoolKey poolKey() {
        return poolKey;
    }

    @Override
    public String toString() {
        return "addr: " + address + (transport == null ? "" : ", via: " + transport.name()) + ", scheme: "
                + (tls == null ? "http" : "https") + (sni == null ? "" : ", sni: " + sni);
    }

    /** Builds an {@link HttpPeer}. */
    public static final class Builder {
        private final SocketAddress address;
        private VirtualTransport transport;
        private TlsClientSettings tls;
        private String sni;
        private long groupKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration writeTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration totalTimeout;
        private Object tag;

        private Builder(SocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
        }

        /**
         * Connects through a virtual L4 transport instead of a socket; the address is then in that transport's
         * address space (e.g. {@link net.proxy.l4.PipeTransport#address(String)}). Default: none (TCP or Unix,
         * decided by the address type).
         */
        public Builder transport(VirtualTransport value) {
            this.transport = Objects.requireNonNull(value, "transport");
            return this;
        }

        /** Use TLS with {@code settings}, sending {@code sni} (may be {@code null}: no SNI). */
        public Builder tls(TlsClientSettings settings, String sni) {
            this.tls = Objects.requireNonNull(settings, "settings");
            this.sni = sni;
            return this;
        }

        /** A pool partition; default 0. */
        public Builder groupKey(long value) {
            this.groupKey = value;
            return this;
        }

        /** Connect timeout (TCP, Unix or virtual); default 5 s. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Args.positive("connectTimeout", value);
            return this;
        }

        /** Read timeout; default 60 s. */
        public Builder readTimeout(Duration value) {
            this.readTimeout = Args.positive("readTimeout", value);
            return this;
        }

        /** Write timeout; default 60 s. */
        public Builder writeTimeout(Duration value) {
            this.writeTimeout = Args.positive("writeTimeout", value);
            return this;
        }

        /** Idle time in the pool; default 60 s; zero disables pooling. */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = Args.nonNegative("idleTimeout", value);
            return this;
        }

        /** Total time for one attempt; default none. */
        public Builder totalTimeout(Duration value) {
            this.totalTimeout = Args.positive("totalTimeout", value);
            return this;
        }

        /** Attaches a user value (e.g. the backend this peer was made from). */
        public Builder tag(Object value) {
            this.tag = value;
            return this;
        }

        /** The peer. */
        public HttpPeer build() {
            return new HttpPeer(this);
        }
    }
}
