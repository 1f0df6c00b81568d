package net.proxy.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class DirectWriteTest {
    private MultiThreadIoEventLoopGroup group;
    private Channel server;
    /** What the accepted side received, and the future completed when it has {@code expected} bytes. */
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private volatile int expected;
    private final CompletableFuture<byte[]> all = new CompletableFuture<>();
    private final CompletableFuture<Channel> accepted = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.complete(ctx.channel());
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        byte[] bytes = new byte[b.readableBytes()];
                        b.readBytes(bytes);
                        synchronized (received) {
                            received.write(bytes, 0, bytes.length);
                            if (received.size() >= expected) {
                                all.complete(received.toByteArray());
                            }
                        }
                        b.release();
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    @AfterEach
    void stop() throws Exception {
        server.close().sync();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }

    private Channel connect(ChannelInitializer<Channel> init) throws Exception {
        Channel ch = new Bootstrap()
                .group(group)
                .channel(EpollSocketChannel.class)
                .handler(init)
                .connect(server.localAddress())
                .sync()
                .channel();
        accepted.get(10, TimeUnit.SECONDS);
        return ch;
    }

    private static ChannelInitializer<Channel> handlers(ChannelHandler... hs) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(hs);
            }
        };
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static <T> T onLoop(Channel ch, Callable<T> task) throws Exception {
        EventLoop loop = ch.eventLoop();
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    @Test
    void whatTheSocketCannotTakeAtOnceIsQueuedAndArrivesInOrder() throws Exception {
        Channel ch = connect(handlers(new ChannelInboundHandlerAdapter()));
        byte[] data = pattern(16 << 20, 7);
        expected = data.length;
        ByteBuf buf = ch.alloc().directBuffer(data.length).writeBytes(data);
        long queued = onLoop(ch, () -> {
            DirectWrite.writeAndFlush(ch, buf);
            return ch.unsafe().outboundBuffer().totalPendingWriteBytes();
        });
        assertTrue(queued > 0, "16 MiB to a peer that does not read leaves some queued");
        accepted.get().config().setAutoRead(true);
        assertArrayEquals(data, all.get(30, TimeUnit.SECONDS));
        assertEquals(0, buf.refCnt());
        ch.close().sync();
    }

    @Test
    void anOutboundHandlerOrAQueuedWriteIsNeverSkipped() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        Channel ch = connect(handlers(
                new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                        seen.incrementAndGet();
                        ctx.write(msg, promise);
                    }
                },
                new ChannelInboundHandlerAdapter()));
        queueThenWriteDirectly(ch, 1000, 2000);
        assertEquals(2, seen.get(), "both writes passed the outbound handler");
        ch.close().sync();
    }

    @Test
    void aQueuedWriteIsNotOvertakenWithoutAnyOtherHandler() throws Exception {
        Channel ch = connect(handlers(new ChannelInboundHandlerAdapter()));
        queueThenWriteDirectly(ch, 1000, 500);
        ch.close().sync();
    }

    /**
     * Queues {@code firstSize} bytes without flushing, then writes {@code secondSize} more with DirectWrite, and
     * checks the peer receives the first bytes first.
     */
    private void queueThenWriteDirectly(Channel ch, int firstSize, int secondSize) throws Exception {
        byte[] first = pattern(firstSize, 1);
        byte[] second = pattern(secondSize, 2);
        expected = first.length + second.length;
        onLoop(ch, () -> {
            ch.write(ch.alloc().directBuffer().writeBytes(first), ch.voidPromise());
            DirectWrite.writeAndFlush(ch, ch.alloc().directBuffer().writeBytes(second));
            return null;
        });
        accepted.get().config().setAutoRead(true);
        byte[] both = all.get(10, TimeUnit.SECONDS);
        assertArrayEquals(first, Arrays.copyOfRange(both, 0, first.length));
        assertArrayEquals(second, Arrays.copyOfRange(both, first.length, both.length));
    }

    @Test
    void aBufferForAClosedChannelIsReleased() throws Exception {
        Channel ch = connect(handlers(new ChannelInboundHandlerAdapter()));
        ch.close().sync();
        ByteBuf buf = ch.alloc().directBuffer().writeBytes(pattern(100, 5));
        onLoop(ch, () -> {
            DirectWrite.writeAndFlush(ch, buf);
            return null;
        });
        assertEquals(0, buf.refCnt());
    }
}
