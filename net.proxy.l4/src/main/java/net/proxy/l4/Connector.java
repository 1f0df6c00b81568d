package net.proxy.l4;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import net.proxy.timeout.Timeout;
import net.proxy.tls.TlsConnector;

/**
 * Opens upstream {@link Stream}s to {@link Peer}s: TCP, Unix or virtual, then the PROXY header and
 * TLS if the peer asks for them. Streams are returned with reading paused, like accepted ones.
 */
public final class Connector {
    private final Transport transport;
    private final LoopTimers timers;

    private Connector(Transport transport, LoopTimers timers) {
        this.transport = transport;
        this.timers = timers;
    }

    /**
     * Creates a connector whose connect timeouts run on wheels of its own ({@link LoopTimers#create()}).
     *
     * @param transport the event loops and socket implementation
     * @return the connector
     */
    public static Connector of(Transport transport) {
        return of(transport, LoopTimers.create());
    }

    /**
     * Creates a connector whose connect and total timeouts run on {@code timers}, the wheel of the connecting loop.
     *
     * @param transport the event loops and socket implementation
     * @param timers the timer wheels of the transport's loops
     * @return the connector
     */
    public static Connector of(Transport transport, LoopTimers timers) {
        if (transport == null || timers == null) {
            throw new NullPointerException(transport == null ? "transport" : "timers");
        }
        return new Connector(transport, timers);
    }

    /**
     * Connects to a peer on any event loop; a PROXY header, if configured, says {@code LOCAL}.
     *
     * @param peer the peer
     * @return a stage completing with the stream, or failing with {@link ConnectTimeoutException},
     *     {@link java.net.ConnectException}, or an {@link SSLException} for a failed TLS handshake
     */
    public CompletionStage<Stream> connect(Peer peer) {
        return connect(peer, transport.group().next(), null);
    }

    /**
     * Connects to a peer on the downstream stream's event loop (no thread hop when proxying); a PROXY
     * header, if configured, names the downstream's client and destination.
     *
     * @param peer the peer
     * @param downstream the stream this connection serves, or {@code null}
     * @return a stage completing with the stream
     */
    public CompletionStage<Stream> connect(Peer peer, Stream downstream) {
        return connect(
                peer,
                downstream != null
                        ? downstream.channel().eventLoop()
                        : transport.group().next(),
                downstream);
    }

    /**
     * Connects to a peer from {@code loop}: a socket is registered there, and a virtual transport is asked for a
     * channel there (it may hand over one that lives on its own loop). The stage completes on the new channel's
     * loop. A PROXY header, if configured, says {@code LOCAL}.
     *
     * @param peer the peer
     * @param loop an event loop of this connector's transport
     * @return a stage completing with the stream
     */
    public CompletionStage<Stream> connect(Peer peer, EventLoop loop) {
        return connect(peer, loop, null);
    }

    private CompletionStage<Stream> connect(Peer peer, EventLoop loop, Stream downstream) {
        CompletableFuture<Stream> result = new CompletableFuture<>();
        long start = timers.ticker().getAsLong();
        Instant established = Instant.now();
        Duration total = peer.totalTimeout().orElse(null);
        if (total != null) {
            Timeout timer = timers.wheel(loop)
                    .scheduleAt(
                            () -> result.completeExceptionally(new ConnectTimeoutException(
                                    ConnectTimeoutException.Phase.TOTAL, peer.address(), total)),
                            start + total.toNanos());
            result.whenComplete((s, e) -> timer.cancel());
        }
        CompletionStage<Channel> connected;
        if (peer.transport().isPresent()) {
            // a virtual transport has no socket connect timeout of its own: the connector bounds it
            Timeout timer = timers.wheel(loop)
                    .scheduleAt(
                            () -> result.completeExceptionally(new ConnectTimeoutException(
                                    ConnectTimeoutException.Phase.CONNECT, peer.address(), peer.connectTimeout())),
                            start + peer.connectTimeout().toNanos());
            connected = peer.transport().get().connect(peer.address(), loop);
            connected.whenComplete((ch, err) -> timer.cancel());
        } else {
            connected = socketConnect(peer, loop);
        }
        connected.whenComplete((ch, err) -> {
            if (err != null) {
                result.completeExceptionally(err);
                return;
            }
            if (result.isDone()) {
                ch.close();
                return;
            }
            result.whenComplete((s, e) -> {
                if (e != null) {
                    ch.close();
                }
            });
            ch.eventLoop().execute(() -> afterConnect(ch, peer, downstream, start, established, result));
        });
        return result;
    }

