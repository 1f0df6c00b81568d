package net.proxy.lb;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import net.proxy.lb.spi.Selector;

/**
 * A set of backends, an algorithm to pick among them, and their health.
 *
 * <p>The backend set comes from a {@link ServiceDiscovery}; {@link #update()} re-discovers it and, when it changed,
 * swaps the set and the algorithm's selector atomically (readers never lock); backends that stay keep their health.
 * Passive health: the proxy reports connect failures with {@link #reportFailure}; after {@code passiveFailures}
 * consecutive ones (default 1) the backend is skipped for {@code passiveTimeout} (default 10 s, nginx's
 * {@code max_fails=1 fail_timeout=10s}), then tried again.
 *
 * <p>Background work: once {@linkplain #start(ScheduledExecutorService) started} on a scheduler (a server's, or one
 * of its own with {@link #start()}), discovery runs every {@code updateInterval} and the optional
 * {@link HealthCheck} every {@link HealthCheck#interval()}, each with a fixed delay after the previous run.
 * {@link #close()} stops that work and closes the health check; selection keeps working on the last backend set.
 *
 * <pre>{@code
 * try (LoadBalancer lb = LoadBalancer.builder()
 *         .backends(List.of(Backend.parse("127.0.0.1:8001"), Backend.parse("127.0.0.1:8002")))
 *         .selection(SelectionAlgorithm.roundRobin())
 *         .healthCheck(TcpHealthCheck.builder().build())
 *         .build()) {
 *     lb.start();
 *     Backend b = lb.select(new byte[0]);
 * }
 * }</pre>
 */
