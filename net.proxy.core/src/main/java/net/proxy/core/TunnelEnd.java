package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;

/**
 * One side of a {@link Tunnel}: the client's connection (or HTTP/2 stream) or the origin's connection. Every call
 * happens on the tunnel's event loop.
 */
interface TunnelEnd {
    /** Queues bytes for this side (ownership passes). */
    void write(ByteBuf data);

    void flush();

    boolean isWritable();

    /** Stops or resumes reading this side because the other one is full. */
    void pauseReading(boolean pause);

    /**
     * No more bytes go to this side: a TCP half-close ({@code FIN}) on a plain socket once what was queued left; a
     * close after that on TLS, which has no half-close in use (RFC 8446 §6.1).
     */
    void shutdownOutput();

    /** Closes this side once what was queued left. */
    void close();

    /** The end of a plain or TLS socket. */
    static TunnelEnd of(Channel channel) {
        return new TunnelEnd() {
            @Override
            public void write(ByteBuf data) {
                channel.write(data, channel.voidPromise());
            }

            @Override
            public void flush() {
                channel.flush();
            }

            @Override
            public boolean isWritable() {
                return channel.isWritable();
            }

            @Override
            public void pauseReading(boolean pause) {
                channel.config().setAutoRead(!pause);
            }

            @Override
            public void shutdownOutput() {
                if (channel instanceof DuplexChannel && channel.pipeline().get(SslHandler.class) == null) {
                    DuplexChannel d = (DuplexChannel) channel;
                    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> d.shutdownOutput());
                } else {
                    close();
                }
            }

            @Override
            public void close() {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        };
    }
}
