package net.proxy.core;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.proxy.core.internal.Args;
import net.proxy.core.internal.Transport;
import net.proxy.l4.Endpoint;
import net.proxy.lb.LoadBalancer;

/**
 * Hosts {@link ListeningService listening services} on one shared group of event loops (one thread per loop) and
 * {@link BackgroundService background services} on a small scheduler of daemon threads.
 *
 * <p>Lifecycle: {@link #start()} binds every address, starts accepting from every virtual L4 endpoint
 * ({@link ListeningService#virtualEndpoints()}) and starts the background services; {@link #shutdown()} is
 * the graceful stop (stop accepting, tell every service to finish in-flight requests and close idle keep-alive
 * connections, wait up to each service's grace period, then close the rest); {@link #shutdownNow()} is the fast
 * stop (close everything at once). Native epoll is used where available.
 *
 * <p>Seams for later work: the configuration is a plain builder (a YAML reader can fill it), services can be
 * added before start (hot reload will diff and swap them), and the listening channels are created in one place
 * ({@link #start()}) where inherited file descriptors can replace fresh binds for zero-downtime upgrades.
 *
 * <pre>{@code
 * Server server = Server.builder().threads(2).build();
 * server.add(HttpProxy.builder(new MyProxy()).listen(new InetSocketAddress("127.0.0.1", 6188)).build());
 * server.start();
 * }</pre>
 */
