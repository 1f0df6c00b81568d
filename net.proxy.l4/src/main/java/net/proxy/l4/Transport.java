package net.proxy.l4;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The I/O threads and socket implementation shared by listeners and connectors: native epoll when
 * available (Linux x86_64 with the native library on the module path), NIO otherwise or when asked.
 * Closing it stops the threads.
 */
public final class Transport implements AutoCloseable {
    private final EventLoopGroup group;
    private final boolean epoll;

    private Transport(int threads, boolean epoll, ThreadFactory threadFactory) {
        this.epoll = epoll;
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = threadFactory == null
                ? new MultiThreadIoEventLoopGroup(threads, factory)
                : new MultiThreadIoEventLoopGroup(threads, threadFactory, factory);
    }

    /**
     * Creates a transport with native epoll if available.
     *
     * @param threads event loop threads, {@code >= 1}
     * @return the transport
     */
    public static Transport create(int threads) {
        return create(threads, true);
    }

    /**
     * Creates a transport.
     *
     * @param threads event loop threads, {@code >= 1}
     * @param preferNative {@code false} forces NIO even where epoll is available
     * @return the transport
     */
    public static Transport create(int threads, boolean preferNative) {
        return create(threads, preferNative, null);
    }

    /**
     * Creates a transport whose event-loop threads come from {@code threadFactory} (names, daemon status).
     *
     * @param threads event loop threads, {@code >= 1}
     * @param preferNative {@code false} forces NIO even where epoll is available
     * @param threadFactory makes the event-loop threads, or {@code null} for Netty's default
     * @return the transport
     */
    public static Transport create(int threads, boolean preferNative, ThreadFactory threadFactory) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
        }
        return new Transport(threads, preferNative && Epoll.isAvailable(), threadFactory);
    }

    /**
     * Tells whether native epoll can be used in this JVM.
     *
     * @return {@code true} if {@link #create} would use epoll
     */
    public static boolean nativeAvailable() {
        return Epoll.isAvailable();
    }

    /**
     * Explains why native epoll is unavailable.
     *
     * @return the cause, or {@code null} if available
     */
    public static Throwable nativeUnavailabilityCause() {
        return Epoll.unavailabilityCause();
    }

    /**
     * Tells whether the kernel accepts TCP Fast Open on listening sockets (needs epoll and {@code
     * net.ipv4.tcp_fastopen} bit 2).
     *
     * @return {@code true} if server-side TFO can be enabled
     */
    public static boolean fastOpenServerAvailable() {
        return Epoll.isAvailable() && Epoll.isTcpFastOpenServerSideAvailable();
    }

    /**
     * Tells whether the kernel allows TCP Fast Open on outgoing connections.
     *
     * @return {@code true} if client-side TFO can be enabled
     */
    public static boolean fastOpenClientAvailable() {
        return Epoll.isAvailable() && Epoll.isTcpFastOpenClientSideAvailable();
    }

    /**
     * Returns the transport's name.
     *
     * @return {@code "epoll"} or {@code "nio"}
     */
    public String name() {
        return epoll ? "epoll" : "nio";
    }

    /**
     * Tells whether this transport uses native epoll.
     *
     * @return {@code true} for epoll
     */
    public boolean isNative() {
        return epoll;
    }

    /**
     * Returns the event loops, for protocol code that schedules work next to its connections.
     *
     * @return the group
     */
    public EventLoopGroup group() {
        return group;
    }

    /*
     * With epoll, an IPv4 address gets an AF_INET socket: Netty would otherwise open a dual-stack IPv6 socket
     * and carry IPv4 through the IPv6 layer (IPv4-mapped addresses), which costs kernel time on every read.
     */

    /** Makes listening channels for {@code address} (a TCP address, or Netty's form of a Unix one). */
    ChannelFactory<ServerChannel> serverChannelFactory(SocketAddress address) {
        boolean unix = !(address instanceof InetSocketAddress);
        if (unix) {
            return epoll ? EpollServerDomainSocketChannel::new : NioServerDomainSocketChannel::new;
        }
        if (epoll) {
            return ipv4(address)
                    ? () -> new EpollServerSocketChannel(SocketProtocolFamily.INET)
                    : EpollServerSocketChannel::new;
        }
        return NioServerSocketChannel::new;
    }

    /** Makes connecting channels to {@code address} (a TCP address, or Netty's form of a Unix one). */
    ChannelFactory<Channel> channelFactory(SocketAddress address) {
        boolean unix = !(address instanceof InetSocketAddress);
        if (unix) {
            return epoll ? EpollDomainSocketChannel::new : NioDomainSocketChannel::new;
        }
        if (epoll) {
            return ipv4(address) ? () -> new EpollSocketChannel(SocketProtocolFamily.INET) : EpollSocketChannel::new;
        }
        return NioSocketChannel::new;
    }

    private static boolean ipv4(SocketAddress address) {
        return ((InetSocketAddress) address).getAddress() instanceof Inet4Address;
    }

    SocketAddress unixAddress(Path path) {
        return epoll ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
    }

    /** Stops the event loops gracefully, waiting up to 5 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /**
     * Stops the event loops gracefully.
     *
     * @param timeout how long to wait for them to finish
     */
    public void close(Duration timeout) {
        group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeout.toMillis() + 1000);
    }
}
