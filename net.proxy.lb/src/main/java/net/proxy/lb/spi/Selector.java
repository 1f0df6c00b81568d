package net.proxy.lb.spi;

import net.proxy.lb.Candidates;

/**
 * A selection algorithm built for one backend set: it turns a request key into {@link Candidates}. Immutable apart
 * from the algorithm's own counters and safe for concurrent use; a load balancer builds a new one (through its
 * {@link SelectorFactory}) whenever the backend set changes.
 *
 * <pre>{@code
 * Selector first = key -> {
 *     Iterator<Backend> it = backends.iterator();      // always the first ready backend, then the next ones
 *     return () -> it.hasNext() ? it.next() : null;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Selector {
    /**
     * The candidates for {@code key}: each backend of the set at most once, best first.
     *
     * @param key a sticky-routing key such as a user id; algorithms that do not hash ignore it, and it may be empty
     * @return the candidates of one request (not thread-safe, used by one request)
     */
    Candidates select(byte[] key);
}
