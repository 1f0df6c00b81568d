package net.proxy.lb;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import net.proxy.lb.spi.Selector;
import net.proxy.lb.spi.SelectorFactory;

/**
 * A way to spread requests over backends: a name, whether it reads the requests in flight, and the
 * {@link SelectorFactory} that builds its {@link Selector} for each backend set. The factories below cover the usual
 * algorithms; all of them give distinct candidates for failover ({@link Candidates}). Write your own with
 * {@link #of}.
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancer.builder().backends(backends).selection(SelectionAlgorithm.ketama()).build();
 * Selector direct = SelectionAlgorithm.roundRobin().selector(sortedBackends, i -> 0);  // without a load balancer
 * }</pre>
 */
public final class SelectionAlgorithm {
    private final String name;
    private final boolean loadAware;
    private final SelectorFactory factory;

    private SelectionAlgorithm(String name, boolean loadAware, SelectorFactory factory) {
        this.name = name;
        this.loadAware = loadAware;
        this.factory = factory;
    }

    /**
     * An algorithm of your own.
     *
     * @param name a name for logs and {@link #toString()}, not empty
     * @param loadAware whether the selectors read the requests in flight ({@code active} in
     *     {@link SelectorFactory#build}); when {@code false}, a load balancer does not count them
     * @param factory builds a selector for each backend set
     * @return the algorithm
     */
    public static SelectionAlgorithm of(String name, boolean loadAware, SelectorFactory factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: \"\" (expected: a name)");
        }
        return new SelectionAlgorithm(name, loadAware, factory);
    }

    /**
     * Smooth weighted round robin, the sequence nginx produces (weights 5,1,1 give a a b a c a a).
     *
     * @return the algorithm named {@code round-robin}
     */
    public static SelectionAlgorithm roundRobin() {
        return SmoothWeightedRoundRobin.ALGORITHM;
    }

    /**
     * Weighted random: each backend with probability weight/total; failover draws among the rest.
     *
     * @return the algorithm named {@code random}
     */
    public static SelectionAlgorithm random() {
        return WeightedRandom.ALGORITHM;
    }

    /**
     * Pingora's {@code FNVHash}: FNV-1a 64 of the key picks by weight, failover re-hashes.
     *
     * @return the algorithm named {@code fnv}
     */
    public static SelectionAlgorithm fnvHash() {
        return FnvHash.ALGORITHM;
    }

    /**
     * Consistent hashing on an nginx-compatible Ketama continuum ({@code net.proxy.ketama}).
     *
     * @return the algorithm named {@code ketama}
     */
    public static SelectionAlgorithm ketama() {
        return KetamaSelection.ALGORITHM;
    }

    /**
     * Least connections by the power of two random choices, weighted (requests in flight / weight).
     *
     * @return the load-aware algorithm named {@code least-conn}
     */
    public static SelectionAlgorithm leastConnections() {
        return PowerOfTwoChoices.ALGORITHM;
    }

    /**
     * The built-in algorithm called {@code name}: {@code round-robin}, {@code random}, {@code fnv}, {@code ketama}
     * or {@code least-conn} (case-insensitive).
     *
     * @param name the name
     * @return the algorithm
     * @throws IllegalArgumentException for any other name
     */
    public static SelectionAlgorithm named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "round-robin":
                return roundRobin();
            case "random":
                return random();
            case "fnv":
                return fnvHash();
            case "ketama":
                return ketama();
            case "least-conn":
                return leastConnections();
            default:
                throw new IllegalArgumentException(
                        "lb: " + name + " (expected: round-robin, random, fnv, ketama or least-conn)");
        }
    }

    /**
     * Returns the name.
     *
     * @return the name, as accepted by {@link #named(String)} for the built-in algorithms
     */
    public String name() {
        return name;
    }

    /**
     * Whether the selectors read the requests in flight. When they do not, a load balancer does not count them:
     * {@link LoadBalancer#acquire} then costs nothing, and threads serving requests to one backend do not share a
     * counter.
     *
     * @return {@code true} for load-aware algorithms ({@link #leastConnections()})
     */
    public boolean loadAware() {
        return loadAware;
    }

    /**
     * Builds a selector over {@code backends}, as a load balancer does for each backend set; also usable without one.
     *
     * @param backends the backends, sorted in {@link Backend#compareTo} order, distinct, possibly empty
     * @param active the number of requests in flight on the backend at an index (read by load-aware algorithms)
     * @return the selector
     */
    public Selector selector(List<Backend> backends, IntUnaryOperator active) {
        return factory.build(backends, active);
    }

    /** The name. */
    @Override
    public String toString() {
        return name;
    }
}
