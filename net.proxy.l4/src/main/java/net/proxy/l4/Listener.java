package net.proxy.l4;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import net.proxy.l4.spi.VirtualTransport;

/**
 * Accepts streams on one or more endpoints and hands each, after the optional PROXY header, the
 * {@link ConnectionFilter} and the optional TLS handshake, to a {@link StreamHandler}.
 *
 * <p>Defaults: no TLS, accept all, no PROXY protocol (10 s header timeout when on). TCP sockets
 * have SO_REUSEADDR on, a backlog of 65535 and TCP_NODELAY on accepted connections ({@link
 * TcpOptions#DEFAULTS}). TLS handshakes time out after the TLS settings' handshake timeout.
 */
public final class Listener implements AutoCloseable {
    static final System.Logger LOG = System.getLogger(Listener.class.getName());

    final Transport transport;
    final List<Endpoint> endpoints;
    private final AcceptSequence accept;
    private final List<Closeable> bound = new ArrayList<>();
    private final List<SocketAddress> addresses = new ArrayList<>();

    Listener(ListenerBuilder b, AcceptSequence accept) {
        this.transport = b.transport;
        this.endpoints = List.copyOf(b.endpoints);
        this.accept = accept;
    }

    /**
     * Starts building a listener.
     *
     * @param transport the event loops to run on
     * @return a new builder
     */
    public static ListenerBuilder builder(Transport transport) {
        return new ListenerBuilder(transport);
    }

    /**
     * Binds every endpoint; on failure the ones already bound are closed again.
     *
     * @return this listener
     * @throws UncheckedIOException if an endpoint cannot be bound
     */
    public synchronized Listener start() {
        if (!bound.isEmpty()) {
            throw new IllegalStateException("listener already started");
        }
        try {
            for (Endpoint e : endpoints) {
                bind(e);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private void bind(Endpoint e) throws IOException {
        if (e instanceof Endpoint.Virtual) {
            Endpoint.Virtual v = (Endpoint.Virtual) e;
            VirtualTransport vt = v.transport();
            bound.add(vt.listen(v.address(), transport.group(), ch -> init(ch, StreamKind.VIRTUAL, vt.name())));
            addresses.add(v.address());
            return;
        }
        boolean unix = e instanceof Endpoint.Unix;
        SocketAddress address = unix ? transport.unixAddress(((Endpoint.Unix) e).path()) : ((Endpoint.Tcp) e).address();
        ServerBootstrap b = new ServerBootstrap()
                .group(transport.group())
                .channelFactory(transport.serverChannelFactory(address))
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        init(ch, unix ? StreamKind.UNIX : StreamKind.TCP, transport.name());
                    }
                });
        if (unix) {
            Files.deleteIfExists(((Endpoint.Unix) e).path());
        } else {
            tcpOptions(b, ((Endpoint.Tcp) e).options());
        }
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException(
                    "cannot listen on " + address + ": " + f.cause().getMessage(), f.cause());
        }
        Channel server = f.channel();
        bound.add(() -> server.close().awaitUninterruptibly());
        addresses.add(server.localAddress());
    }

    private void tcpOptions(ServerBootstrap b, TcpOptions o) {
        b.option(ChannelOption.SO_BACKLOG, o.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, o.noDelay());
        if (o.reusePort()) {
            if (transport.isNative()) {
                b.option(UnixChannelOption.SO_REUSEPORT, true);
            } else {
                b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
            }
        }
        if (o.fastOpenQueue() > 0) {
            if (Transport.fastOpenServerAvailable()) {
                b.option(ChannelOption.TCP_FASTOPEN, o.fastOpenQueue());
            } else {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "TCP Fast Open requested (queue "
                                + o.fastOpenQueue()
                                + ") but unavailable for listening sockets here (transport "
                                + transport.name()
                                + "); listening without it");
            }
        }
        TcpKeepAlive k = o.keepAlive();
        if (k != null) {
            b.childOption(ChannelOption.SO_KEEPALIVE, true);
            if (transport.isNative()) {
                b.childOption(EpollChannelOption.TCP_KEEPIDLE, (int) k.idle().getSeconds())
                        .childOption(EpollChannelOption.TCP_KEEPINTVL, (int)
                                k.interval().getSeconds())
                        .childOption(EpollChannelOption.TCP_KEEPCNT, k.count());
            }
        }
    }

    void init(Channel ch, StreamKind kind, String transportName) {
        accept.adopt(ch, kind, transportName);
    }

    /**
     * Returns the bound addresses, in endpoint order (with the actual port for port 0).
     *
     * @return the addresses; empty before {@link #start()}
     */
    public synchronized List<SocketAddress> localAddresses() {
        return List.copyOf(addresses);
    }

    /**
     * Returns the counters.
     *
     * @return accepted, rejected and failed connections so far
     */
    public ListenerStats stats() {
        return accept.stats();
    }

    /** Stops accepting; established streams stay open. */
    @Override
    public synchronized void close() {
        for (Closeable c : bound) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing listener endpoint failed", e);
            }
        }
        bound.clear();
        addresses.clear();
    }
}
