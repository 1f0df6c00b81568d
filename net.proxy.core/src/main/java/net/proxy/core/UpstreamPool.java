package net.proxy.core;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import net.proxy.core.internal.Transport;

/**
 * The upstream connections of one event loop: idle connections by {@link HttpPeer.PoolKey}, most recently used
 * first, and the bootstrap that makes new ones on this loop. Touched only by its loop, so it takes no locks; the
 * counters are read from other threads for statistics only.
 */
final class UpstreamPool {
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
        this.bootstrap = new Bootstrap().group(loop).channel(transport.socketChannel())
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
     * Starts a new connection to {@code peer} whose events go to {@code conn}.
     *
     * @throws ProxyError if the peer is a Unix socket and the transport has none
     */
    ChannelFuture connect(HttpPeer peer, UpstreamConnection conn) {
        SocketAddress address = peer.address();
        Bootstrap b = bootstrap;
        if (address instanceof java.net.UnixDomainSocketAddress) {
            if (!transport.supportsUnixSockets()) {
                throw ProxyError.of(ErrorKind.CONNECT_ERROR, ErrorSource.UPSTREAM,
                        "Unix socket peers need the native epoll transport: " + address);
            }
            if (unixBootstrap == null) {
                unixBootstrap = new Bootstrap().group(loop).channel(transport.domainChannel());
            }
            b = unixBootstrap;
            address = Transport.toNetty(address);
        }
        return b.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        Math.max(1, peer.connectTimeout().toMillis())))
                .handler(conn)
                .connect(address);
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
