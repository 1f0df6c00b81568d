/**
 * {@code bin/proxy rate-limiter}: 429 with {@code Retry-After} from a per-client GCRA limiter.
 *
 * <pre>{@code
 * bin/proxy rate-limiter --listen 127.0.0.1:6191 --upstream 127.0.0.1:8001 --rate 5 --burst 2
 * }</pre>
 */
package net.proxy.samples.ratelimit;