    private CompletionStage<Channel> socketConnect(Peer peer, EventLoop loop) {
        boolean unix = peer.address() instanceof UnixDomainSocketAddress;
        SocketAddress address =
                unix ? transport.unixAddress(((UnixDomainSocketAddress) peer.address()).getPath()) : peer.address();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(transport.channelFactory(address))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0) // on the loop's wheel instead, below
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Nothing to add: the caller installs its handlers on the returned stream.
                    }
                });
        if (!unix) {
            b.option(ChannelOption.TCP_NODELAY, peer.noDelay());
            peer.keepAlive().ifPresent(k -> {
                b.option(ChannelOption.SO_KEEPALIVE, true);
                if (transport.isNative()) {
                    b.option(EpollChannelOption.TCP_KEEPIDLE, (int) k.idle().getSeconds())
                            .option(EpollChannelOption.TCP_KEEPINTVL, (int)
                                    k.interval().getSeconds())
                            .option(EpollChannelOption.TCP_KEEPCNT, k.count());
                }
            });
        }
        ChannelFuture f = peer.bindAddress().isPresent() && !unix
                ? b.connect(address, peer.bindAddress().get())
                : b.connect(address);
        CompletableFuture<Channel> out = new CompletableFuture<>();
        Timeout timer = timers.wheel(loop)
                .scheduleAt(
                        () -> {
                            if (out.completeExceptionally(new ConnectTimeoutException(
                                    ConnectTimeoutException.Phase.CONNECT, peer.address(), peer.connectTimeout()))) {
                                f.channel().close();
                            }
                        },
                        timers.ticker().getAsLong() + peer.connectTimeout().toNanos());
        f.addListener((ChannelFuture cf) -> {
            timer.cancel();
            if (cf.isSuccess()) {
                if (!out.complete(cf.channel())) {
                    cf.channel().close();
                }
            } else {
                out.completeExceptionally(cf.cause());
            }
        });
        return out;
    }

    private void afterConnect(
            Channel ch,
            Peer peer,
            Stream downstream,
            long start,
            Instant established,
            CompletableFuture<Stream> result) {
        StreamKind kind = peer.transport().isPresent()
                ? StreamKind.VIRTUAL
                : peer.address() instanceof UnixDomainSocketAddress ? StreamKind.UNIX : StreamKind.TCP;
        String name = peer.transport().map(t -> t.name()).orElse(transport.name());
        StreamDigest digest = new StreamDigest(
                kind,
                name,
                ch.localAddress(),
                ch.remoteAddress(),
                null,
                established,
                Duration.ofNanos(timers.ticker().getAsLong() - start),
                null);
        if (peer.proxyProtocol().isPresent()) {
            SocketAddress source =
                    downstream == null ? null : downstream.digest().clientAddress();
            SocketAddress destination = null;
            if (downstream != null) {
                ProxyHeader h = downstream.digest().proxyHeader();
                destination = h != null && !h.local()
                        ? h.destination()
                        : downstream.digest().localAddress();
            }
            ch.pipeline().addFirst("net.proxy.l4.proxy-encoder", HAProxyMessageEncoder.INSTANCE);
            ch.writeAndFlush(
                            ProxyHeaders.encode(ch.alloc(), peer.proxyProtocol().get(), source, destination))
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            result.completeExceptionally(f.cause());
                        }
                    });
            ch.pipeline().remove("net.proxy.l4.proxy-encoder");
        }
        TlsConnector tls = peer.tls().orElse(null);
        if (tls == null) {
            result.complete(new Stream(ch, digest));
            return;
        }
        tls.handshake(ch, peer.serverName()).whenComplete((d, err) -> {
            if (err != null) {
                result.completeExceptionally(handshakeFailure(peer, err));
            } else {
                result.complete(new Stream(ch, digest.withTls(d)));
            }
        });
    }

    /** A failed handshake as an {@link SSLException}, whatever ended it (an alert, a close, the callback). */
    private static SSLException handshakeFailure(Peer peer, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof SSLException) {
            return (SSLException) cause;
        }
        SSLHandshakeException e =
                new SSLHandshakeException("TLS handshake with " + peer.address() + " failed: " + cause);
        e.initCause(cause);
        return e;
    }
}
