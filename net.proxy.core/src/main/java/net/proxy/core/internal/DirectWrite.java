package net.proxy.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;

/**
 * Writes and flushes one buffer, straight to the socket when that is exactly what Netty's flush would do: an
 * epoll stream channel, on its own event loop, with nothing queued for it and no handler in its pipeline but
 * the one inbound handler of the connection (so nothing outbound, such as TLS, is skipped), and a buffer with a
 * memory address. The buffer is then sent by one {@code send} call, as Netty's flush of a single buffer does,
 * without the queue entry, promise and pipeline walk around it. Whatever is not sent at once (a full socket
 * buffer, an error) goes to the channel's normal write and flush, which sends the rest when the socket allows
 * or meets the error again and reports it as usual.
 */
public final class DirectWrite {
    private DirectWrite() {}

    /** Writes {@code buf} to {@code ch} and flushes (ownership passes); call on the channel's event loop. */
    public static void writeAndFlush(Channel ch, ByteBuf buf) {
        if (!sentWhole(ch, buf)) {
            ch.writeAndFlush(buf, ch.voidPromise());
        }
    }

    private static boolean sentWhole(Channel ch, ByteBuf buf) {
        if (!(ch instanceof AbstractEpollStreamChannel epoll)
                || !(epoll.fd() instanceof Socket socket)
                || !buf.hasMemoryAddress()
                || !socket.isOpen()
                || !ch.eventLoop().inEventLoop()) {
            return false;
        }
        ChannelPipeline pipeline = ch.pipeline();
        ChannelOutboundBuffer queued = ch.unsafe().outboundBuffer();
        if (pipeline.first() != pipeline.last() || queued == null || queued.totalPendingWriteBytes() != 0) {
            return false;
        }
        int sent;
        try {
            sent = socket.sendAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex());
        } catch (IOException e) {
            return false;
        }
        if (sent == buf.readableBytes()) {
            buf.release();
            return true;
        }
        buf.skipBytes(sent);
        return false;
    }
}
