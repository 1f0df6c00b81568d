package net.proxy.core;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.proxy.l4.Endpoint;
import net.proxy.l4.Listener;
import net.proxy.l4.ListenerBuilder;
import net.proxy.l4.Transport;
import net.proxy.lb.LoadBalancer;

/**
 * Hosts {@link ListeningService listening services} on one shared group of event loops (one thread per loop) and
 * {@link BackgroundService background services} on a small scheduler of daemon threads.
 *
 * <p>Lifecycle: {@link #start()} binds one l4 {@link Listener} per service (its TCP, Unix and virtual
 * endpoints, PROXY header, connection filter and TLS) and starts the background services; {@link #shutdown()} is
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
    private final List<ListeningService> services = new ArrayList<>();
    private final List<BackgroundService> background = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<SocketAddress> socketAddresses = new ArrayList<>();
    private Transport transport;
    private ScheduledExecutorService scheduler;
    private volatile boolean started;
    private volatile boolean stopped;

    Server(ServerBuilder b) {
        this.threads = b.threads;
    }

    /**
     * A builder: threads default to the number of processors.
     *
     * @return a new builder
     */
    public static ServerBuilder builder() {
        return new ServerBuilder();
    }

    /**
     * Adds a listening service; only before {@link #start()}.
     *
     * @param service the service
     * @return this server
     */
    public synchronized Server add(ListeningService service) {
        checkNotStarted();
        services.add(Objects.requireNonNull(service, "service"));
        return this;
    }

    /**
     * Adds a background service; only before {@link #start()}.
     *
     * @param service the service
     * @return this server
     */
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

    /**
     * The number of event loops.
     *
     * @return the thread count
     */
    public int threads() {
        return threads;
    }

    /**
     * Creates the event loops (native epoll where available), binds every service's endpoints and starts the
     * background services.
     *
     * @return this server
     * @throws ProxyError of kind {@link ErrorKind#INTERNAL_ERROR} if an endpoint cannot be bound (the server is
     *     then stopped)
     */
    public synchronized Server start() {
        checkNotStarted();
        started = true;
        transport = Transport.create(threads, true, new DefaultThreadFactory("net.proxy-loop", true));
        ScheduledThreadPoolExecutor sched =
                new ScheduledThreadPoolExecutor(2, new DefaultThreadFactory("net.proxy-background", true));
        sched.setRemoveOnCancelPolicy(true);
        scheduler = sched;
        try {
            for (ListeningService service : services) {
                service.start(transport);
                if (!service.endpoints().isEmpty()) {
                    listen(service);
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

    private void listen(ListeningService service) {
        EventLoopGroup loops = transport.group();
        ListenerBuilder b = Listener.builder(transport);
        service.endpoints().forEach(b::endpoint);
        service.configure(b);
        b.handler(stream -> {
            // a virtual transport's stream may live on the transport's own loop: run it on a server loop
            EventLoop own = stream.channel().eventLoop();
            service.serve(stream, own.parent() == loops ? own : loops.next());
        });
        Listener listener = b.build().start();
        listeners.add(listener);
        List<SocketAddress> bound = listener.localAddresses();
        for (int i = 0; i < bound.size(); i++) {
            Endpoint e = service.endpoints().get(i);
            if (!(e instanceof Endpoint.Virtual)) {
                socketAddresses.add(bound.get(i));
            }
            LOG.log(
                    Level.INFO,
                    service.name() + " listening on " + bound.get(i)
                            + (e instanceof Endpoint.Virtual
                                    ? " via "
                                            + ((Endpoint.Virtual) e).transport().name()
                                    : ""));
        }
        service.bound(listener);
    }

    /**
     * The socket addresses actually bound (TCP with the real port for port 0, and Unix), in the order services and
     * their endpoints were added; virtual endpoints are not listed.
     *
     * @return the addresses
     */
    public synchronized List<SocketAddress> boundAddresses() {
        return List.copyOf(socketAddresses);
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
        closeListeners();
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

    private synchronized void closeListeners() {
        for (Listener l : listeners) {
            l.close();
        }
        listeners.clear();
    }

    private void terminate() {
        closeListeners();
        for (ListeningService s : services) {
            s.closeNow();
        }
        for (BackgroundService b : background) {
            b.stop();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (transport != null) {
            transport.close(Duration.ofSeconds(2));
        }
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }
}
