package net.proxy.lb;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Builds a {@link LoadBalancer}; obtained from {@link LoadBalancer#builder()}. Every setter validates its argument at
 * once.
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancer.builder()
 *         .discovery(ServiceDiscovery.dns("origin.internal", 8080, ServiceDiscovery.Resolver.system()))
 *         .updateInterval(Duration.ofSeconds(10))
 *         .selection(SelectionAlgorithm.leastConnections())
 *         .passiveFailures(2)
 *         .build();
 * }</pre>
 */
public final class LoadBalancerBuilder {
    ServiceDiscovery discovery;
    SelectionAlgorithm algorithm = SelectionAlgorithm.roundRobin();
    HealthCheck healthCheck;
    LoadBalancer.HealthObserver observer;
    Duration updateInterval = Duration.ofSeconds(30);
    int passiveFailures = 1;
    Duration passiveTimeout = Duration.ofSeconds(10);
    LongSupplier ticker = System::nanoTime;

    LoadBalancerBuilder() {}

    /**
     * A fixed backend set (shorthand for {@code discovery(ServiceDiscovery.fixed(backends))}).
     *
     * @param backends the backends
     * @return this builder
     */
    public LoadBalancerBuilder backends(Collection<Backend> backends) {
        return discovery(ServiceDiscovery.fixed(backends));
    }

    /**
     * Where backends come from; required (or {@link #backends}).
     *
     * @param value the discovery
     * @return this builder
     */
    public LoadBalancerBuilder discovery(ServiceDiscovery value) {
        this.discovery = Objects.requireNonNull(value, "discovery");
        return this;
    }

    /**
     * The selection algorithm; default {@link SelectionAlgorithm#roundRobin()}.
     *
     * @param value the algorithm
     * @return this builder
     */
    public LoadBalancerBuilder selection(SelectionAlgorithm value) {
        this.algorithm = Objects.requireNonNull(value, "selection");
        return this;
    }

    /**
     * An active health check, run once the load balancer is started; default none (every backend healthy). The load
     * balancer owns it and closes it in {@link LoadBalancer#close()}.
     *
     * @param value the health check
     * @return this builder
     */
    public LoadBalancerBuilder healthCheck(HealthCheck value) {
        this.healthCheck = Objects.requireNonNull(value, "healthCheck");
        return this;
    }

    /**
     * Told about every change of active health; default none.
     *
     * @param value the observer, called on the thread that ran the health checks
     * @return this builder
     */
    public LoadBalancerBuilder healthObserver(LoadBalancer.HealthObserver value) {
        this.observer = Objects.requireNonNull(value, "healthObserver");
        return this;
    }

    /**
     * How often discovery runs once started; default 30 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public LoadBalancerBuilder updateInterval(Duration value) {
        this.updateInterval = Checks.positive("updateInterval", value);
        return this;
    }

    /**
     * Consecutive connect failures that mark a backend down passively; default 1.
     *
     * @param value at least 1
     * @return this builder
     */
    public LoadBalancerBuilder passiveFailures(int value) {
        this.passiveFailures = Checks.atLeast("passiveFailures", value, 1);
        return this;
    }

    /**
     * How long a passively marked backend is skipped; default 10 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public LoadBalancerBuilder passiveTimeout(Duration value) {
        this.passiveTimeout = Checks.positive("passiveTimeout", value);
        return this;
    }

    /**
     * The nanosecond clock for passive timeouts; default {@link System#nanoTime}.
     *
     * @param value the clock
     * @return this builder
     */
    public LoadBalancerBuilder ticker(LongSupplier value) {
        this.ticker = Objects.requireNonNull(value, "ticker");
        return this;
    }

    /**
     * Builds the load balancer and runs the first discovery.
     *
     * @return the load balancer, not started
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
