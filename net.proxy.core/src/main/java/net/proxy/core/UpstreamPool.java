package net.proxy.core;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import net.proxy.l4.ConnectTimeoutException;
import net.proxy.l4.Connector;
import net.proxy.l4.LoopTimers;
import net.proxy.l4.Stream;
import net.proxy.l4.StreamKind;
import net.proxy.tls.TlsDigest;

/**
 * The upstream connections of one event loop: idle connections by {@link HttpPeer.PoolKey}, most recently used
 * first, and new ones opened with the l4 {@link Connector} from this loop. Touched only by its loop, so it takes no
 * locks; the counters are read from other threads for statistics only.
 *
 * <p>Virtual peers: the transport is asked for a channel on this loop; when it hands over one that lives on another
 * loop (as {@link net.proxy.l4.PipeTransport} does), a {@link LoopBridge} on the channel hands its events to the
 * {@link UpstreamConnection} on this loop, so the exchange never sees another thread. HTTP/2 needs the channel on
 * this loop (Netty's HTTP/2 state and the exchanges must share a thread): such a peer gets a connect error instead.
 *
 * <p>HTTP/2: a new connection enters the pool as soon as the origin's SETTINGS arrive ({@link #share}) and takes
 * requests until it is full. Opens are coalesced: while an HTTP/2 connection to a key is being opened, further
 * requests for that key wait for it, as many as its stream limit allows, instead of each opening a connection of
 * its own; if the origin turns out to speak HTTP/1.1 (ALPN), each waiter opens its own connection.
 */
final class UpstreamPool {
    private static final String HANDLER = "net.proxy.upstream";
    private final EventLoop loop;
    private final HttpProxy<?> proxy;
    private final Connector connector;
    private final int maxIdlePerKey;
    private final Map<HttpPeer.PoolKey, ArrayDeque<PooledConnection>> idle = new HashMap<>();
    /** HTTP/2 connections being opened, by key, with the requests waiting for them. */
    private final Map<HttpPeer.PoolKey, Coalesced> opening = new HashMap<>();

    volatile long acquired;
    volatile long reused;
    /** HTTP/2 connections opened (ready) and streams handed out on them, for statistics and tests. */
    volatile long h2Connections;

    volatile long h2Streams;
    private int idleCount;

    UpstreamPool(EventLoop loop, HttpProxy<?> proxy, Connector connector, int maxIdlePerKey) {
        this.loop = loop;
        this.proxy = proxy;
        this.connector = connector;
        this.maxIdlePerKey = maxIdlePerKey;
    }

    EventLoop loop() {
        return loop;
    }

    LongSupplier ticker() {
        return proxy.settings().ticker;
    }

    LoopTimers timers() {
        return proxy.timers();
    }

    /**
     * A session on a pooled connection for {@code key}, or null: an idle HTTP/1 connection leaves the pool, a
     * multiplexed one with room for another stream stays; dead ones found on the way are dropped.
     */
    UpstreamSession acquire(HttpPeer.PoolKey key) {
        acquired++;
        ArrayDeque<PooledConnection> q = idle.get(key);
        if (q == null) {
            return null;
        }
        for (Iterator<PooledConnection> it = q.iterator(); it.hasNext(); ) {
            PooledConnection c = it.next();
            boolean shared = c.multiplexed();
            if (!shared || !c.isActive()) {
                it.remove();
                idleCount--;
            }
            UpstreamSession s = c.newSession();
            if (s != null) {
                reused++;
                return s;
            }
        }
        return null;
    }

    /** What {@link #open} reports, on the pool's loop. */
    interface Opening {
        /** A new connection is ready (TLS done if the peer asked for it), {@code nanos} after the attempt began. */
        void opened(UpstreamSession c, long nanos);

        /** The connection or its TLS handshake failed; {@code e} says how (refused, timed out, TLS...). */
        void failed(ProxyError e);
    }

    /** Requests waiting for an HTTP/2 connection being opened for one key (the opener not counted). */
    private static final class Coalesced {
        final ArrayList<Opening> waiters = new ArrayList<>(4);
        final int capacity;

        Coalesced(int capacity) {
            this.capacity = capacity;
        }
    }

    /**
     * Opens a new connection to {@code p} (TCP, Unix or virtual, then PROXY header and TLS) for {@code to}; for an
     * HTTP/2 peer, waits for a connection already being opened to the same key when it has room.
     */
    void open(HttpPeer p, Opening to) {
        Coalesced c = null;
        if (p.protocol() != UpstreamProtocol.H1 && !p.idleTimeout().isZero()) {
            c = opening.get(p.poolKey());
            if (c != null && c.waiters.size() + 1 < c.capacity) {
                c.waiters.add(to);
                return;
            }
            if (c == null) {
                c = new Coalesced(p.maxH2Streams());
                opening.put(p.poolKey(), c);
            } else {
                c = null; // that opening is full: this request opens a connection of its own
            }
        }
        connect(p, to, c);
    }

