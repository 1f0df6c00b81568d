package net.proxy.l4;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import net.proxy.timeout.Timeout;
import net.proxy.tls.TlsDigest;

/**
 * One connection's run through an {@link AcceptSequence}: optional PROXY header, {@link
 * ConnectionFilter}, optional TLS handshake, then the {@link StreamHandler}. Reading stays paused
 * except where a step needs bytes; bytes that arrive after the PROXY header and before the next
 * step is ready are held and replayed in order.
 */
final class AcceptHandler extends ChannelInboundHandlerAdapter {
    private final AcceptSequence sequence;
    private final StreamKind kind;
    private final String transport;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private StreamDigest digest;
    private boolean started;
    private boolean filtering;
    private boolean failed;
    /** The PROXY header's deadline on the loop's wheel, while the header is awaited; else null. */
    private Timeout proxyTimeout;

    AcceptHandler(AcceptSequence sequence, StreamKind kind, String transport) {
        this.sequence = sequence;
        this.kind = kind;
        this.transport = transport;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        Channel ch = ctx.channel();
        digest = new StreamDigest(
                kind, transport, ch.localAddress(), ch.remoteAddress(), null, Instant.now(), null, null);
        if (sequence.proxyProtocol) {
            ctx.pipeline().addBefore(ctx.name(), "net.proxy.l4.proxy-protocol", new HAProxyMessageDecoder());
            LoopTimers timers = sequence.timers;
            proxyTimeout = timers.wheel(ch.eventLoop())
                    .scheduleAt(
                            () -> fail(ctx, new ProxyHeaderTimeoutException(sequence.proxyHeaderTimeout)),
                            timers.ticker().getAsLong() + sequence.proxyHeaderTimeout.toNanos());
            ctx.read();
        } else {
            filter(ctx, ch.remoteAddress());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage) {
            HAProxyMessage m = (HAProxyMessage) msg;
            ProxyHeader header;
            try {
                header = ProxyHeaders.fromMessage(m);
            } catch (RuntimeException e) {
                fail(ctx, e);
                return;
            } finally {
                m.release();
            }
            proxyTimeout.cancel();
            proxyTimeout = null;
            digest = digest.withProxyHeader(header);
            filter(ctx, digest.clientAddress());
        } else if (msg instanceof ByteBuf && (filtering || proxyTimeout != null)) {
            pending.add(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!filtering) {
            ctx.fireChannelReadComplete();
        }
    }

    private void filter(ChannelHandlerContext ctx, SocketAddress client) {
        filtering = true;
        CompletionStage<Boolean> decision;
        try {
            decision = sequence.filter.shouldAccept(client, ctx.channel().localAddress());
        } catch (RuntimeException e) {
            decided(ctx, false);
            return;
        }
        decision.whenComplete((ok, err) -> {
            boolean accept = err == null && Boolean.TRUE.equals(ok);
            if (ctx.executor().inEventLoop()) {
                decided(ctx, accept);
            } else {
                ctx.executor().execute(() -> decided(ctx, accept));
            }
        });
    }

    private void decided(ChannelHandlerContext ctx, boolean accept) {
        if (!accept) {
            sequence.rejected.increment();
            releasePending();
            ctx.close();
            return;
        }
        if (!ctx.channel().isActive()) {
            releasePending();
            return;
        }
        filtering = false;
        if (sequence.tls == null) {
            deliver(ctx);
            return;
        }
        CompletionStage<TlsDigest> handshake = sequence.tls.handshake(ctx.channel());
        replayPending(ctx);
        handshake.whenComplete((tls, err) -> {
            if (err != null) {
                sequence.failed.increment();
                ctx.close();
            } else {
                digest = digest.withTls(tls);
                deliver(ctx);
            }
        });
    }

    private void deliver(ChannelHandlerContext ctx) {
        Stream stream = new Stream(ctx.channel(), digest);
        ctx.pipeline().remove(this);
        sequence.accepted.increment();
        sequence.handler.onStream(stream);
        replayPending(ctx);
    }

    private void replayPending(ChannelHandlerContext ctx) {
        if (pending.isEmpty()) {
            return;
        }
        Object msg;
        while ((msg = pending.poll()) != null) {
            ctx.pipeline().fireChannelRead(msg);
        }
        ctx.pipeline().fireChannelReadComplete();
    }

    private void releasePending() {
        Object msg;
        while ((msg = pending.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (!failed) {
            failed = true;
            sequence.failed.increment();
            Listener.LOG.log(
                    System.Logger.Level.DEBUG, () -> "closing " + ctx.channel() + " before handing it over: " + cause);
            ctx.close();
        }
        releasePending();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (proxyTimeout != null) {
            proxyTimeout.cancel();
            proxyTimeout = null;
        }
        releasePending();
        ctx.fireChannelInactive();
    }
}
