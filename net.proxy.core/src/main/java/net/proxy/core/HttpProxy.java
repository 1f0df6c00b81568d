package net.proxy.core;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.DomainSocketChannel;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import net.proxy.core.internal.Args;
import net.proxy.core.internal.RecyclingAllocator;
import net.proxy.core.internal.Transport;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpLimits;
import net.proxy.http.RequestHeader;
import net.proxy.l4.AcceptSequence;
import net.proxy.l4.ConnectionFilter;
import net.proxy.l4.Endpoint;
import net.proxy.l4.ListenerStats;
import net.proxy.l4.Stream;
import net.proxy.l4.StreamKind;
import net.proxy.l4.spi.VirtualTransport;
import net.proxy.tls.TlsAcceptor;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsConnector;
import net.proxy.tls.TlsServerSettings;

/**
 * The HTTP/1.1 proxy engine: runs a {@link ProxyHttp} for every request on the connections it is given, with
 * keep-alive on both sides, streaming bodies with backpressure, a connection pool per event loop, retries and
 * timeouts. Add it to a {@link Server} as a {@link ListeningService}, or drive it from your own accept loop with
 * {@link #handleConnection(Channel)} (Pingora 0.7's public {@code HttpProxy}).
 *
 * <p>Defaults (see the builder): at most 16 retries (Pingora's {@code max_retries}); 60 s to receive a request
 * head; 60 s idle between keep-alive requests (Pingora waits forever, a known gap); 60 s for a stalled downstream
 * write; 300 s in total per request; no status-driven retries; 128 idle upstream connections per peer and event
 * loop; a 30 s grace period on graceful stop; {@link HttpLimits#defaults()} for parsing.
 *
 * <pre>{@code
 * HttpProxy<Void> proxy = HttpProxy.builder(new MyProxy())
 *         .listen(new InetSocketAddress("127.0.0.1", 6188))
 *         .retryOnStatus(502, 503)
 *         .build();
 * Server.builder().threads(1).build().add(proxy).start();
 * }</pre>
 *
 * @param <C> the per-request context type of the {@link ProxyHttp}
 */
public class HttpProxy<C> implements ListeningService {
    private static final String HANDLER = "net.proxy.http1";
    private final ProxyHttp<C> app;
    private final Settings settings;
    private final String name;
    private final List<SocketAddress> addresses;
    private final List<Endpoint.Virtual> virtualEndpoints;
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final Set<DownstreamConnection> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final Map<TlsClientSettings, TlsConnector> tlsConnectors = new ConcurrentHashMap<>();
    private final TlsAcceptor tlsAcceptor;
    /** The PROXY header and connection filter run on accepted sockets, or {@code null} when neither is set. */
    private final AcceptSequence accept;
    /** Whether the asynchronous variants are overridden; if not, the engine calls the synchronous phases directly. */
    final boolean asyncRequestFilter;

    final boolean asyncUpstreamPeer;
    private volatile boolean shuttingDown;

    /** Settings of the engine, fixed at build time. */
    static final class Settings {
        final int maxRetries;
        final long headerTimeoutNanos;
        final long keepAliveTimeoutNanos;
        final long writeTimeoutNanos;
        final long totalTimeoutNanos;
        final Set<Integer> retryStatuses;
        final int maxIdlePerPeer;
        final ByteBufAllocator allocator;
        final Duration gracePeriod;
        final HttpLimits limits;

        Settings(Builder<?> b) {
            this.maxRetries = b.maxRetries;
            this.headerTimeoutNanos = b.headerTimeout.toNanos();
            this.keepAliveTimeoutNanos = b.keepAliveTimeout.toNanos();
            this.writeTimeoutNanos = b.writeTimeout.toNanos();
            this.totalTimeoutNanos = b.totalTimeout.toNanos();
            this.retryStatuses = Set.copyOf(b.retryStatuses);
            this.maxIdlePerPeer = b.maxIdlePerPeer;
            this.allocator = b.allocator;
            this.gracePeriod = b.gracePeriod;
            this.limits = b.limits;
        }
    }

    /** Creates the engine from a builder; subclasses call this from their own constructor. */
    protected HttpProxy(Builder<C> builder) {
        this.app = builder.app;
        this.settings = new Settings(builder);
        this.name = builder.name;
        this.addresses = List.copyOf(builder.addresses);
        this.virtualEndpoints = List.copyOf(builder.virtualEndpoints);
        this.tlsAcceptor = builder.tls == null ? null : TlsAcceptor.of(builder.tls);
        this.accept = builder.filter == null && !builder.proxyProtocol
                ? null
                : AcceptSequence.builder()
                        .filter(builder.filter == null ? ConnectionFilter.acceptAll() : builder.filter)
                        .proxyProtocol(builder.proxyProtocol)
                        .proxyHeaderTimeout(builder.proxyHeaderTimeout)
                        .handler(this::serve)
                        .build();
        this.asyncRequestFilter = overrides(app, "requestFilterAsync");
        this.asyncUpstreamPeer = overrides(app, "upstreamPeerAsync");
    }