    private void connect(HttpPeer p, Opening to, Coalesced waiting) {
        long t0 = ticker().getAsLong();
        CompletionStage<Stream> connecting;
        try {
            connecting = connector.connect(p.l4(), loop);
        } catch (RuntimeException e) {
            failOpen(p, to, waiting, () -> connectError(p, e));
            return;
        }
        connecting.whenComplete((stream, t) -> {
            Runnable report = () -> {
                if (t != null) {
                    failOpen(p, to, waiting, () -> connectError(p, t));
                } else {
                    adopt(stream, p, to, waiting, t0);
                }
            };
            if (loop.inEventLoop()) {
                report.run();
            } else {
                try {
                    loop.execute(report);
                } catch (RejectedExecutionException e) {
                    if (stream != null) {
                        stream.close();
                    }
                }
            }
        });
    }

    /** On this loop: installs a new connection on {@code stream}, bridged when the channel lives on another loop. */
    private void adopt(Stream stream, HttpPeer p, Opening to, Coalesced waiting, long t0) {
        Channel ch = stream.channel();
        TlsDigest tls = stream.digest().tls();
        String alpn = tls == null ? null : tls.applicationProtocol();
        boolean h2 = tls == null ? p.protocol() == UpstreamProtocol.H2 : H2Options.ALPN_H2.equals(alpn);
        if (tls != null && !h2 && p.protocol() == UpstreamProtocol.H2) {
            stream.close();
            failOpen(
                    p,
                    to,
                    waiting,
                    () -> ProxyError.of(
                            ErrorKind.CONNECT_ERROR,
                            ErrorSource.UPSTREAM,
                            "connecting to " + p + ": the origin selected ALPN " + (alpn == null ? "none" : alpn)
                                    + ", not h2 (the peer's protocol is H2)"));
            return;
        }
        if (h2) {
            adoptH2(stream, p, to, waiting, t0);
            return;
        }
        CustomProtocol custom = p.custom();
        if (custom != null && (tls == null || custom.alpn().equals(alpn))) {
            adoptCustom(stream, p, custom, to, t0);
            return;
        }
        if (waiting != null) {
            // an HTTP/1 origin: the requests that waited for this connection open their own
            opening.remove(p.poolKey(), waiting);
            for (Opening w : waiting.waiters) {
                connect(p, w, null);
            }
        }
        UpstreamConnection conn = new UpstreamConnection(this, p, proxy.settings().limits, stream.digest());
        if (ch.eventLoop() == loop) {
            if (stream.kind() != StreamKind.VIRTUAL) {
                ch.config().setAllocator(proxy.settings().allocator);
            }
            ch.pipeline().addLast(HANDLER, conn);
        } else {
            LoopBridge bridge = new LoopBridge(loop, conn);
            conn.adopt(ch, loop, bridge);
            ch.pipeline().addLast(HANDLER, bridge);
        }
        // Added first, checked second: a close after this check passes through the handler's channelInactive.
        if (!ch.isActive()) {
            to.failed(connectError(p, new ConnectException("stream closed before use: " + p.address())));
            return;
        }
        stream.resumeReading();
        to.opened(conn, ticker().getAsLong() - t0);
    }

    /**
     * Installs a connection speaking {@code custom}: forced on clear text, or selected by the origin's ALPN (another
     * selection falls back to HTTP/1.1 above, as Pingora's connector does).
     */
    private void adoptCustom(Stream stream, HttpPeer p, CustomProtocol custom, Opening to, long t0) {
        Channel ch = stream.channel();
        CustomUpstreamConnection conn;
        try {
            conn = new CustomUpstreamConnection(this, p, custom, stream.digest());
        } catch (RuntimeException e) {
            stream.close();
            to.failed(ProxyError.because(
                    ErrorKind.INTERNAL_ERROR,
                    ErrorSource.INTERNAL,
                    "custom protocol " + custom.alpn() + ": no codec",
                    e));
            return;
        }
        if (ch.eventLoop() == loop) {
            if (stream.kind() != StreamKind.VIRTUAL) {
                ch.config().setAllocator(proxy.settings().allocator);
            }
            ch.pipeline().addLast(HANDLER, conn);
        } else {
            LoopBridge bridge = new LoopBridge(loop, conn);
            conn.adopt(ch, loop, bridge);
            ch.pipeline().addLast(HANDLER, bridge);
        }
        if (!ch.isActive()) {
            to.failed(connectError(p, new ConnectException("stream closed before use: " + p.address())));
            return;
        }
        stream.resumeReading();
        to.opened(conn, ticker().getAsLong() - t0);
    }

