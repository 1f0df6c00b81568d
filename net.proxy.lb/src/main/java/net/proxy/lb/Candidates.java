package net.proxy.lb;

/**
 * The backends an algorithm proposes for one request, best first: {@link #next()} gives each backend at most once,
 * so a failover loop that calls it again after a failure always gets a different backend. Not thread-safe: one
 * request uses one instance.
 */
@FunctionalInterface
public interface Candidates {
    /** The next distinct backend, or {@code null} when every backend was proposed. */
    Backend next();
}