public final class LoadBalancer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LoadBalancer.class.getName());
    /** How long after a check's own timeout a round stops waiting for it. */
    private static final long CHECK_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ServiceDiscovery discovery;
    private final SelectionAlgorithm algorithm;
    private final HealthCheck healthCheck;
    private final HealthObserver observer;
    private final Duration updateInterval;
    private final int passiveFailureLimit;
    private final long passiveTimeoutNanos;
    private final LongSupplier ticker;
    private final Map<Backend, BackendState> states = new ConcurrentHashMap<>();
    /** Held for a whole round of health checks, so rounds never interleave. */
    private final Object healthRound = new Object();
    /** Guarded by {@code this}. */
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    /** The scheduler {@link #start()} made, guarded by {@code this}. */
    private ScheduledExecutorService ownScheduler;
    /** Guarded by {@code this}. */
    private boolean started;

    private volatile boolean closed;
    private volatile Generation generation;

    /** One immutable view of the backend set and the selector built for it. */
    private static final class Generation {
        final List<Backend> backends;
        final BackendState[] states;
        final Map<Backend, Integer> index;
        final Selector selector;

        Generation(List<Backend> backends, BackendState[] states, SelectionAlgorithm algorithm) {
            this.backends = backends;
            this.states = states;
            Map<Backend, Integer> idx = new HashMap<>();
            for (int i = 0; i < backends.size(); i++) {
                idx.put(backends.get(i), i);
            }
            this.index = idx;
            this.selector = algorithm.selector(backends, i -> states[i].active.get());
        }
    }

    /** Called when a backend's active health changes. */
    @FunctionalInterface
    public interface HealthObserver {
        /**
         * Tells that a backend's active health changed.
         *
         * @param backend the backend
         * @param healthy {@code true} if it became healthy, {@code false} if it became unhealthy
         */
        void changed(Backend backend, boolean healthy);
    }

    LoadBalancer(LoadBalancerBuilder b) {
        this.discovery = b.discovery;
        this.algorithm = b.algorithm;
        this.healthCheck = b.healthCheck;
        this.observer = b.observer;
        this.updateInterval = b.updateInterval;
        this.passiveFailureLimit = b.passiveFailures;
        this.passiveTimeoutNanos = b.passiveTimeout.toNanos();
        this.ticker = b.ticker;
        this.generation = new Generation(List.of(), new BackendState[0], algorithm);
    }

    /**
     * Starts building a load balancer; {@link LoadBalancerBuilder#build()} runs the first discovery.
     *
     * @return a new builder
     */
    public static LoadBalancerBuilder builder() {
        return new LoadBalancerBuilder();
    }

    /**
     * Returns the current backends.
     *
     * @return the backends, sorted in {@link Backend#compareTo} order
     */
    public List<Backend> backends() {
        return generation.backends;
    }

    /**
     * Returns the selection algorithm.
     *
     * @return the algorithm
     */
    public SelectionAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Re-runs discovery and swaps in the new set if it differs. A failing discovery keeps the current set (logged).
     *
     * @return whether the set changed
     */
    public boolean update() {
        Set<Backend> found;
        try {
            found = discovery.discover();
        } catch (Exception e) {
            LOG.log(
                    Level.WARNING,
                    "service discovery failed, keeping " + generation.backends.size() + " backends: " + e);
            return false;
        }
        List<Backend> sorted = new ArrayList<>(new TreeSet<>(found));
        Generation current = generation;
        if (sorted.equals(current.backends) && sameMetadata(sorted, current.backends)) {
            return false;
        }
        BackendState[] arr = new BackendState[sorted.size()];
        for (int i = 0; i < arr.length; i++) {
            arr[i] = states.computeIfAbsent(sorted.get(i), k -> new BackendState());
        }
        states.keySet().retainAll(found);
        generation = new Generation(List.copyOf(sorted), arr, algorithm);
        return true;
    }

    private static boolean sameMetadata(List<Backend> a, List<Backend> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).metadata().equals(b.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first ready backend proposed for {@code key}.
     *
     * @param key the selection key (hash algorithms), possibly empty
     * @return the backend, or {@code null} if none is ready
     */
    public Backend select(byte[] key) {
        return candidates(key).next();
    }

    /**
     * The ready backends for {@code key}, distinct, in the algorithm's order.
     *
     * @param key the selection key (hash algorithms), possibly empty
     * @param accept skips backends it rejects (e.g. one that already failed for this request)
     * @return the candidates of one request
     */
    public Candidates candidates(byte[] key, Predicate<Backend> accept) {
        Generation g = generation;
        Candidates raw = g.selector.select(key);
        return () -> {
            Backend b;
            while ((b = raw.next()) != null) {
                if (g.states[g.index.get(b)].ready(ticker) && accept.test(b)) {
                    return b;
                }
            }
            return null;
        };
    }

    /**
     * The ready backends for {@code key}, distinct, in the algorithm's order.
     *
     * @param key the selection key (hash algorithms), possibly empty
     * @return the candidates of one request
     */
    public Candidates candidates(byte[] key) {
        return candidates(key, b -> true);
    }

    /**
     * Tells whether a backend may be selected.
     *
     * @param backend the backend
     * @return whether it is in the set, enabled, healthy and not passively marked down
     */
    public boolean isReady(Backend backend) {
        BackendState s = states.get(backend);
        return s != null && s.ready(ticker);
    }

    /**
     * Enables or disables a backend (a disabled backend is never selected).
     *
     * @param backend the backend; ignored if not in the set
     * @param enabled whether it may be selected
     */
    public void enable(Backend backend, boolean enabled) {
        BackendState s = states.get(backend);
        if (s != null) {
            s.enabled = enabled;
        }
    }

    /**
     * Reports that connecting to a backend failed (passive health).
     *
     * @param backend the backend; ignored if not in the set
     */
    public void reportFailure(Backend backend) {
        BackendState s = states.get(backend);
        if (s != null && s.passiveFailures.incrementAndGet() >= passiveFailureLimit) {
            long until = ticker.getAsLong() + passiveTimeoutNanos;
            s.passiveDownUntil = until == 0 ? 1 : until;
            s.passiveFailures.set(0);
        }
    }

    /**
     * Reports that a request to a backend succeeded, clearing its passive failure count.
     *
     * @param backend the backend; ignored if not in the set
     */
    public void reportSuccess(Backend backend) {
        BackendState s = states.get(backend);
        if (s != null) {
            if (s.passiveFailures.get() != 0) {
                s.passiveFailures.set(0);
            }
            if (s.passiveDownUntil != 0) {
                s.passiveDownUntil = 0;
            }
        }
    }

    /**
     * Counts a request in flight on a backend for least-connections until the returned lease is closed. With an
     * algorithm that is not {@link SelectionAlgorithm#loadAware() load-aware}, nothing is counted and the lease does
     * nothing.
     *
     * @param backend the backend
     * @return the lease; close it when the request ends (closing twice counts once)
     */
    public Lease acquire(Backend backend) {
        if (!algorithm.loadAware()) {
            return Lease.NONE;
        }
        BackendState s = states.get(backend);
        if (s == null) {
            return Lease.NONE;
        }
        s.active.incrementAndGet();
        return new Lease(s);
    }

    /** A request in flight on a backend; close it when the request ends. */
    public static final class Lease implements AutoCloseable {
        static final Lease NONE = new Lease(null);
        private BackendState state;

        Lease(BackendState state) {
            this.state = state;
        }

        /** Ends the request's count; idempotent. */
        @Override
        public void close() {
            BackendState s = state;
            if (s != null) {
                state = null;
                s.active.decrementAndGet();
            }
        }
    }

    /**
     * Runs the health check once on every backend and applies rise and fall. The checks of one round run
     * concurrently; this method waits for all of them (at most the check's timeout plus one second), then records
     * the results in backend order on the calling thread, which also calls the {@link HealthObserver}. Rounds never
     * overlap. Does nothing without a health check or once closed.
     */
    public void runHealthChecks() {
        HealthCheck check = healthCheck;
        if (check == null || closed) {
            return;
        }
        synchronized (healthRound) {
            Generation g = generation;
            int n = g.backends.size();
            List<CompletableFuture<Void>> pending = new ArrayList<>(n);
            for (Backend b : g.backends) {
                pending.add(start(check, b));
            }
            long deadline = System.nanoTime() + check.timeout().toNanos() + CHECK_GRACE_NANOS;
            for (int i = 0; i < n; i++) {
                Throwable failure = null;
                try {
                    pending.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    failure = unwrap(e.getCause());
                } catch (TimeoutException e) {
                    failure = new TimeoutException("health check of " + g.backends.get(i)
                            + " did not complete within its timeout " + check.timeout());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                record(check, g.backends.get(i), g.states[i], failure);
            }
        }
    }

    /** Starts one check; a check that throws or returns {@code null} has failed. */
    private static CompletableFuture<Void> start(HealthCheck check, Backend backend) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            CompletionStage<Void> stage = check.check(backend);
            if (stage == null) {
                return CompletableFuture.failedFuture(new NullPointerException("health check returned null"));
            }
            stage.whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void record(HealthCheck check, Backend b, BackendState s, Throwable failure) {
        boolean ok = failure == null;
        if (closed) {
            return;
        }
        if (ok == s.healthy) {
            s.flipCount = 0;
            return;
        }
        s.flipCount++;
        if (s.flipCount >= (ok ? check.rise() : check.fall())) {
            s.flipCount = 0;
            s.healthy = ok;
            if (ok) {
                s.passiveDownUntil = 0;
                LOG.log(Level.INFO, b + " becomes healthy");
            } else {
                LOG.log(Level.WARNING, b + " becomes unhealthy, " + failure);
            }
            if (observer != null) {
                observer.changed(b, ok);
            }
        }
    }

    /**
     * Schedules discovery updates (first after one {@code updateInterval}) and health checks (first at once), each
     * with a fixed delay after its previous run, on {@code scheduler}; returns at once. The scheduler's threads run
     * discovery (which may block) and wait for each round of health checks. {@link #close()} cancels the tasks but
     * leaves the scheduler running.
     *
     * @param scheduler the scheduler, for instance a server's background scheduler
     * @throws IllegalStateException if already started or closed
     */
    public synchronized void start(ScheduledExecutorService scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        checkStartable();
        schedule(scheduler);
    }

    /**
     * Like {@link #start(ScheduledExecutorService)} on a scheduler of its own: one daemon thread, stopped by
     * {@link #close()}.
     *
     * @throws IllegalStateException if already started or closed
     */
    public synchronized void start() {
        checkStartable();
        ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "net.proxy-lb");
            t.setDaemon(true);
            return t;
        });
        own.setRemoveOnCancelPolicy(true);
        ownScheduler = own;
        schedule(own);
    }

    private void checkStartable() {
        if (closed) {
            throw new IllegalStateException("load balancer closed");
        }
        if (started) {
            throw new IllegalStateException("load balancer already started");
        }
    }

    private void schedule(ScheduledExecutorService scheduler) {
        started = true;
        long u = updateInterval.toNanos();
        tasks.add(scheduler.scheduleWithFixedDelay(this::update, u, u, TimeUnit.NANOSECONDS));
        if (healthCheck != null) {
            long h = healthCheck.interval().toNanos();
            tasks.add(scheduler.scheduleWithFixedDelay(this::runHealthChecks, 0, h, TimeUnit.NANOSECONDS));
        }
    }

    /**
     * Stops the background work: cancels the scheduled discovery updates and health checks (a round already running
     * may finish, its results are dropped), stops the scheduler of {@link #start()}, and closes the health check.
     * Selection keeps working on the last backend set and health. Idempotent.
     */
    @Override
    public void close() {
        ScheduledExecutorService own;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            tasks.forEach(t -> t.cancel(false));
            tasks.clear();
            own = ownScheduler;
            ownScheduler = null;
        }
        if (own != null) {
            own.shutdownNow();
        }
        if (healthCheck != null) {
            try {
                healthCheck.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the health check failed: " + e);
            }
        }
    }
}
