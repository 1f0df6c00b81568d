package net.proxy.core;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import net.proxy.core.internal.Transport;
import net.proxy.l4.spi.VirtualTransport;
import net.proxy.tls.TlsConnector;
import net.proxy.tls.TlsDigest;

/**
 * The upstream connections of one event loop: idle connections by {@link HttpPeer.PoolKey}, most recently used
 * first, and the bootstrap that makes new ones on this loop. Touched only by its loop, so it takes no locks; the
 * counters are read from other threads for statistics only.
 *
 * <p>Virtual peers ({@link HttpPeer#transport()}): the transport is asked for a channel on this loop; when it hands
 * over one that lives on another loop (as {@link net.proxy.l4.PipeTransport} does), a {@link LoopBridge} on the
 * channel hands its events to the {@link UpstreamConnection} on this loop, so the exchange never sees another thread. The
 * connect timeout is a timer on this loop; a channel that arrives after it fired is closed.
 */
final class UpstreamPool {
    private static final String HANDLER = "net.proxy.upstream";
    private final EventLoop loop;
    private final HttpProxy<?> proxy;
    private final Bootstrap bootstrap;
    private final Transport transport;
    private Bootstrap unixBootstrap;
    private final int maxIdlePerKey;
    private final Map<HttpPeer.PoolKey, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
    volatile long acquired;
    volatile long reused;
    private int idleCount;

    UpstreamPool(EventLoop loop, HttpProxy<?> proxy, Transport transport, int maxIdlePerKey) {
        this.loop = loop;
        this.proxy = proxy;
        this.maxIdlePerKey = maxIdlePerKey;
        this.transport = transport;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .option(ChannelOption.ALLOCATOR, proxy.settings().allocator)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
    }

    EventLoop loop() {
        return loop;
    }

    /** A live idle connection for {@code key}, or null; stale ones found on the way are closed. */
    UpstreamConnection acquire(HttpPeer.PoolKey key) {
        acquired++;
        ArrayDeque<UpstreamConnection> q = idle.get(key);
        if (q == null) {
            return null;
        }
        UpstreamConnection c;
        while ((c = q.pollFirst()) != null) {
            idleCount--;
            if (c.takeFromPool()) {
                reused++;
                return c;
            }
        }
        return null;
    }

