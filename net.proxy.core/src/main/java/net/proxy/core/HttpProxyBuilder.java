package net.proxy.core;

import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import net.proxy.core.internal.Args;
import net.proxy.core.internal.RecyclingAllocator;
import net.proxy.http.HttpLimits;
import net.proxy.l4.ConnectionFilter;
import net.proxy.l4.Endpoint;
import net.proxy.l4.TcpOptions;
import net.proxy.l4.spi.VirtualTransport;
import net.proxy.limits.RateBudget;
import net.proxy.tls.TlsServerSettings;

/**
 * Builds an {@link HttpProxy}; obtained from {@link HttpProxy#builder(ProxyHttp)}. Every value is validated as it
 * is set, with the defaults listed on {@link HttpProxy}.
 *
 * @param <C> the per-request context type of the {@link ProxyHttp}
 */
public final class HttpProxyBuilder<C> {
    final ProxyHttp<C> app;
    String name = "http-proxy";
    final List<Endpoint> endpoints = new ArrayList<>();
    int maxRetries = 16;
    Duration headerTimeout = Duration.ofSeconds(60);
    Duration keepAliveTimeout = Duration.ofSeconds(60);
    Duration writeTimeout = Duration.ofSeconds(60);
    Duration totalTimeout = Duration.ofSeconds(300);
    Duration tunnelIdleTimeout = Duration.ofHours(1);
    Set<Integer> retryStatuses = Set.of();
    int maxIdlePerPeer = 1024;
    ByteBufAllocator allocator = RecyclingAllocator.INSTANCE;
    Duration gracePeriod = Duration.ofSeconds(30);
    HttpLimits limits = HttpLimits.defaults();
    TlsServerSettings tls;
    ConnectionFilter filter;
    boolean proxyProtocol;
    Duration proxyHeaderTimeout = Duration.ofSeconds(10);
    Http2Options http2 = Http2Options.defaults();
    LongSupplier ticker = System::nanoTime;
    int maxRequestsPerConnection = 10_000;
    Supplier<RateBudget> requestRatePerConnection;
    GrpcRetry grpcRetry;
    CustomProtocol customProtocol;
    boolean forceCustomProtocol;

    HttpProxyBuilder(ProxyHttp<C> app) {
        this.app = Objects.requireNonNull(app, "app");
    }

    /**
     * A name for logs; default {@code http-proxy}.
     *
     * @param value the name
     * @return this builder
     */
    public HttpProxyBuilder<C> name(String value) {
        this.name = Objects.requireNonNull(value, "name");
        return this;
    }

