package net.proxy.core;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;
import net.proxy.l4.ConnectTimeoutException;
import net.proxy.l4.Connector;
import net.proxy.l4.LoopTimers;
import net.proxy.l4.Stream;
import net.proxy.l4.StreamKind;

/**
 * The upstream connections of one event loop: idle connections by {@link HttpPeer.PoolKey}, most recently used
 * first, and new ones opened with the l4 {@link Connector} from this loop. Touched only by its loop, so it takes no
 * locks; the counters are read from other threads for statistics only.
 *
 * <p>Virtual peers: the transport is asked for a channel on this loop; when it hands over one that lives on another
 * loop (as {@link net.proxy.l4.PipeTransport} does), a {@link LoopBridge} on the channel hands its events to the
 * {@link UpstreamConnection} on this loop, so the exchange never sees another thread.
 */
final class UpstreamPool {
    private static final String HANDLER = "net.proxy.upstream";
    private final EventLoop loop;
    private final HttpProxy<?> proxy;
    private final Connector connector;
    private final int maxIdlePerKey;
    private final Map<HttpPeer.PoolKey, ArrayDeque<PooledConnection>> idle = new HashMap<>();
    volatile long acquired;
    volatile long reused;
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

    /** Opens a new connection to {@code p} (TCP, Unix or virtual, then PROXY header and TLS) for {@code to}. */
    void open(HttpPeer p, Opening to) {
        long t0 = ticker().getAsLong();
        CompletionStage<Stream> connecting;
        try {
            connecting = connector.connect(p.l4(), loop);
        } catch (RuntimeException e) {
            to.failed(connectError(p, e));
            return;
        }
        connecting.whenComplete((stream, t) -> {
            Runnable report = () -> {
                if (t != null) {
                    to.failed(connectError(p, t));
                } else {
                    adopt(stream, p, to, t0);
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
    private void adopt(Stream stream, HttpPeer p, Opening to, long t0) {
        Channel ch = stream.channel();
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
            return; // a stream of a shared connection: the connection stays pooled
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

    /** Closes every idle connection (graceful stop). */
    void closeIdle() {
        for (ArrayDeque<PooledConnection> q : idle.values()) {
            for (PooledConnection c : q) {
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
