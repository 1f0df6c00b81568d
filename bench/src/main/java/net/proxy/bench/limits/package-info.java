/**
 * Suite {@code limits}: {@link net.proxy.limits.CountMinSketch} beside a
 * {@code ConcurrentHashMap<K, LongAdder>}, and {@link net.proxy.limits.GcraLimiter} beside Bucket4j.
 * <pre>{@code
 * bench/run limits
 * }</pre>
 */
package net.proxy.bench.limits;
