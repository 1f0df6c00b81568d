package net.proxy.bench.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import net.proxy.l4.Endpoint;
import net.proxy.l4.Listener;
import net.proxy.l4.Transport;

/**
 * Bulk upload throughput through an L4 proxy: a client writes a fixed number of bytes, half-closes,
 * and waits for the origin's 8-byte count. The origin is ours (Netty, discarding); only the proxy
 * in the middle changes.
 */
final class BulkThroughput {
    private BulkThroughput() {}

    /** Starts the discarding origin: counts bytes, answers the count after the client's FIN. */
    static Listener origin(Transport t) {
        return Listener.builder(t)
                .endpoint(Endpoint.tcp("127.0.0.1", 0))
                .handler(s -> {
                    s.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                    s.channel().pipeline().addLast(new Counter());
                    s.resumeReading();
                })
                .build()
                .start();
    }

    /** Sends {@code bytes} through the port and returns MiB/s. */
    static double upload(int port, long bytes) throws IOException {
        byte[] chunk = new byte[256 * 1024];
        long start = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk);
            }
            s.shutdownOutput();
            long got = new DataInputStream(s.getInputStream()).readLong();
            if (got != bytes) {
                throw new IOException("origin counted " + got + " of " + bytes + " bytes");
            }
        }
        return bytes / (1024.0 * 1024.0) / ((System.nanoTime() - start) / 1e9);
    }

    private static final class Counter extends ChannelInboundHandlerAdapter {
        private long count;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            count += b.readableBytes();
            b.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.writeAndFlush(Unpooled.buffer(8).writeLong(count)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
