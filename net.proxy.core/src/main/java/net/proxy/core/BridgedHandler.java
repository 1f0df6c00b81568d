package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.function.LongSupplier;
import net.proxy.core.internal.EventClock;

/**
 * A connection handler that receives its channel's events as {@link Bridged} calls, whether they come straight
 * from the pipeline (this class maps them) or through a {@link LoopBridge} from another loop.
 */
abstract class BridgedHandler extends ChannelInboundHandlerAdapter implements Bridged {
    /** The engine's clock: every timestamp of the connection, and its timer wheel's. */
    final LongSupplier ticker;

    BridgedHandler(LongSupplier ticker) {
        this.ticker = ticker;
    }

    @Override
    public final void channelActive(ChannelHandlerContext ctx) {
        onActive();
        ctx.fireChannelActive();
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        EventClock clock = EventClock.enter(ticker);
        try {
            onRead((ByteBuf) msg);
        } finally {
            clock.exit();
        }
    }

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        onReadComplete();
    }

    @Override
    public final void channelWritabilityChanged(ChannelHandlerContext ctx) {
        onWritabilityChanged();
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        onInactive();
    }

    @Override
    public final void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            onInputShutdown();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        onException(cause);
    }
}