    /**
     * Adds an address to listen on when hosted by a {@link Server}: a TCP {@link InetSocketAddress} (with
     * {@link TcpOptions#DEFAULTS}) or a {@link UnixDomainSocketAddress}.
     *
     * @param address the address
     * @return this builder
     */
    public HttpProxyBuilder<C> listen(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress) {
            return listen(Endpoint.tcp((InetSocketAddress) address, TcpOptions.DEFAULTS));
        }
        if (address instanceof UnixDomainSocketAddress) {
            return listen(Endpoint.unix(((UnixDomainSocketAddress) address).getPath()));
        }
        throw new IllegalArgumentException(
                "address: " + address + " (expected: an InetSocketAddress or a UnixDomainSocketAddress)");
    }

    /**
     * Adds a virtual L4 endpoint to accept from when hosted by a {@link Server}, e.g.
     * {@code listen(pipe, PipeTransport.address("proxy"))} to feed the proxy from in-process pipes. Requests are
     * served on the server's loops whatever loop the transport's channels live on.
     *
     * @param transport the virtual transport
     * @param address the address on it
     * @return this builder
     */
    public HttpProxyBuilder<C> listen(VirtualTransport transport, SocketAddress address) {
        return listen(Endpoint.virtual(transport, address));
    }

    /**
     * Adds an l4 endpoint (TCP with its socket options, Unix, or virtual) to accept from.
     *
     * @param endpoint the endpoint
     * @return this builder
     */
    public HttpProxyBuilder<C> listen(Endpoint endpoint) {
        endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
        return this;
    }

    /**
     * The most retries per request; default 16.
     *
     * @param value {@code >= 0}
     * @return this builder
     */
    public HttpProxyBuilder<C> maxRetries(int value) {
        this.maxRetries = Args.atLeast("maxRetries", value, 0);
        return this;
    }

    /**
     * Time allowed to receive a request head; default 60 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpProxyBuilder<C> headerTimeout(Duration value) {
        this.headerTimeout = Args.positive("headerTimeout", value);
        return this;
    }

    /**
     * Idle time allowed between keep-alive requests; default 60 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpProxyBuilder<C> keepAliveTimeout(Duration value) {
        this.keepAliveTimeout = Args.positive("keepAliveTimeout", value);
        return this;
    }

    /**
     * How long a tunnel (an accepted upgrade such as WebSocket, or {@code CONNECT}) may stay open without a byte
     * moving either way; default 1 hour. The request timeouts stop applying once the tunnel opens: a chat socket
     * idle for minutes survives (nginx closes it after its 60 s {@code proxy_read_timeout}).
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpProxyBuilder<C> tunnelIdleTimeout(Duration value) {
        this.tunnelIdleTimeout = Args.positive("tunnelIdleTimeout", value);
        return this;
    }

    /**
     * Time a downstream write may stay blocked by a slow client; default 60 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpProxyBuilder<C> writeTimeout(Duration value) {
        this.writeTimeout = Args.positive("writeTimeout", value);
        return this;
    }

    /**
     * Total time allowed per request; default 300 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpProxyBuilder<C> totalTimeout(Duration value) {
        this.totalTimeout = Args.positive("totalTimeout", value);
        return this;
    }

    /**
     * Upstream statuses that make an idempotent, replayable request go back to {@code upstreamPeer} (while retries
     * remain; the last attempt's response is forwarded whatever its status); default none.
     *
     * @param statuses statuses in 100..599
     * @return this builder
     */
    public HttpProxyBuilder<C> retryOnStatus(int... statuses) {
        Set<Integer> s = new HashSet<>();
        for (int st : statuses) {
            s.add(Args.between("retryOnStatus", st, 100, 599));
        }
        this.retryStatuses = Set.copyOf(s);
        return this;
    }

    /**
     * Which gRPC calls are retried when the origin answers them trailers-only with one of a set of statuses (e.g.
     * {@code UNAVAILABLE}); see {@link GrpcRetry} for the rules. Default: none; a gRPC call is then retried only
     * when it never reached a server. {@link #retryOnStatus} never applies to gRPC calls (their HTTP status is 200).
     *
     * @param value the configuration
     * @return this builder
     */
    public HttpProxyBuilder<C> grpcRetry(GrpcRetry value) {
        this.grpcRetry = Objects.requireNonNull(value, "grpcRetry");
        return this;
    }

    /**
     * Idle HTTP/1 upstream connections kept per peer and event loop; default 1024. It must cover the requests a
     * loop has in flight to one peer, or connections are closed on release and opened again for the next request:
     * 64 HTTP/2 clients with 10 streams each keep 640 HTTP/1 origin connections busy, and with Pingora's 128 four in
     * five requests paid a connect and a close. An idle connection costs about 2 KB and closes after the peer's idle
     * timeout.
     *
     * @param value {@code >= 0}
     * @return this builder
     */
    public HttpProxyBuilder<C> maxIdlePerPeer(int value) {
        this.maxIdlePerPeer = Args.atLeast("maxIdlePerPeer", value, 0);
        return this;
    }

    /**
     * The allocator of the buffers of the proxy's sockets, client and upstream (connections a virtual transport
     * makes keep their own). The default keeps the direct buffers each event loop releases and hands them out again
     * on that loop, with no lock (a request's buffers are made and released on its loop); give
     * {@code ByteBufAllocator.DEFAULT} for Netty's own pooling.
     *
     * @param value the allocator
     * @return this builder
     */
    public HttpProxyBuilder<C> allocator(ByteBufAllocator value) {
        this.allocator = Objects.requireNonNull(value, "allocator");
        return this;
    }

    /**
     * How long a graceful stop waits for requests in flight; default 30 s.
     *
     * @param value zero or a positive duration
     * @return this builder
     */
    public HttpProxyBuilder<C> gracePeriod(Duration value) {
        this.gracePeriod = Args.nonNegative("gracePeriod", value);
        return this;
    }

    /**
     * Parser limits for requests and responses; default {@link HttpLimits#defaults()}.
     *
     * @param value the limits
     * @return this builder
     */
    public HttpProxyBuilder<C> limits(HttpLimits value) {
        this.limits = Objects.requireNonNull(value, "limits");
        return this;
    }

    /**
     * Terminates TLS with {@code settings} on every endpoint of this proxy (HTTPS); default plain text. When HTTP/2
     * is on ({@link #http2}) and the settings name no ALPN protocols, the listeners offer {@code h2} and
     * {@code http/1.1}; settings that name their own are used as they are.
     *
     * @param settings the server settings
     * @return this builder
     */
    public HttpProxyBuilder<C> tls(TlsServerSettings settings) {
        this.tls = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * How HTTP/2 is served: on by default (ALPN {@code h2} on TLS listeners, prior knowledge on clear-text ones),
     * with the settings and abuse limits of {@link Http2Options#defaults()}.
     *
     * @param value the options; {@code Http2Options.builder().enabled(false).build()} serves HTTP/1 only
     * @return this builder
     */
    public HttpProxyBuilder<C> http2(Http2Options value) {
        this.http2 = Objects.requireNonNull(value, "http2");
        return this;
    }

    /**
     * Decides on each accepted stream before any byte of it is read (after the PROXY header, if required, so it
     * sees the client that header names); a rejected stream is closed. Default: accept all.
     *
     * @param value the filter
     * @return this builder
     */
    public HttpProxyBuilder<C> connectionFilter(ConnectionFilter value) {
        this.filter = Objects.requireNonNull(value, "connectionFilter");
        return this;
    }

    /**
     * Requires a PROXY protocol header (v1 or v2) first on every stream of this proxy, as sent by HAProxy, AWS NLB
     * or another L4 balancer in front; {@link net.proxy.l4.StreamDigest#clientAddress()} then reports the client it
     * names. A stream without a valid header within {@link #proxyHeaderTimeout} is closed. Default off.
     *
     * @param enabled whether to require it
     * @return this builder
     */
    public HttpProxyBuilder<C> proxyProtocol(boolean enabled) {
        this.proxyProtocol = enabled;
        return this;
    }

    /**
     * How long a stream may take to send its PROXY header; default 10 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public HttpProxyBuilder<C> proxyHeaderTimeout(Duration value) {
        this.proxyHeaderTimeout = Args.positive("proxyHeaderTimeout", value);
        return this;
    }

    /**
     * The most requests one client connection may carry; the response to the last says {@code Connection: close}
     * (nginx's {@code keepalive_requests}, whose default is 1000). Bounds what one long-lived connection pins and
     * spreads clients over processes and loops. Default 10,000; 0 for no limit.
     *
     * @param value {@code >= 0}
     * @return this builder
     */
    public HttpProxyBuilder<C> maxRequestsPerConnection(int value) {
        this.maxRequestsPerConnection = Args.atLeast("maxRequestsPerConnection", value, 0);
        return this;
    }

    /**
     * Limits how fast one client connection may send requests, with a {@link RateBudget} per connection (GCRA:
     * {@code events} per {@code per}, {@code burst} more at once): a request beyond it is answered {@code 429 Too
     * Many Requests} without reaching any phase, and the connection is closed. Default: no rate limit.
     *
     * @param events requests per period, {@code > 0}
     * @param per the period, {@code > 0}
     * @param burst requests allowed at once beyond the rate, {@code >= 0}
     * @return this builder
     */
    public HttpProxyBuilder<C> requestRatePerConnection(long events, Duration per, long burst) {
        RateBudget.of(events, per, burst); // validates now
        this.requestRatePerConnection = () -> RateBudget.of(events, per, burst);
        return this;
    }

    /**
     * The clock of every timeout and timestamp of the engine (header, keep-alive, write, total, upstream connect,
     * read, write and idle timeouts; {@link Session#requestStartNanos()}), in nanoseconds; default
     * {@link System#nanoTime()}. Tests give a clock they move by hand: timeouts then fire at the next tick of the
     * event loop's timer wheel (10 ms) after the clock passed them, with no wall-clock wait.
     *
     * @param value a monotonic nanosecond clock
     * @return this builder
     */
    public HttpProxyBuilder<C> ticker(LongSupplier value) {
        this.ticker = Objects.requireNonNull(value, "ticker");
        return this;
    }

    /**
     * Builds the engine.
     *
     * @return the engine
     */
    /**
     * Serves {@code value} on this proxy's listeners (Pingora 0.7's custom protocol on a listener): on TLS, to
     * clients whose ALPN selects its id, which the listener then offers first (before {@code h2} and
     * {@code http/1.1}, unless the TLS settings name their own list); on every connection when
     * {@linkplain #forceCustomProtocol forced}. Every {@link ProxyHttp} phase runs on its requests. Default: none.
     *
     * @param value the protocol
     * @return this builder
     */
    public HttpProxyBuilder<C> customProtocol(CustomProtocol value) {
        this.customProtocol = Objects.requireNonNull(value, "customProtocol");
        return this;
    }

    /**
     * Speaks the {@linkplain #customProtocol custom protocol} on every connection, whatever ALPN selected (Pingora's
     * {@code force_custom}): the way to serve it on clear text. Default: false.
     *
     * @param value whether to force it
     * @return this builder
     */
    public HttpProxyBuilder<C> forceCustomProtocol(boolean value) {
        this.forceCustomProtocol = value;
        return this;
    }

    /**
     * Builds the proxy.
     *
     * @return the proxy
     * @throws IllegalStateException if the custom protocol is forced but none was set
     */
    public HttpProxy<C> build() {
        if (forceCustomProtocol && customProtocol == null) {
            throw new IllegalStateException("forceCustomProtocol: true (expected: a customProtocol to force)");
        }
        return new HttpProxy<>(this);
    }
}
