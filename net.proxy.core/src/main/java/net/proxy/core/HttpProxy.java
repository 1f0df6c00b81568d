package net.proxy.core;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpLimits;
import net.proxy.http.RequestHeader;
import net.proxy.l4.ConnectionFilter;
import net.proxy.l4.Connector;
import net.proxy.l4.Endpoint;
import net.proxy.l4.Listener;
import net.proxy.l4.ListenerBuilder;
import net.proxy.l4.ListenerStats;
import net.proxy.l4.LoopTimers;
import net.proxy.l4.Stream;
import net.proxy.l4.Transport;
import net.proxy.timeout.TimerWheel;
import net.proxy.tls.TlsAcceptor;
import net.proxy.tls.TlsServerSettings;

/**
 * The HTTP proxy engine: runs a {@link ProxyHttp} for every request on the streams it is given, with keep-alive on
 * both sides, streaming bodies with backpressure, a connection pool per event loop, retries and timeouts. Add it to
 * a {@link Server} (which binds its endpoints with an l4 {@link Listener}), or hand it streams yourself with
 * {@link #start(Transport)} and {@link #serve(Stream, EventLoop)} (Pingora 0.7's public {@code HttpProxy}).
 * Upstream connections are made by an l4 {@link Connector} on the loop of the request.
 *
 * <p>Defaults (see {@link HttpProxyBuilder}): at most 16 retries (Pingora's {@code max_retries}); 60 s to receive a
 * request head; 60 s idle between keep-alive requests (Pingora waits forever, a known gap); 60 s for a stalled
 * downstream write; 300 s in total per request; no status-driven retries; 1024 idle upstream connections per peer and
 * event loop; a 30 s grace period on graceful stop; {@link HttpLimits#defaults()} for parsing.
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
    static final String H2_HANDLER = "net.proxy.http2";
    private final ProxyHttp<C> app;
    private final ProxySettings settings;
    private final String name;
    private final List<Endpoint> endpoints;
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final TlsAcceptor tlsAcceptor;
    /** The accept options, copied from the builder: a builder changed after build() changes nothing here. */
    private final ConnectionFilter filter;
    /** The custom protocol of the listeners, or null; {@link #forceCustom} serves it on every connection. */
    private final CustomProtocol custom;

    private final boolean forceCustom;

    private final boolean proxyProtocol;
    private final Duration proxyHeaderTimeout;
    private final LoopTimers timers;
    private volatile Connector connector;
    private volatile boolean shuttingDown;

    /**
     * Creates the engine from a builder; subclasses call this from their own constructor.
     *
     * @param builder the configuration
     */
    protected HttpProxy(HttpProxyBuilder<C> builder) {
        this.app = builder.app;
        this.settings = new ProxySettings(builder);
        this.name = builder.name;
        this.endpoints = List.copyOf(builder.endpoints);
        this.custom = builder.customProtocol;
        this.forceCustom = builder.forceCustomProtocol;
        this.tlsAcceptor = builder.tls == null
                ? null
                : TlsAcceptor.of(withAlpn(builder.tls, settings.http2, builder.customProtocol));
        this.filter = builder.filter;
        this.proxyProtocol = builder.proxyProtocol;
        this.proxyHeaderTimeout = builder.proxyHeaderTimeout;
        this.timers = LoopTimers.create(settings.ticker, TimerWheel.DEFAULT_TICK);
    }

    /**
     * The TLS settings with ALPN {@code h2, http/1.1} when HTTP/2 is on and they name no protocols themselves; with a
     * custom protocol, its id first: {@code custom, h2, http/1.1} (or {@code custom, http/1.1}).
     */
    private static TlsServerSettings withAlpn(TlsServerSettings tls, Http2Options http2, CustomProtocol custom) {
        if (custom != null && tls.alpn().isEmpty()) {
            return http2.enabled()
                    ? tls.withAlpn(custom.alpn(), "h2", "http/1.1")
                    : tls.withAlpn(custom.alpn(), "http/1.1");
        }
        return http2.enabled() && tls.alpn().isEmpty() ? tls.withAlpn("h2", "http/1.1") : tls;
    }

    /**
     * A builder for an engine running {@code app}.
     *
     * @param app the proxy logic
     * @param <C> the per-request context type
     * @return a new builder
     */
    public static <C> HttpProxyBuilder<C> builder(ProxyHttp<C> app) {
        return new HttpProxyBuilder<>(app);
    }

    /**
     * The user logic.
     *
     * @return the {@link ProxyHttp}
     */
    public final ProxyHttp<C> app() {
        return app;
    }

    final ProxySettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public Duration gracePeriod() {
        return settings.gracePeriod;
    }

    /**
     * Makes upstream connections with an l4 {@link Connector} on {@code transport}'s loops; every timeout of the
     * engine and the connector runs on the timer wheel of its event loop.
     */
    @Override
    public void start(Transport transport) {
        connector = Connector.of(transport, timers);
    }

    /** The timer wheels of the engine's loops, on its ticker. */
    final LoopTimers timers() {
        return timers;
    }

    /**
     * Adds this proxy's TLS, connection filter and PROXY protocol settings to the listener; its PROXY header timeout
     * runs on the engine's timer wheels.
     */
    @Override
    public void configure(ListenerBuilder listener) {
        if (tlsAcceptor != null) {
            listener.tls(tlsAcceptor);
        }
        if (filter != null) {
            listener.filter(filter);
        }
        listener.proxyProtocol(proxyProtocol)
                .proxyHeaderTimeout(proxyHeaderTimeout)
                .timers(timers);
    }

    @Override
    public void bound(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Counts of the streams this proxy's listeners ran through the PROXY header, the connection filter and TLS:
     * handed over, rejected by the filter, failed (a bad or late PROXY header, a failed handshake).
     *
     * @return the sums over this proxy's listeners
     */
    public ListenerStats acceptStats() {
        long accepted = 0;
        long rejected = 0;
        long failed = 0;
        for (Listener l : listeners) {
            ListenerStats s = l.stats();
            accepted += s.accepted();
            rejected += s.rejected();
            failed += s.failed();
        }
        return new ListenerStats(accepted, rejected, failed);
    }

    /**
     * Serves HTTP on an accepted {@code stream} (reading paused, TLS already done), with the engine running on
     * {@code loop}: the stream's own loop, or another one, e.g. a server loop when the stream lives on a virtual
     * transport's loop (as {@link net.proxy.l4.PipeTransport}'s do), so upstream sockets and pools stay on loops
     * that can host them. In the second case a bridge on the channel hands its events to {@code loop} in order and
     * the connection runs there single-threaded. Call it on the stream's loop, after {@link #start(Transport)}.
     *
     * @param stream the accepted stream
     * @param loop the loop of {@link #start(Transport)}'s transport to serve it on
     * @throws IllegalStateException if the proxy was not started
     */
    @Override
    public void serve(Stream stream, EventLoop loop) {
        if (connector == null) {
            throw new IllegalStateException("HttpProxy " + name + " not started: add it to a Server or call start");
        }
        Channel channel = stream.channel();
        if (custom != null && (forceCustom || negotiated(stream.digest(), custom.alpn()))) {
            serveCustom(stream, loop);
            return;
        }
        if (channel.eventLoop() == loop && settings.http2.enabled() && negotiatedH2(stream.digest())) {
            if (stream.kind() != net.proxy.l4.StreamKind.VIRTUAL) {
                channel.config().setAllocator(settings.allocator);
            }
            channel.pipeline().addLast(H2_HANDLER, H2ServerConnection.create(this, stream.digest()));
            stream.resumeReading();
            return;
        }
        DownstreamConnection conn = new DownstreamConnection(this, stream.digest());
        if (channel.eventLoop() == loop) {
            if (stream.kind() != net.proxy.l4.StreamKind.VIRTUAL) {
                channel.config().setAllocator(settings.allocator);
            }
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
        stream.resumeReading();
    }

    /** Serves {@code stream} with the custom protocol, as {@link #serve} does HTTP/1. */
    private void serveCustom(Stream stream, EventLoop loop) {
        Channel channel = stream.channel();
        CustomServerConnection conn = new CustomServerConnection(this, stream.digest(), custom);
        if (channel.eventLoop() == loop) {
            if (stream.kind() != net.proxy.l4.StreamKind.VIRTUAL) {
                channel.config().setAllocator(settings.allocator);
            }
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
        stream.resumeReading();
    }

    private static boolean negotiated(net.proxy.l4.StreamDigest digest, String alpn) {
        return digest.tlsDigest().map(t -> alpn.equals(t.applicationProtocol())).orElse(false);
    }

    private static boolean negotiatedH2(net.proxy.l4.StreamDigest digest) {
        return digest.tlsDigest().map(t -> "h2".equals(t.applicationProtocol())).orElse(false);
    }

    /**
     * The TLS acceptor of this proxy's listeners, or {@code null} for plain text; its {@link TlsAcceptor#update}
     * replaces certificates for new handshakes without a restart.
     *
     * @return the acceptor, or {@code null}
     */
    public TlsAcceptor tls() {
        return tlsAcceptor;
    }

    /**
     * Whether a graceful stop has begun.
     *
     * @return {@code true} once shutting down
     */
    public final boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * The share of upstream requests served on a pooled connection (0..1) since start, over all event loops; 0
     * before the first request. A request counts as reused when it took an idle HTTP/1 connection or a stream of an
     * HTTP/2 connection that another request opened (also one it waited for while it was being opened).
     *
     * @return the reuse ratio
     */
    public double reuseRatio() {
        return upstreamStats().reuseRatio();
    }

    /**
     * How the upstream connections were used since start: attempts, reuse, HTTP/2 connections and the streams they
     * carried.
     *
     * @return the counters, summed over the event loops
     */
    public UpstreamStats upstreamStats() {
        long acquired = 0;
        long reused = 0;
        long h2Connections = 0;
        long h2Streams = 0;
        for (UpstreamPool p : pools.values()) {
            acquired += p.acquired;
            reused += p.reused;
            h2Connections += p.h2Connections;
            h2Streams += p.h2Streams;
        }
        return new UpstreamStats(acquired, reused, h2Connections, h2Streams);
    }

    /** HTTP/2 upstream connections opened since start, over all event loops (tests and statistics). */
    long h2ConnectionsOpened() {
        return upstreamStats().h2Connections();
    }

    /** Requests sent as streams of HTTP/2 upstream connections since start, over all event loops. */
    long h2StreamsOpened() {
        return upstreamStats().h2Streams();
    }

    /**
     * Open downstream connections.
     *
     * @return the count
     */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public CompletionStage<Void> beginShutdown() {
        shuttingDown = true;
        for (ClientConnection c : connections) {
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
        for (ClientConnection c : connections) {
            c.closeNow();
        }
        for (UpstreamPool p : pools.values()) {
            p.loop().execute(p::closeIdle);
        }
    }

    UpstreamPool poolFor(EventLoop loop) {
        UpstreamPool p = pools.get(loop);
        if (p == null) {
            p = pools.computeIfAbsent(loop, l -> new UpstreamPool(l, this, connector, settings.maxIdlePerPeer));
        }
        return p;
    }

    void opened(ClientConnection c) {
        connections.add(c);
        if (shuttingDown) {
            c.shutdown();
        }
    }

    void closed(ClientConnection c) {
        connections.remove(c);
        if (shuttingDown && connections.isEmpty()) {
            drained.complete(null);
        }
    }

    /**
     * Creates the exchange for one request; a subclass may wrap or replace how requests are proxied by overriding
     * {@link #newExchangeHook} instead (this method stays internal to keep the state machine sealed).
     */
    Exchange<C> newExchange(
            Downstream down, UpstreamPool pool, RequestHeader request, BodyFraming framing, long startNanos) {
        newExchangeHook(request);
        return new Exchange<>(this, down, pool, request, framing, false, startNanos);
    }

    /**
     * Called for every request head before its phases start (on the event loop), e.g. to count requests or tag
     * them; a subclass overrides it to customise the engine. The default does nothing.
     *
     * @param request the request head just read
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
        parent.loop()
                .execute(() -> new Exchange<>(this, sub, pool, r, BodyFraming.NONE, true, settings.ticker.getAsLong())
                        .start());
        return sub.done;
    }
}
