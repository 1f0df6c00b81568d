package net.proxy.samples;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Writes every received buffer back to the sender. Stateless, so one instance serves all. */
@ChannelHandler.Sharable
public final class EchoHandler extends ChannelInboundHandlerAdapter {
    /** The shared instance. */
    public static final EchoHandler INSTANCE = new EchoHandler();

    private EchoHandler() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