public final class Server implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    private final int threads;
    private final Transport transport;
    private final List<ListeningService> services = new ArrayList<>();
    private final List<BackgroundService> background = new ArrayList<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Closeable> virtualListeners = new ArrayList<>();
    private final ChannelGroup listenerGroup = new DefaultChannelGroup("listeners", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup group;
    private ScheduledExecutorService scheduler;
    private volatile boolean started;
    private volatile boolean stopped;

    private Server(Builder b) {
        this.threads = b.threads;
        this.transport = Transport.best();
    }

    /** A builder: threads default to the number of processors. */
    public static Builder builder() {
        return new Builder();
    }

    /** Adds a listening service; only before {@link #start()}. */
    public synchronized Server add(ListeningService service) {
        checkNotStarted();
        services.add(Objects.requireNonNull(service, "service"));
        return this;
    }

    /** Adds a background service; only before {@link #start()}. */
    public synchronized Server add(BackgroundService service) {
        checkNotStarted();
        background.add(Objects.requireNonNull(service, "service"));
        return this;
    }

    /**
     * Adds a load balancer as a background service: the server {@linkplain LoadBalancer#start(ScheduledExecutorService)
     * starts} its discovery updates and health checks on the background scheduler and {@linkplain LoadBalancer#close()
     * closes} it when it stops. Only before {@link #start()}.
     */
    public synchronized Server add(LoadBalancer lb) {
        Objects.requireNonNull(lb, "lb");
        return add(new BackgroundService() {
            @Override
            public String name() {
                return "load-balancer";
            }

            @Override
            public void start(ScheduledExecutorService scheduler) {
                lb.start(scheduler);
            }

            @Override
            public void stop() {
                lb.close();
            }
        });
    }

    private void checkNotStarted() {
        if (started) {
            throw new IllegalStateException("server already started");
        }
    }

    /** The number of event loops. */
    public int threads() {
        return threads;
    }

    /**
     * Creates the event loops, binds every service's addresses and starts the background services.
     *
     * @throws ProxyError of kind {@link ErrorKind#INTERNAL_ERROR} if an address cannot be bound (the server is
     *     then stopped)
     */
    public synchronized Server start() {
        checkNotStarted();
        started = true;
        group = new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory("net.proxy-loop", true), transport.ioHandlerFactory());
        ScheduledThreadPoolExecutor sched =
                new ScheduledThreadPoolExecutor(2, new DefaultThreadFactory("net.proxy-background", true));
        sched.setRemoveOnCancelPolicy(true);
        scheduler = sched;
        try {
            for (ListeningService service : services) {
                for (SocketAddress address : service.addresses()) {
                    boolean unix = address instanceof java.net.UnixDomainSocketAddress;
                    if (unix && !transport.supportsUnixSockets()) {
                        throw new IllegalStateException(
                                "Unix socket listeners need the native epoll transport: " + address);
                    }
                    ServerBootstrap sb = new ServerBootstrap().group(group).option(ChannelOption.SO_BACKLOG, 1024);
                    if (unix) {
                        sb.channel(transport.serverDomainChannel());
                    } else {
                        sb.channelFactory(transport.serverChannelFactory(address));
                    }
                    if (!unix) {
                        sb.option(ChannelOption.SO_REUSEADDR, true)
                                .childOption(ChannelOption.TCP_NODELAY, true)
                                .childOption(ChannelOption.SO_KEEPALIVE, true);
                    }
                    sb.childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            service.initChannel(ch);
                        }
                    });
                    Channel ch = sb.bind(Transport.toNetty(address))
                            .syncUninterruptibly()
                            .channel();
                    listeners.add(ch);
                    listenerGroup.add(ch);
                    LOG.log(Level.INFO, service.name() + " listening on " + ch.localAddress());
                }
                for (Endpoint.Virtual v : service.virtualEndpoints()) {
                    listenVirtual(service, v);
                }
            }
        } catch (RuntimeException e) {
            shutdownNow();
            throw ProxyError.because(ErrorKind.INTERNAL_ERROR, ErrorSource.INTERNAL, "binding listeners", e);
        }
        for (BackgroundService b : background) {
            b.start(scheduler);
        }
        return this;
    }

    private void listenVirtual(ListeningService service, Endpoint.Virtual v) {
        EventLoopGroup loops = group;
        try {
            virtualListeners.add(v.transport().listen(v.address(), loops, ch -> {
                EventLoop own = ch.eventLoop();
                service.initVirtualChannel(ch, own.parent() == loops ? own : loops.next());
                ch.config().setAutoRead(true);
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.log(
                Level.INFO,
                service.name() + " listening on " + v.address() + " via "
                        + v.transport().name());
    }

    private synchronized void closeVirtualListeners() {
        for (Closeable c : virtualListeners) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing a virtual listener: " + e);
            }
        }
        virtualListeners.clear();
    }

    /** The addresses actually bound, in the order services and their addresses were added. */
    public synchronized List<SocketAddress> boundAddresses() {
        List<SocketAddress> out = new ArrayList<>();
        for (Channel ch : listeners) {
            out.add(ch.localAddress());
        }
        return out;
    }

    /**
     * Graceful stop: stops accepting, lets every service finish in-flight requests within its grace period (idle
     * keep-alive connections are closed at once), then stops everything. Blocks until done.
     */
    public void shutdown() {
        synchronized (this) {
            if (!started || stopped) {
                return;
            }
            stopped = true;
        }
        listenerGroup.close().syncUninterruptibly();
        closeVirtualListeners();
        for (BackgroundService b : background) {
            b.stop();
        }
        List<CompletableFuture<Void>> drained = new ArrayList<>();
        for (ListeningService s : services) {
            drained.add(s.beginShutdown().toCompletableFuture());
        }
        for (int i = 0; i < services.size(); i++) {
            try {
                drained.get(i).get(services.get(i).gracePeriod().toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.log(Level.WARNING, services.get(i).name() + ": grace period over, closing what is left");
            } catch (ExecutionException e) {
                LOG.log(Level.WARNING, services.get(i).name() + ": shutdown failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        terminate();
    }

    /** Fast stop: closes every listener and connection now. Blocks until the event loops ended. */
    public void shutdownNow() {
        synchronized (this) {
            if (!started) {
                return;
            }
            stopped = true;
        }
        terminate();
    }

    private void terminate() {
        listenerGroup.close().syncUninterruptibly();
        closeVirtualListeners();
        for (ListeningService s : services) {
            s.closeNow();
        }
        for (BackgroundService b : background) {
            b.stop();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /** Builds a {@link Server}. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder() {}

        /** The number of event-loop threads; default the number of processors. */
        public Builder threads(int value) {
            this.threads = Args.between("threads", value, 1, 1024);
            return this;
        }

        /** The server (not started). */
        public Server build() {
            return new Server(this);
        }
    }
}
