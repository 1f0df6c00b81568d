/**
 * Counting and rate limiting in fixed memory, whatever the number of keys.
 *
 * <ul>
 *   <li>{@link net.proxy.limits.CountMinSketch}: lock-free frequency estimates (never below the truth).</li>
 *   <li>{@link net.proxy.limits.Rate}: events per interval in two alternating windows, as Pingora's
 *       {@code Rate}.</li>
 *   <li>{@link net.proxy.limits.Inflight}: in-flight counts with {@code AutoCloseable} guards.</li>
 *   <li>{@link net.proxy.limits.GcraLimiter}: an nginx {@code limit_req}-style admit/reject limiter with
 *       burst and a retry-after hint.</li>
 *   <li>{@link net.proxy.limits.RateBudget}: the same limit for a single thing, such as one connection's requests
 *       or HTTP/2 resets per second; one {@code long} of state, for one thread, given the time by its caller.</li>
 * </ul>
 *
 * <p>Time is read from an injected {@link java.util.function.LongSupplier} of nanoseconds
 * ({@code System::nanoTime} by default), or passed by the caller ({@code RateBudget}), so every behaviour can be
 * tested without sleeping.
 *
 * <pre>{@code
 * GcraLimiter limiter = GcraLimiter.builder()
 *     .rate(10, Duration.ofSeconds(1))   // 10 requests per second per key
 *     .burst(5)                          // plus up to 5 at once
 *     .build();
 * GcraLimiter.Decision d = limiter.tryAcquire(clientIp);
 * if (!d.allowed()) {
 *     respond(429, "Retry-After", d.retryAfterSeconds());
 * }
 * try (Inflight.Guard g = inflight.incr(upstream)) {
 *     if (g.estimate() > 100) { reject(); }
 * }
 * }</pre>
 */
package net.proxy.limits;