    /** Whether {@code app} overrides the default of the asynchronous phase {@code name} (checked once). */
    private static boolean overrides(ProxyHttp<?> app, String name) {
        try {
            return app.getClass().getMethod(name, Session.class, Object.class).getDeclaringClass() != ProxyHttp.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    /** A builder for an engine running {@code app}. */
    public static <C> Builder<C> builder(ProxyHttp<C> app) {
        return new Builder<>(app);
    }

    /** The user logic. */
    public final ProxyHttp<C> app() {
        return app;
    }

    final Settings settings() {
        return settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<SocketAddress> addresses() {
        return addresses;
    }

    @Override
    public Duration gracePeriod() {
        return settings.gracePeriod;
    }

    @Override
    public void initChannel(Channel channel) {
        channel.config().setAllocator(settings.allocator);
        if (accept == null) {
            handleConnection(channel);
        } else {
            accept.adopt(
                    channel,
                    channel instanceof DomainSocketChannel ? StreamKind.UNIX : StreamKind.TCP,
                    Transport.best().name().toLowerCase(Locale.ROOT));
        }
    }

    /** Serves a socket that passed the PROXY header and the connection filter (reading paused until now). */
    private void serve(Stream stream) {
        Channel channel = stream.channel();
        DownstreamConnection conn =
                new DownstreamConnection(this, stream.digest().clientAddress());
        channel.pipeline().addLast(HANDLER, conn);
        conn.onActive();
        if (tlsAcceptor != null) {
            tlsAcceptor.handshake(channel);
        }
        stream.resumeReading();
    }

    /**
     * Counts of the sockets run through the PROXY header and the connection filter: handed over, rejected by the
     * filter, failed (a bad or late PROXY header). All zero when neither is configured.
     */
    public ListenerStats acceptStats() {
        return accept == null ? new ListenerStats(0, 0, 0) : accept.stats();
    }

    @Override
    public List<Endpoint.Virtual> virtualEndpoints() {
        return virtualEndpoints;
    }

    @Override
    public void initVirtualChannel(Channel channel, EventLoop loop) {
        handleConnection(channel, loop);
    }

    /**
     * Serves HTTP/1.1 on a registered {@code channel} (typically accepted from a virtual transport, possibly
     * already active) with the engine running on {@code loop}: the channel's own loop, or another one, e.g. a
     * {@link Server} loop when the channel lives on the transport's loop (as {@link net.proxy.l4.PipeTransport}'s
     * do), so upstream sockets and pools stay on loops that can host them. In the second case a bridge on the
     * channel hands its events to {@code loop} in order and the connection runs there single-threaded. Call it on
     * the channel's loop with {@code autoRead} off, and turn {@code autoRead} on afterwards. Any TLS handler must
     * come before.
     */
    public void handleConnection(Channel channel, EventLoop loop) {
        DownstreamConnection conn = new DownstreamConnection(this);
        if (channel.eventLoop() == loop) {
            channel.pipeline().addLast(HANDLER, conn);
            if (channel.isActive()) {
                conn.onActive();
            }
        } else {
            channel.pipeline().addLast(HANDLER, new LoopBridge(loop, conn));
            loop.execute(() -> {
                conn.adopt(channel, loop);
                if (channel.isActive()) {
                    conn.onActive();
                }
            });
        }
        if (tlsAcceptor != null) {
            tlsAcceptor.handshake(channel);
        }
    }

    /**
     * Serves HTTP/1.1 on {@code channel} (accepted by any means; must not be registered for reads yet or be in
     * its pipeline set-up): installs the engine's handler at the end of its pipeline. Any TLS handler must come
     * before.
     */
    public void handleConnection(Channel channel) {
        channel.pipeline().addLast(HANDLER, new DownstreamConnection(this));
        if (tlsAcceptor != null) {
            tlsAcceptor.handshake(channel);
        }
    }

    /**
     * The TLS acceptor of this proxy's listeners, or {@code null} for plain text; its {@link TlsAcceptor#update}
     * replaces certificates for new handshakes without a restart.
     */
    public TlsAcceptor tls() {
        return tlsAcceptor;
    }

    TlsConnector tlsConnector(TlsClientSettings settings) {
        return tlsConnectors.computeIfAbsent(settings, TlsConnector::of);
    }

    /** Whether a graceful stop has begun. */
    public final boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * The share of upstream requests served on a pooled connection (0..1) since start, over all event loops;
     * 0 before the first request.
     */
    public double reuseRatio() {
        long acquired = 0;
        long reused = 0;
        for (UpstreamPool p : pools.values()) {
            acquired += p.acquired;
            reused += p.reused;
        }
        return acquired == 0 ? 0 : (double) reused / acquired;
    }

    /** Open downstream connections. */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public CompletionStage<Void> beginShutdown() {
        shuttingDown = true;
        for (DownstreamConnection c : connections) {
            c.loop().execute(c::shutdown);
        }
        for (UpstreamPool p : pools.values()) {
            p.loop().execute(p::closeIdle);
        }
        if (connections.isEmpty()) {
            drained.complete(null);
        }
        return drained;
    }

    /** Closes every downstream connection and every idle upstream connection now. */
    @Override
    public void closeNow() {
        shuttingDown = true;
        for (DownstreamConnection c : connections) {
            c.closeNow();
        }
        for (UpstreamPool p : pools.values()) {
            p.loop().execute(p::closeIdle);
        }
    }

    UpstreamPool poolFor(EventLoop loop) {
        UpstreamPool p = pools.get(loop);
        if (p == null) {
            p = pools.computeIfAbsent(loop, l -> new UpstreamPool(l, this, Transport.best(), settings.maxIdlePerPeer));
        }
        return p;
    }

    void opened(DownstreamConnection c) {
        connections.add(c);
        if (shuttingDown) {
            c.shutdown();
        }
    }

    void closed(DownstreamConnection c) {
        connections.remove(c);
        if (shuttingDown && connections.isEmpty()) {
            drained.complete(null);
        }
    }

    /**
     * Creates the exchange for one request; a subclass may wrap or replace how requests are proxied by
     * overriding {@link #newExchangeHook} instead (this method stays internal to keep the state machine sealed).
     */
    Exchange<C> newExchange(
            Downstream down, UpstreamPool pool, RequestHeader request, boolean subrequest, long startNanos) {
        newExchangeHook(request);
        return new Exchange<>(this, down, pool, request, subrequest, startNanos);
    }

    /**
     * Called for every request head before its phases start (on the event loop), e.g. to count requests or tag
     * them; a subclass overrides it to customise the engine. The default does nothing.
     */
    protected void newExchangeHook(RequestHeader request) {}

    CompletionStage<Integer> spawnSubrequest(Downstream parent, UpstreamPool pool, RequestHeader request) {
        RequestHeader r = request.copy();
        r.headers().remove("Content-Length");
        r.headers().remove("Transfer-Encoding");
        r.headers().remove("Expect");
        if (r.framing().kind() != BodyFraming.Kind.NONE) {
            throw new IllegalArgumentException("subrequest: " + r.method() + " with a body (expected: no body)");
        }
        SubrequestDownstream sub = new SubrequestDownstream(parent.loop(), parent.alloc(), parent.digest());
        parent.loop().execute(() -> new Exchange<>(this, sub, pool, r, true, System.nanoTime()).start());
        return sub.done;
    }

    /** Builds an {@link HttpProxy}. */
    public static final class Builder<C> {
        private final ProxyHttp<C> app;
        private String name = "http-proxy";
        private final List<SocketAddress> addresses = new ArrayList<>();
        private final List<Endpoint.Virtual> virtualEndpoints = new ArrayList<>();
        private int maxRetries = 16;
        private Duration headerTimeout = Duration.ofSeconds(60);
        private Duration keepAliveTimeout = Duration.ofSeconds(60);
        private Duration writeTimeout = Duration.ofSeconds(60);
        private Duration totalTimeout = Duration.ofSeconds(300);
        private Set<Integer> retryStatuses = Set.of();
        private int maxIdlePerPeer = 128;
        private ByteBufAllocator allocator = RecyclingAllocator.INSTANCE;
        private Duration gracePeriod = Duration.ofSeconds(30);
        private HttpLimits limits = HttpLimits.defaults();
        private TlsServerSettings tls;
        private ConnectionFilter filter;
        private boolean proxyProtocol;
        private Duration proxyHeaderTimeout = Duration.ofSeconds(10);

        private Builder(ProxyHttp<C> app) {
            this.app = Objects.requireNonNull(app, "app");
        }

        /** A name for logs; default {@code http-proxy}. */
        public Builder<C> name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        /** Adds an address to listen on when hosted by a {@link Server}. */
        public Builder<C> listen(SocketAddress address) {
            addresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * Adds a virtual L4 endpoint to accept from when hosted by a {@link Server}, e.g.
         * {@code listen(pipe, PipeTransport.address("proxy"))} to feed the proxy from in-process pipes. Requests
         * are served on the server's loops whatever loop the transport's channels live on.
         */
        public Builder<C> listen(VirtualTransport transport, SocketAddress address) {
            virtualEndpoints.add(Endpoint.virtual(transport, address));
            return this;
        }

        /** The most retries per request; default 16. */
        public Builder<C> maxRetries(int value) {
            this.maxRetries = Args.atLeast("maxRetries", value, 0);
            return this;
        }

        /** Time allowed to receive a request head; default 60 s. */
        public Builder<C> headerTimeout(Duration value) {
            this.headerTimeout = Args.positive("headerTimeout", value);
            return this;
        }

        /** Idle time allowed between keep-alive requests; default 60 s. */
        public Builder<C> keepAliveTimeout(Duration value) {
            this.keepAliveTimeout = Args.positive("keepAliveTimeout", value);
            return this;
        }

        /** Time a downstream write may stay blocked by a slow client; default 60 s. */
        public Builder<C> writeTimeout(Duration value) {
            this.writeTimeout = Args.positive("writeTimeout", value);
            return this;
        }

        /** Total time allowed per request; default 300 s. */
        public Builder<C> totalTimeout(Duration value) {
            this.totalTimeout = Args.positive("totalTimeout", value);
            return this;
        }

        /**
         * Upstream statuses that make an idempotent, replayable request go back to {@code upstreamPeer} (while
         * retries remain; the last attempt's response is forwarded whatever its status); default none.
         */
        public Builder<C> retryOnStatus(int... statuses) {
            Set<Integer> s = new java.util.HashSet<>();
            for (int st : statuses) {
                s.add(Args.between("retryOnStatus", st, 100, 599));
            }
            this.retryStatuses = s;
            return this;
        }

        /** Idle upstream connections kept per peer and event loop; default 128 (Pingora's pool size). */
        public Builder<C> maxIdlePerPeer(int value) {
            this.maxIdlePerPeer = Args.atLeast("maxIdlePerPeer", value, 0);
            return this;
        }

        /**
         * The allocator of the buffers of the proxy's sockets, client and upstream (connections a virtual
         * transport makes keep their own). The default keeps the direct buffers each event loop releases and
         * hands them out again on that loop, with no lock (a request's buffers are made and released on its loop);
         * give {@code ByteBufAllocator.DEFAULT} for Netty's own pooling.
         */
        public Builder<C> allocator(ByteBufAllocator value) {
            this.allocator = Objects.requireNonNull(value, "allocator");
            return this;
        }

        /** How long a graceful stop waits for requests in flight; default 30 s. */
        public Builder<C> gracePeriod(Duration value) {
            this.gracePeriod = Args.nonNegative("gracePeriod", value);
            return this;
        }

        /** Parser limits for requests and responses; default {@link HttpLimits#defaults()}. */
        public Builder<C> limits(HttpLimits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** Terminates TLS with {@code settings} on every listener of this proxy (HTTPS); default plain text. */
        public Builder<C> tls(TlsServerSettings settings) {
            this.tls = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Decides on each socket accepted by this proxy's TCP and Unix listeners before any byte is read (after
         * the PROXY header, if required, so it sees the client that header names); a rejected socket is closed.
         * Default: accept all. Virtual endpoints are not filtered.
         */
        public Builder<C> connectionFilter(ConnectionFilter value) {
            this.filter = Objects.requireNonNull(value, "connectionFilter");
            return this;
        }

        /**
         * Requires a PROXY protocol header (v1 or v2) first on every socket of this proxy's TCP and Unix listeners,
         * as sent by HAProxy, AWS NLB or another L4 balancer in front; {@link Session#digest()} then reports the
         * client it names as the remote address. A socket without a valid header within
         * {@link #proxyHeaderTimeout} is closed. Default off.
         */
        public Builder<C> proxyProtocol(boolean enabled) {
            this.proxyProtocol = enabled;
            return this;
        }

        /** How long a socket may take to send its PROXY header; default 10 s. */
        public Builder<C> proxyHeaderTimeout(Duration value) {
            this.proxyHeaderTimeout = Args.positive("proxyHeaderTimeout", value);
            return this;
        }

        /** The engine. */
        public HttpProxy<C> build() {
            return new HttpProxy<>(this);
        }
    }
}
