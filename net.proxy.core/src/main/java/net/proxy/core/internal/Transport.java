package net.proxy.core.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** Native epoll when the platform has it, NIO otherwise; decided once. */
public enum Transport {
    /** Linux epoll through Netty's native transport. */
    EPOLL,
    /** The JDK's NIO selector. */
    NIO;

    private static final Transport BEST = Epoll.isAvailable() ? EPOLL : NIO;

    /** The best transport available here. */
    public static Transport best() {
        return BEST;
    }

    /** The I/O handler factory for event loops of this transport. */
    public IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /**
     * Creates server channels for {@code bind}. With epoll, an IPv4 address gets an {@code AF_INET} socket: Netty
     * would otherwise open a dual-stack IPv6 socket and carry IPv4 through the IPv6 layer (IPv4-mapped addresses),
     * which costs kernel time on every read.
     */
    public ChannelFactory<ServerChannel> serverChannelFactory(SocketAddress bind) {
        if (this == EPOLL) {
            return ipv4(bind)
                    ? () -> new EpollServerSocketChannel(SocketProtocolFamily.INET)
                    : EpollServerSocketChannel::new;
        }
        return NioServerSocketChannel::new;
    }

    /** Creates client channels to {@code remote}; like {@link #serverChannelFactory}, IPv4 stays {@code AF_INET}. */
    public ChannelFactory<Channel> socketChannelFactory(SocketAddress remote) {
        if (this == EPOLL) {
            return ipv4(remote) ? () -> new EpollSocketChannel(SocketProtocolFamily.INET) : EpollSocketChannel::new;
        }
        return NioSocketChannel::new;
    }

    private static boolean ipv4(SocketAddress address) {
        return address instanceof InetSocketAddress
                && ((InetSocketAddress) address).getAddress() instanceof Inet4Address;
    }

    /** Whether Unix domain sockets are available (epoll only). */
    public boolean supportsUnixSockets() {
        return this == EPOLL;
    }

    /** The Unix domain server socket channel class (epoll only). */
    public Class<? extends ServerChannel> serverDomainChannel() {
        return EpollServerDomainSocketChannel.class;
    }

    /** The Unix domain socket channel class (epoll only). */
    public Class<? extends Channel> domainChannel() {
        return EpollDomainSocketChannel.class;
    }

    /**
     * Netty's form of {@code address}: a {@link java.net.UnixDomainSocketAddress} becomes a {@link DomainSocketAddress};
     * other addresses are returned as they are.
     */
    public static SocketAddress toNetty(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return new DomainSocketAddress(
                    ((UnixDomainSocketAddress) address).getPath().toString());
        }
        return address;
    }
}
