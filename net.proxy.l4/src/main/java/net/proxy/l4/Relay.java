package net.proxy.l4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of the L4 byte pump: what this channel reads is written to the other one.
 */
/*
 * Threads: each Relay's own state is touched only on its channel's event loop (attach runs there
 * too); the two channels may live on different loops (a virtual transport with its own threads),
 * and Netty makes cross-loop writes and autoRead changes safe.
 *
 * Backpressure: after a read batch we flush the other side; while the other side is not writable
 * (its outbound buffer is above the high-water mark) this side's autoRead is off, and the other
 * side's Relay turns it on again from channelWritabilityChanged. Bytes that arrive before the
 * other side is attached (upstream still connecting) are queued; reading is paused then anyway.
 *
 * Half-close: an input shutdown (FIN) on this side becomes shutdownOutput() on the other side when
 * that is a plain socket (DuplexChannel without TLS); the connection pair is closed once both
 * directions are shut. With TLS on the other side there is no half-close in TLS 1.2/1.3 usage, so
 * the other side is flushed and closed (close_notify is sent by the SslHandler).
 *
 * [1] RFC 9293 TCP, section 3.6 Closing a Connection, https://www.rfc-editor.org/rfc/rfc9293#section-3.6
 * [2] RFC 8446 TLS 1.3, section 6.1 Closure Alerts, https://www.rfc-editor.org/rfc/rfc8446#section-6.1
 */
final class Relay extends ChannelInboundHandlerAdapter {
    private final LongAdder bytes;
    private final Runnable onIdle;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private Channel self;
    private Channel other;
    private volatile boolean inputShut;
    private Relay otherRelay;

    Relay(LongAdder bytes, Runnable onIdle) {
        this.bytes = bytes;
        this.onIdle = onIdle;
    }

    void attach(Channel self, Channel other, Relay otherRelay) {
        this.self = self;
        this.other = other;
        this.otherRelay = otherRelay;
        Object msg;
        boolean any = false;
        while ((msg = queued.poll()) != null) {
            write(msg);
            any = true;
        }
        if (any) {
            other.flush();
        }
        if (inputShut) {
            propagateShutdown();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (other == null) {
            queued.add(msg);
            return;
        }
        write(msg);
    }

    private void write(Object msg) {
        if (msg instanceof ByteBuf) {
            bytes.add(((ByteBuf) msg).readableBytes());
        }
        if (!other.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        other.write(msg, other.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (other == null) {
            return;
        }
        other.flush();
        if (!other.isWritable()) {
            ctx.channel().config().setAutoRead(false);
            // The other channel may live on another loop and drain meanwhile: had its writability event run
            // between the check above and the pause, nothing would resume this side. Look again after pausing.
            if (other.isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (other != null && ctx.channel().isWritable() && !otherRelay.inputShut && other.isActive()) {
            other.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
            if (other != null) {
                propagateShutdown();
            }
        } else if (evt instanceof IdleStateEvent) {
            onIdle.run();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Called once this side's input is shut and the other side is attached. */
    private void propagateShutdown() {
        if (other instanceof DuplexChannel && other.pipeline().get(SslHandler.class) == null) {
            DuplexChannel d = (DuplexChannel) other;
            other.writeAndFlush(Unpooled.EMPTY_BUFFER)
                    .addListener(f -> d.shutdownOutput().addListener(s -> closeIfBothShut()));
        } else {
            closeOnFlush(other);
        }
    }

    private void closeIfBothShut() {
        if (inputShut && otherRelay.inputShut) {
            self.close();
            other.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Object msg;
        while ((msg = queued.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        if (other != null) {
            closeOnFlush(other);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        L4Proxy.LOG.log(System.Logger.Level.DEBUG, () -> "L4 relay error on " + ctx.channel() + ": " + cause);
        ctx.close();
        if (other != null) {
            closeOnFlush(other);
        }
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
