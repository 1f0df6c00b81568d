package net.proxy.l4;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.proxy.l4.spi.VirtualTransport;

/**
 * The reference {@link VirtualTransport}: in-process pipes between a connector and a listener of
 * the same JVM, addressed by name, built on Netty's local channels (no sockets, no copies through
 * the kernel). Useful for tests, for chaining services inside one process, and as a template for
 * real custom transports.
 */
public final class PipeTransport implements VirtualTransport, AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

    private PipeTransport() {}

    /**
     * Creates the transport with its own event loop thread (Netty 4.2 runs local channels only on
     * local I/O handlers, so pipe streams cannot share the socket event loops). Names are global to
     * the JVM (Netty's local address registry). Close it to stop the thread.
     *
     * @return a transport
     */
    public static PipeTransport create() {
        return new PipeTransport();
    }

    /** Stops the transport's event loop thread. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * Returns the pipe address with a name.
     *
     * @param name the name, e.g. {@code "origin"}
     * @return the address
     */
    public static SocketAddress address(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name: empty (expected: a pipe name)");
        }
        return new LocalAddress(name);
    }

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public CompletionStage<Channel> connect(SocketAddress address, EventLoop eventLoop) {
        CompletableFuture<Channel> out = new CompletableFuture<>();
        new Bootstrap()
                .group(group)
                .channel(LocalChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .handler(noHandlers())
                .connect(local(address))
                .addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        out.complete(f.channel());
                    } else {
                        out.completeExceptionally(f.cause());
                    }
                });
        return out;
    }

    @Override
    public Closeable listen(SocketAddress address, EventLoopGroup eventLoops, Consumer<Channel> acceptor)
            throws IOException {
        ChannelFuture f = new ServerBootstrap()
                .group(group)
                .channel(LocalServerChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        acceptor.accept(ch);
                    }
                })
                .bind(local(address))
                .awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException(
                    "cannot listen on pipe " + address + ": " + f.cause().getMessage(), f.cause());
        }
        Channel server = f.channel();
        return () -> server.close().awaitUninterruptibly();
    }

    private static LocalAddress local(SocketAddress address) {
        if (!(address instanceof LocalAddress)) {
            throw new IllegalArgumentException("address: " + address + " (expected: PipeTransport.address(name))");
        }
        return (LocalAddress) address;
    }

    private static ChannelInitializer<Channel> noHandlers() {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                // The connector's caller installs its own handlers.
            }
        };
    }
}
