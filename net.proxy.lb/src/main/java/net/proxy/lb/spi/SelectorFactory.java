package net.proxy.lb.spi;

import java.util.List;
import java.util.function.IntUnaryOperator;
import net.proxy.lb.Backend;

/**
 * Builds a {@link Selector} over a backend set: what a user implements to write a selection algorithm, then wraps
 * with {@link net.proxy.lb.SelectionAlgorithm#of}.
 *
 * <pre>{@code
 * SelectionAlgorithm firstReady = SelectionAlgorithm.of("first", false, (backends, active) -> key -> {
 *     Iterator<Backend> it = backends.iterator();
 *     return () -> it.hasNext() ? it.next() : null;
 * });
 * }</pre>
 */
@FunctionalInterface
public interface SelectorFactory {
    /**
     * Builds a selector over {@code backends}.
     *
     * @param backends the backends, sorted in {@link Backend#compareTo} order, distinct, possibly empty
     * @param active the number of requests in flight on the backend at an index of {@code backends}; only
     *     counted for load-aware algorithms ({@link net.proxy.lb.SelectionAlgorithm#loadAware()}), 0 otherwise
     * @return the selector, safe for concurrent use
     */
    Selector build(List<Backend> backends, IntUnaryOperator active);
}
