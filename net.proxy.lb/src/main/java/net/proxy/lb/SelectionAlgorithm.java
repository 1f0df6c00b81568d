package net.proxy.lb;

import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * A way to spread requests over backends. Each factory below documents its algorithm; all of them give distinct
 * candidates for failover ({@link Candidates}).
 */
public interface SelectionAlgorithm {
    /** The algorithm's name as accepted by {@link #named(String)}. */
    String name();

    /**
     * Builds a selector over {@code backends} (sorted, distinct, non-empty or empty).
     *
     * @param backends the backends, in {@link Backend#compareTo} order
     * @param active the number of requests in flight on the backend at an index (read by load-aware algorithms)
     */
    Selector build(List<Backend> backends, IntUnaryOperator active);

    /**
     * Whether the selector reads the requests in flight ({@code active} in {@link #build}). When it does not, a load
     * balancer does not count them: {@link LoadBalancer#acquire} then costs nothing, and threads serving requests
     * to one backend do not share a counter.
     *
     * @return {@code true} for load-aware algorithms; the default is {@code false}
     */
    default boolean loadAware() {
        return false;
    }

    /** Smooth weighted round robin, the sequence nginx produces (weights 5,1,1 give a a b a c a a). */
    static SelectionAlgorithm roundRobin() {
        return SmoothWeightedRoundRobin.ALGORITHM;
    }

    /** Weighted random: each backend with probability weight/total; failover draws among the rest. */
    static SelectionAlgorithm random() {
        return WeightedRandom.ALGORITHM;
    }

    /** Pingora's {@code FNVHash}: FNV-1a 64 of the key picks by weight, failover re-hashes. */
    static SelectionAlgorithm fnvHash() {
        return FnvHash.ALGORITHM;
    }

    /** Consistent hashing on an nginx-compatible Ketama continuum ({@code net.proxy.ketama}). */
    static SelectionAlgorithm ketama() {
        return KetamaSelection.ALGORITHM;
    }

    /** Least connections by the power of two random choices, weighted (requests in flight / weight). */
    static SelectionAlgorithm leastConnections() {
        return PowerOfTwoChoices.ALGORITHM;
    }

    /**
     * The algorithm called {@code name}: {@code round-robin}, {@code random}, {@code fnv}, {@code ketama} or
     * {@code least-conn}.
     *
     * @throws IllegalArgumentException for any other name
     */
    static SelectionAlgorithm named(String name) {
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
}
