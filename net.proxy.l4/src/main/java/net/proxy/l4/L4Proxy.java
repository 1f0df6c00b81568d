package net.proxy.l4;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * An L4 proxy service: for each accepted stream, connects to an upstream {@link Peer} and pumps
 * bytes both ways with backpressure, propagating half-close, closing both sides on error or after
 * the idle timeout. TLS termination: give the {@link Listener} a TLS acceptor; pass-through: give it
 * none (and no TLS on the peer); origination: a peer with TLS.
 */
public final class L4Proxy implements StreamHandler {
    static final System.Logger LOG = System.getLogger(L4Proxy.class.getName());

    private final Connector connector;
    private final Function<Stream, Peer> upstream;
    private final Duration idleTimeout;
    private final LongAdder sessions = new LongAdder();
    private final LongAdder active = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder bytesUp = new LongAdder();
    private final LongAdder bytesDown = new LongAdder();

    L4Proxy(L4ProxyBuilder b) {
        this.connector = b.connector;
        this.upstream = b.upstream;
        this.idleTimeout = b.idleTimeout;
    }

    /**
     * Starts building a proxy.
     *
     * @param connector opens the upstream connections
     * @return a new builder
     */
    public static L4ProxyBuilder builder(Connector connector) {
        return new L4ProxyBuilder(connector);
    }

    /**
     * Returns the counters.
     *
     * @return sessions, bytes and failures so far
     */
    public L4ProxyStats stats() {
        return new L4ProxyStats(sessions.sum(), active.sum(), connectFailures.sum(), bytesUp.sum(), bytesDown.sum());
    }

    @Override
    public void onStream(Stream downstream) {
        sessions.increment();
        active.increment();
        Channel down = downstream.channel();
        down.closeFuture().addListener(f -> active.decrement());
        down.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        Relay downRelay = new Relay(bytesUp, () -> closeBoth(down, null));
        down.pipeline().addLast("net.proxy.l4.idle", idle()).addLast("net.proxy.l4.relay", downRelay);
        Peer peer;
        try {
            peer = upstream.apply(downstream);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "upstream selector failed for " + downstream, e);
            connectFailures.increment();
            down.close();
            return;
        }
        connector.connect(peer, downstream).whenComplete((up, err) -> {
            if (err != null) {
                connectFailures.increment();
                LOG.log(System.Logger.Level.DEBUG, () -> "upstream " + peer + " failed: " + err);
                down.close();
                return;
            }
            Channel upCh = up.channel();
            if (!down.isActive()) {
                upCh.close();
                return;
            }
            upCh.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            Relay upRelay = new Relay(bytesDown, () -> closeBoth(down, upCh));
            upCh.pipeline().addLast("net.proxy.l4.idle", idle()).addLast("net.proxy.l4.relay", upRelay);
            down.eventLoop().execute(() -> downRelay.attach(down, upCh, upRelay));
            upCh.eventLoop().execute(() -> {
                upRelay.attach(upCh, down, downRelay);
                down.closeFuture().addListener(f -> Relay.closeOnFlush(upCh));
                upCh.closeFuture().addListener(f -> Relay.closeOnFlush(down));
                resume(upCh);
                down.eventLoop().execute(() -> resume(down));
            });
        });
    }

    /**
     * Turns reading on unless the input already ended (a client may send and half-close before the
     * upstream is connected; re-arming reads on such an epoll channel fails with ENOENT).
     */
    private static void resume(Channel ch) {
        if (ch.isActive() && !(ch instanceof DuplexChannel && ((DuplexChannel) ch).isInputShutdown())) {
            ch.config().setAutoRead(true);
        }
    }

    private IdleStateHandler idle() {
        return new IdleStateHandler(0, 0, idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void closeBoth(Channel a, Channel b) {
        a.close();
        if (b != null) {
            b.close();
        }
    }
}
