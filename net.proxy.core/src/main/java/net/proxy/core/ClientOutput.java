package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import net.proxy.core.internal.DirectWrite;

/**
 * The bytes going to one client connection: a lone buffer is kept back until {@link #flush()}, which then sends it
 * with {@link DirectWrite} (the common response: head and body in one buffer); a second write first hands the held
 * one to the channel. Used on the connection's event loop.
 */
final class ClientOutput {
    private final Channel channel;
    /** A written buffer not handed to the channel yet ({@link #write}). */
    private ByteBuf held;
    /** Whether the channel has writes not flushed yet. */
    private boolean queued;

    private boolean closed;

    ClientOutput(Channel channel) {
        this.channel = channel;
    }

    /** Queues bytes for the client (ownership passes). */
    void write(ByteBuf data) {
        if (held == null && !queued && !closed) {
            held = data;
            return;
        }
        spill();
        channel.write(data, channel.voidPromise());
        queued = true;
    }

    void flush() {
        ByteBuf b = held;
        if (b != null) {
            held = null;
            DirectWrite.writeAndFlush(channel, b);
        } else if (queued) {
            queued = false;
            channel.flush();
        }
    }

    /** Writes {@code last} after anything held or queued, flushes, and closes the connection once it is out. */
    void writeLastAndClose(ByteBuf last) {
        spill();
        queued = false;
        channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    /** Hands a held buffer to the channel, before anything else is written or the channel is closed. */
    private void spill() {
        ByteBuf b = held;
        if (b != null) {
            held = null;
            channel.write(b, channel.voidPromise());
            queued = true;
        }
    }

    /** The connection closed: what is held is released, and later writes go to the channel (which fails them). */
    void closed() {
        closed = true;
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
