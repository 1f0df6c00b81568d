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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A set of backends, an algorithm to pick among them, and their health.
 *
 * <p>The backend set comes from a {@link ServiceDiscovery}; {@link #update()} re-discovers it and, when it changed,
 * swaps the set and the algorithm's selector atomically (readers never lock); backends that stay keep their health.
 * An optional {@link HealthCheck} runs periodically once the load balancer is {@link #start started} (for instance
 * by a {@code Server} that hosts it); {@link #close()} stops that background work. Passive health: the proxy reports connect failures
 * with {@link #reportFailure}; after {@code passiveFailures} consecutive ones (default 1) the backend is skipped for
 * {@code passiveTimeout} (default 10 s, nginx's {@code max_fails=1 fail_timeout=10s}), then tried again.
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancer.builder()
 *         .backends(List.of(Backend.parse("127.0.0.1:8001"), Backend.parse("127.0.0.1:8002")))
 *         .selection(SelectionAlgorithm.roundRobin())
 *         .healthCheck(TcpHealthCheck.builder().build())
 *         .build();
 * Backend b = lb.select(new byte[0]);
 * }</pre>
 */
public final class LoadBalancer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LoadBalancer.class.getName());

    private final ServiceDiscovery discovery;
    private final SelectionAlgorithm algorithm;
    private final HealthCheck healthCheck;
    private final HealthObserver observer;
    private final Duration updateInterval;
    private final int passiveFailureLimit;
    private final long passiveTimeoutNanos;
    private final LongSupplier ticker;
    private final Map<Backend, BackendState> states = new ConcurrentHashMap<>();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
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
            this.selector = algorithm.build(backends, i -> states[i].active.get());
        }
    }

    /** Called when a backend's active health changes. */
    @FunctionalInterface
    public interface HealthObserver {
        /** {@code backend} became healthy ({@code true}) or unhealthy. */
        void changed(Backend backend, boolean healthy);
    }

    private LoadBalancer(Builder b) {
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

    /** A builder; {@link Builder#build()} runs the first discovery. */
    public static Builder builder() {
        return new Builder();
    }

    /** The current backends, sorted. */
    public List<Backend> backends() {
        return generation.backends;
    }

    /** The selection algorithm. */
    public SelectionAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Re-runs discovery and swaps in the new set if it differs; returns whether it changed. A failing discovery
     * keeps the current set (logged).
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

    /** The first ready backend proposed for {@code key}, or {@code null} if none is ready. */
    public Backend select(byte[] key) {
        return candidates(key).next();
    }

    /**
     * The ready backends for {@code key}, distinct, in the algorithm's order; {@code accept} can skip backends
     * (e.g. one that already failed for this request).
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

    /** The ready backends for {@code key}, distinct, in the algorithm's order. */
    public Candidates candidates(byte[] key) {
        return candidates(key, b -> true);
    }

    /** Whether {@code backend} is in the set, enabled, healthy and not passively marked down. */
    public boolean isReady(Backend backend) {
        BackendState s = states.get(backend);
        return s != null && s.ready(ticker);
    }

    /** Enables or disables {@code backend} (a disabled backend is never selected). */
    public void enable(Backend backend, boolean enabled) {
        BackendState s = states.get(backend);
        if (s != null) {
            s.enabled = enabled;
        }
    }

    /** Reports that connecting to {@code backend} failed (passive health). */
    public void reportFailure(Backend backend) {
        BackendState s = states.get(backend);
        if (s != null && s.passiveFailures.incrementAndGet() >= passiveFailureLimit) {
            long until = ticker.getAsLong() + passiveTimeoutNanos;
            s.passiveDownUntil = until == 0 ? 1 : until;
            s.passiveFailures.set(0);
        }
    }

    /** Reports that a request to {@code backend} succeeded, clearing its passive failure count. */
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
     * Counts a request in flight on {@code backend} for least-connections until the returned lease is closed
     * (closing twice counts once). With an algorithm that is not {@link SelectionAlgorithm#loadAware() load-aware},
     * nothing is counted and the lease does nothing.
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
     * Runs the health check once on every backend, sequentially, on the calling thread, and applies rise/fall.
     * Does nothing without a health check.
     */
    public void runHealthChecks() {
        if (healthCheck == null) {
            return;
        }
        Generation g = generation;
        for (int i = 0; i < g.backends.size(); i++) {
            Backend b = g.backends.get(i);
            boolean ok;
            String why = null;
            try {
                healthCheck.check(b);
                ok = true;
            } catch (Exception e) {
                ok = false;
                why = e.toString();
            }
            record(b, g.states[i], ok, why);
        }
    }

    private void record(Backend b, BackendState s, boolean ok, String why) {
        if (ok == s.healthy) {
            s.flipCount = 0;
            return;
        }
        s.flipCount++;
        if (s.flipCount >= (ok ? healthCheck.rise() : healthCheck.fall())) {
            s.flipCount = 0;
            s.healthy = ok;
            if (ok) {
                s.passiveDownUntil = 0;
                LOG.log(Level.INFO, b + " becomes healthy");
            } else {
                LOG.log(Level.WARNING, b + " becomes unhealthy, " + why);
            }
            if (observer != null) {
                observer.changed(b, ok);
            }
        }
    }

    /** Schedules discovery updates and health checks (each at its own interval) on {@code scheduler}. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        long u = updateInterval.toNanos();
        tasks.add(scheduler.scheduleWithFixedDelay(this::update, u, u, TimeUnit.NANOSECONDS));
        if (healthCheck != null) {
            long h = healthCheck.interval().toNanos();
            tasks.add(scheduler.scheduleWithFixedDelay(this::runHealthChecks, 0, h, TimeUnit.NANOSECONDS));
        }
    }

    /** Stops scheduling discovery updates and health checks; work already running may finish. */
    @Override
    public synchronized void close() {
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
    }

    /** Builds a {@link LoadBalancer}. */
    public static final class Builder {
        private ServiceDiscovery discovery;
        private SelectionAlgorithm algorithm = SelectionAlgorithm.roundRobin();
        private HealthCheck healthCheck;
        private HealthObserver observer;
        private Duration updateInterval = Duration.ofSeconds(30);
        private int passiveFailures = 1;
        private Duration passiveTimeout = Duration.ofSeconds(10);
        private LongSupplier ticker = System::nanoTime;

        private Builder() {}

        /** A fixed backend set (shorthand for {@code discovery(ServiceDiscovery.fixed(backends))}). */
        public Builder backends(java.util.Collection<Backend> backends) {
            return discovery(ServiceDiscovery.fixed(backends));
        }

        /** Where backends come from; required (or {@link #backends}). */
        public Builder discovery(ServiceDiscovery value) {
            this.discovery = Objects.requireNonNull(value, "discovery");
            return this;
        }

        /** The selection algorithm; default {@link SelectionAlgorithm#roundRobin()}. */
        public Builder selection(SelectionAlgorithm value) {
            this.algorithm = Objects.requireNonNull(value, "selection");
            return this;
        }

        /** An active health check; default none (every backend healthy). */
        public Builder healthCheck(HealthCheck value) {
            this.healthCheck = Objects.requireNonNull(value, "healthCheck");
            return this;
        }

        /** Told about every health change; default none. */
        public Builder healthObserver(HealthObserver value) {
            this.observer = Objects.requireNonNull(value, "healthObserver");
            return this;
        }

        /** How often discovery runs once started; default 30 s. */
        public Builder updateInterval(Duration value) {
            this.updateInterval = Checks.positive("updateInterval", value);
            return this;
        }

        /** Consecutive connect failures that mark a backend down passively; default 1. */
        public Builder passiveFailures(int value) {
            this.passiveFailures = Checks.atLeast("passiveFailures", value, 1);
            return this;
        }

        /** How long a passively marked backend is skipped; default 10 s. */
        public Builder passiveTimeout(Duration value) {
            this.passiveTimeout = Checks.positive("passiveTimeout", value);
            return this;
        }

        /** The nanosecond clock for passive timeouts; default {@link System#nanoTime}. */
        public Builder ticker(LongSupplier value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /**
         * The load balancer, after one discovery run.
         *
         * @throws IllegalStateException if no discovery was set
         */
        public LoadBalancer build() {
            if (discovery == null) {
                throw new IllegalStateException("discovery: null (expected: backends(..) or discovery(..))");
            }
            LoadBalancer lb = new LoadBalancer(this);
            lb.update();
            return lb;
        }
    }
}
