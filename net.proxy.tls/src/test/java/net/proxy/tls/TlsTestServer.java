package net.proxy.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TLS server for tests: each connection goes through {@link TlsAcceptor#handshake}; the
 * digest (or failure) is queued; the first request gets an HTTP/1.1 response naming the digest.
 */
final class TlsTestServer implements AutoCloseable {
    final TlsAcceptor acceptor;
    final BlockingQueue<TlsDigest> digests = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    TlsTestServer(TlsServerSettings settings) throws InterruptedException {
        this.acceptor = TlsAcceptor.of(settings);
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.eventLoop().execute(() -> accept(ch));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    private void accept(Channel ch) {
        acceptor.handshake(ch).whenComplete((digest, err) -> {
            if (err != null) {
                failures.add(err);
                return;
            }
            digests.add(digest);
            ch.pipeline().addLast(new Responder(digest));
            ch.config().setAutoRead(true);
        });
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    TlsDigest nextDigest() throws InterruptedException {
        TlsDigest d = digests.poll(20, TimeUnit.SECONDS);
        if (d == null) {
            throw new AssertionError("no handshake completed; failures: " + failures);
        }
        return d;
    }

    Throwable nextFailure() throws InterruptedException {
        Throwable t = failures.poll(20, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no handshake failed; digests: " + digests);
        }
        return t;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static Duration timeout() {
        return Duration.ofSeconds(20);
    }

    /** Answers the first read with an HTTP/1.1 response whose body describes the digest. */
    private static final class Responder extends ChannelInboundHandlerAdapter {
        private final TlsDigest digest;
        private boolean answered;

        Responder(TlsDigest digest) {
            this.digest = digest;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (answered) {
                return;
            }
            answered = true;
            String body = "engine=" + digest.engine() + " protocol=" + digest.protocol() + " sni=" + digest.serverName()
                    + " alpn=" + digest.applicationProtocol() + " ext=" + digest.extension() + "\n";
            String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body;
            ByteBuf buf = Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII);
            ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