    /** Installs an HTTP/2 connection; the requests get their streams once the origin's SETTINGS arrive. */
    private void adoptH2(Stream stream, HttpPeer p, Opening to, Coalesced waiting, long t0) {
        Channel ch = stream.channel();
        if (ch.eventLoop() != loop) {
            stream.close();
            failOpen(
                    p,
                    to,
                    waiting,
                    () -> ProxyError.of(
                            ErrorKind.CONNECT_ERROR,
                            ErrorSource.UPSTREAM,
                            "connecting to " + p
                                    + ": HTTP/2 needs the transport's channel on the proxy's event loop, and "
                                    + "this virtual transport hands over channels of another loop (use H1 for it)"));
            return;
        }
        if (stream.kind() != StreamKind.VIRTUAL) {
            ch.config().setAllocator(proxy.settings().allocator);
        }
        H2UpstreamConnection conn = H2UpstreamConnection.create(this, p, stream.digest(), proxy.settings().limits);
        conn.onReady(new H2UpstreamConnection.Ready() {
            @Override
            public void ready(H2UpstreamConnection c) {
                if (waiting != null) {
                    opening.remove(p.poolKey(), waiting);
                }
                h2Connections++;
                if (!p.idleTimeout().isZero() && !proxy.isShuttingDown()) {
                    share(c, p);
                }
                long nanos = ticker().getAsLong() - t0;
                UpstreamSession first = c.newSession();
                if (first == null) {
                    failOpen(
                            p,
                            to,
                            waiting,
                            () -> ProxyError.of(
                                    ErrorKind.CONNECT_ERROR,
                                    ErrorSource.UPSTREAM,
                                    "the new HTTP/2 connection to " + p + " closed before its first request"));
                    return;
                }
                to.opened(first, nanos);
                if (waiting != null) {
                    for (Opening w : waiting.waiters) {
                        UpstreamSession s = c.newSession();
                        if (s != null) {
                            reused++; // the connection is shared: the waiter did not open one
                            w.opened(s, nanos);
                        } else {
                            open(p, w); // the origin's stream limit is lower than ours
                        }
                    }
                }
            }

            @Override
            public void failed(ProxyError e) {
                if (waiting != null) {
                    opening.remove(p.poolKey(), waiting);
                }
                to.failed(e);
                if (waiting != null) {
                    for (Opening w : waiting.waiters) {
                        w.failed(ProxyError.because(e.kind(), e.source(), e.context(), e.getCause()));
                    }
                }
            }
        });
        ch.pipeline().addLast(HANDLER, conn);
        if (!ch.isActive()) {
            conn.closedBeforeUse(); // or channelInactive reported it already
            return;
        }
        stream.resumeReading();
    }

    /** Fails the opener and, with errors of their own, the requests waiting for its connection. */
    private void failOpen(HttpPeer p, Opening to, Coalesced waiting, Supplier<ProxyError> error) {
        if (waiting != null) {
            opening.remove(p.poolKey(), waiting);
        }
        to.failed(error.get());
        if (waiting != null) {
            for (Opening w : waiting.waiters) {
                w.failed(error.get());
            }
        }
    }

    private static ProxyError connectError(HttpPeer p, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        ErrorKind kind = cause instanceof ConnectTimeoutException
                ? ErrorKind.CONNECT_TIMEOUT
                : cause instanceof ConnectException
                        ? ErrorKind.CONNECT_REFUSED
                        : cause instanceof SSLException ? ErrorKind.TLS_HANDSHAKE_FAILURE : ErrorKind.CONNECT_ERROR;
        return ProxyError.because(kind, ErrorSource.UPSTREAM, "connecting to " + p, cause);
    }

    /**
     * Takes back {@code c} after a request ended cleanly on it: keeps it for reuse, or closes it if pooling is off
     * for the peer, the pool is full or shutting down. A multiplexed connection is kept while it is in use
     * ({@link #share}), so only an HTTP/1 connection comes back here.
     */
    void release(UpstreamSession session, HttpPeer peer) {
        PooledConnection c = session.connection();
        if (c.multiplexed()) {
            session.close(); // frees the stream's slot (a stream that ended is not reset); the connection stays pooled
            return;
        }
        if (peer.idleTimeout().isZero() || proxy.isShuttingDown() || !c.isActive()) {
            c.close();
            return;
        }
        ArrayDeque<PooledConnection> q = idle.computeIfAbsent(peer.poolKey(), k -> new ArrayDeque<>());
        if (q.size() >= maxIdlePerKey) {
            c.close();
            return;
        }
        q.addFirst(c);
        idleCount++;
        c.enterPool(peer.idleTimeout().toNanos());
    }

    /**
     * Puts a new multiplexed connection in the pool at once, so that other requests share it while it is in use.
     */
    void share(PooledConnection c, HttpPeer peer) {
        idle.computeIfAbsent(peer.poolKey(), k -> new ArrayDeque<>()).addFirst(c);
        idleCount++;
        c.enterPool(peer.idleTimeout().toNanos());
    }

    /** Forgets a pooled connection that closed, timed out or misbehaved. */
    void remove(PooledConnection c, HttpPeer.PoolKey key) {
        ArrayDeque<PooledConnection> q = idle.get(key);
        if (q != null && q.remove(c)) {
            idleCount--;
            if (q.isEmpty()) {
                idle.remove(key);
            }
        }
    }

    /** Closes every idle connection, and every shared one once its requests ended (graceful stop). */
    void closeIdle() {
        for (ArrayDeque<PooledConnection> q : new ArrayList<>(idle.values())) {
            for (PooledConnection c : q.toArray(new PooledConnection[0])) {
                c.closeWhenIdle();
            }
        }
        idle.clear();
        idleCount = 0;
    }

    int idleCount() {
        return idleCount;
    }
}
