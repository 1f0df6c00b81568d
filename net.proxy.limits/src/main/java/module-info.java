/**
 * Counting and rate limiting with fixed memory: {@link net.proxy.limits.CountMinSketch},
 * {@link net.proxy.limits.Rate}, {@link net.proxy.limits.Inflight}, {@link net.proxy.limits.GcraLimiter} and
 * {@link net.proxy.limits.RateBudget}. Needs only {@code java.base}.
 */
module net.proxy.limits {
    exports net.proxy.limits;
}
