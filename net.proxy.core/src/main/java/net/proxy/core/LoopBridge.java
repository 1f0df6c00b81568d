package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handler of a channel that lives on another event loop than its connection handler (a virtual transport's
 * channel, upstream {@link UpstreamConnection} or downstream {@link DownstreamConnection}): it runs on the channel's
 * loop and hands every event to the handler's loop, where the connection and its exchange run single-threaded.
 *
 * <p>How: each event becomes one task on the target loop; a loop runs its tasks in submission order and the
 * channel's loop submits in event order, so the connection sees reads, read-completes, writability changes, the
 * close and errors in the order they happened. Backpressure is kept because the connection's {@code autoRead}
 * changes and writes go back to the channel (thread-safe Netty calls, performed on its loop in order); at most the
 * reads of one read batch are in flight after a pause. The reads, closes and errors handed over but not yet run are
 * counted (read-complete and writability events change nothing for an idle connection), so the pool never reuses an idle connection whose origin has just sent bytes or closed (the window a TCP connection
 * does not have, since its events run where the pool does). A buffer whose task the target loop refuses (it is
 * shutting down) is released, and the channel closed.
 */
final class LoopBridge extends ChannelInboundHandlerAdapter {
    private final EventLoop loop;
    private final Bridged conn;
    private final AtomicInteger pending = new AtomicInteger();

    LoopBridge(EventLoop loop, Bridged conn) {
        this.loop = loop;
        this.conn = conn;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        hand(ctx, conn::onActive, null, false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        hand(ctx, () -> conn.onRead(in), in, true);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        hand(ctx, conn::onReadComplete, null, false);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        hand(ctx, conn::onWritabilityChanged, null, false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        hand(ctx, conn::onInactive, null, true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        hand(ctx, () -> conn.onException(cause), null, true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            hand(ctx, conn::onInputShutdown, null, true);
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    /** Whether reads, a close or an error were handed over that the connection's loop has not run yet. */
    boolean hasPendingEvents() {
        return pending.get() != 0;
    }

    private void hand(ChannelHandlerContext ctx, Runnable task, ByteBuf msg, boolean counted) {
        if (counted) {
            pending.incrementAndGet();
        }
        try {
            loop.execute(
                    counted
                            ? () -> {
                                pending.decrementAndGet();
                                task.run();
                            }
                            : task);
        } catch (RejectedExecutionException e) {
            if (counted) {
                pending.decrementAndGet();
            }
            if (msg != null) {
                msg.release();
            }
            ctx.close();
        }
    }
}
