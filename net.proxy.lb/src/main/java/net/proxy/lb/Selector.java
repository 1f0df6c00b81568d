package net.proxy.lb;

/**
 * An algorithm built for one backend set: it turns a request key into {@link Candidates}. Immutable apart from
 * the algorithm's own counters and safe for concurrent use; rebuilt whenever the backend set changes.
 */
@FunctionalInterface
public interface Selector {
    /**
     * The candidates for {@code key} (a sticky-routing key such as a user id; algorithms that do not hash ignore
     * it, and it may be empty).
     */
    Candidates select(byte[] key);
}