    /**
     * Starts a new connection to {@code peer} whose events go to {@code conn}; the returned future's listeners run on
     * this loop, and {@code conn.channel()} is set once it succeeded.
     *
     * @throws ProxyError if the peer is a Unix socket and the transport has none, or a virtual transport refused it
     */
    Future<?> connect(HttpPeer peer, UpstreamConnection conn) {
        if (peer.transport() != null) {
            return connectVirtual(peer, conn);
        }
        SocketAddress address = peer.address();
        Bootstrap b;
        if (!(address instanceof java.net.UnixDomainSocketAddress)) {
            b = bootstrap.clone().channelFactory(transport.socketChannelFactory(address));
        } else {
            if (!transport.supportsUnixSockets()) {
                throw ProxyError.of(
                        ErrorKind.CONNECT_ERROR,
                        ErrorSource.UPSTREAM,
                        "Unix socket peers need the native epoll transport: " + address);
            }
            if (unixBootstrap == null) {
                unixBootstrap = new Bootstrap()
                        .group(loop)
                        .channel(transport.domainChannel())
                        .option(ChannelOption.ALLOCATOR, proxy.settings().allocator);
            }
            b = unixBootstrap.clone();
            address = Transport.toNetty(address);
        }
        return b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis(peer))
                .handler(conn)
                .connect(address);
    }

    private static int connectTimeoutMillis(HttpPeer peer) {
        return (int)
                Math.min(Integer.MAX_VALUE, Math.max(1, peer.connectTimeout().toMillis()));
    }

    private Future<Void> connectVirtual(HttpPeer peer, UpstreamConnection conn) {
        VirtualTransport transport = peer.transport();
        SocketAddress address = peer.address();
        Promise<Void> done = loop.newPromise();
        int timeoutMillis = connectTimeoutMillis(peer);
        ScheduledFuture<?> timeout = loop.schedule(
                () -> done.tryFailure(new ConnectTimeoutException("connection timed out after " + timeoutMillis
                        + " ms: " + address + " via " + transport.name())),
                timeoutMillis,
                TimeUnit.MILLISECONDS);
        CompletionStage<Channel> stage;
        try {
            stage = transport.connect(address, loop);
        } catch (RuntimeException e) {
            timeout.cancel(false);
            throw ProxyError.because(
                    ErrorKind.CONNECT_ERROR,
                    ErrorSource.UPSTREAM,
                    "virtual transport " + transport.name() + " cannot connect to " + address,
                    e);
        }
        stage.whenComplete((ch, t) -> {
            if (t != null) {
                timeout.cancel(false);
                done.tryFailure(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
                return;
            }
            try {
                loop.execute(() -> adopt(ch, conn, done, timeout));
            } catch (RejectedExecutionException e) {
                ch.close();
                done.tryFailure(e);
            }
        });
        return done;
    }

    /** On this loop: installs {@code conn} on a virtual channel, unless the connect timed out or it closed. */
    private void adopt(Channel ch, UpstreamConnection conn, Promise<Void> done, ScheduledFuture<?> timeout) {
        timeout.cancel(false);
        if (done.isDone()) {
            ch.close();
            return;
        }
        if (ch.eventLoop() == loop) {
            ch.pipeline().addLast(HANDLER, conn);
        } else {
            LoopBridge bridge = new LoopBridge(loop, conn);
            conn.adopt(ch, loop, bridge);
            ch.pipeline().addLast(HANDLER, bridge);
        }
        // Added first, checked second: a close after this check passes through the handler's channelInactive.
        if (!ch.isActive()) {
            done.tryFailure(new ConnectException("virtual stream closed before use: " + ch.remoteAddress()));
            return;
        }
        ch.config().setAutoRead(true);
        done.trySuccess(null);
    }

    /** What {@link #open} reports, on the pool's loop. */
    interface Opening {
        /** A new connection is ready (TLS done if the peer asked for it), {@code nanos} after the attempt began. */
        void opened(UpstreamConnection c, long nanos);

        /** The connection or its TLS handshake failed; {@code e} says how (refused, timed out, TLS...). */
        void failed(ProxyError e);
    }

    /** Opens a new connection to {@code p} (TCP, Unix or virtual, then TLS when the peer asks) for {@code to}. */
    void open(HttpPeer p, Opening to) {
        long t0 = System.nanoTime();
        UpstreamConnection conn = new UpstreamConnection(this, p, proxy.settings().limits);
        Future<?> f;
        try {
            f = connect(p, conn);
        } catch (ProxyError e) {
            to.failed(e);
            return;
        }
        f.addListener(done -> {
            if (!done.isSuccess()) {
                to.failed(connectError(p, done.cause()));
            } else if (!p.isTls()) {
                to.opened(conn, System.nanoTime() - t0);
            } else {
                handshake(proxy.tlsConnector(p.tls()), conn.channel(), tlsName(p))
                        .whenComplete((digest, t) -> {
                            Runnable report = () -> {
                                if (t != null) {
                                    conn.channel().close();
                                    to.failed(ProxyError.because(
                                            ErrorKind.TLS_HANDSHAKE_FAILURE,
                                            ErrorSource.UPSTREAM,
                                            "TLS handshake with " + p.address(),
                                            t));
                                } else {
                                    conn.tlsEstablished(digest);
                                    to.opened(conn, System.nanoTime() - t0);
                                }
                            };
                            if (loop.inEventLoop()) {
                                report.run();
                            } else {
                                loop.execute(report);
                            }
                        });
            }
        });
    }

    private static String tlsName(HttpPeer p) {
        if (p.sni() != null && !p.sni().isEmpty()) {
            return p.sni();
        }
        return p.address() instanceof InetSocketAddress
                ? ((InetSocketAddress) p.address()).getHostString()
                : p.address().toString();
    }

    private static ProxyError connectError(HttpPeer p, Throwable cause) {
        ErrorKind kind = cause instanceof ConnectTimeoutException
                ? ErrorKind.CONNECT_TIMEOUT
                : cause instanceof ConnectException
                        ? ErrorKind.CONNECT_REFUSED
                        : cause instanceof SSLException ? ErrorKind.TLS_HANDSHAKE_FAILURE : ErrorKind.CONNECT_ERROR;
        return ProxyError.because(kind, ErrorSource.UPSTREAM, "connecting to " + p.address(), cause);
    }

    /**
     * Starts TLS on {@code ch} on the channel's own loop, as {@link TlsConnector#handshake} requires, wherever the
     * caller runs (a virtual transport's channel may live on another loop); the stage completes on that loop.
     */
    static CompletionStage<TlsDigest> handshake(TlsConnector tls, Channel ch, String serverName) {
        if (ch.eventLoop().inEventLoop()) {
            return tls.handshake(ch, serverName);
        }
        CompletableFuture<TlsDigest> out = new CompletableFuture<>();
        try {
            ch.eventLoop().execute(() -> {
                try {
                    tls.handshake(ch, serverName).whenComplete((d, t) -> {
                        if (t != null) {
                            out.completeExceptionally(t);
                        } else {
                            out.complete(d);
                        }
                    });
                } catch (RuntimeException e) {
                    ch.close();
                    out.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(e);
        }
        return out;
    }

    /** Keeps {@code c} for reuse, or closes it if pooling is off for the peer, the pool is full or shutting down. */
    void release(UpstreamConnection c, HttpPeer peer) {
        if (peer.idleTimeout().isZero() || proxy.isShuttingDown() || !c.isActive()) {
            c.close();
            return;
        }
        ArrayDeque<UpstreamConnection> q = idle.computeIfAbsent(peer.poolKey(), k -> new ArrayDeque<>());
        if (q.size() >= maxIdlePerKey) {
            c.close();
            return;
        }
        q.addFirst(c);
        idleCount++;
        c.enterPool(peer.idleTimeout().toNanos());
    }

    /** Forgets an idle connection that closed, timed out or misbehaved. */
    void remove(UpstreamConnection c, HttpPeer.PoolKey key) {
        ArrayDeque<UpstreamConnection> q = idle.get(key);
        if (q != null && q.remove(c)) {
            idleCount--;
            if (q.isEmpty()) {
                idle.remove(key);
            }
        }
    }

    /** Closes every idle connection (graceful stop). */
    void closeIdle() {
        for (ArrayDeque<UpstreamConnection> q : idle.values()) {
            for (UpstreamConnection c : q) {
                c.close();
            }
        }
        idle.clear();
        idleCount = 0;
    }

    int idleCount() {
        return idleCount;
    }
}
