package net.proxy.core.internal;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
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

    /** The server socket channel class. */
    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
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
            return new DomainSocketAddress(((UnixDomainSocketAddress) address).getPath().toString());
        }
        return address;
    }

    /** The client socket channel class. */
    public Class<? extends Channel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
