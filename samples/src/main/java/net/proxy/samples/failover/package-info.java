/**
 * {@code bin/proxy failover}: retries on the next origin after connect failures and chosen statuses.
 *
 * <pre>{@code
 * bin/proxy failover --listen 127.0.0.1:6193 --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 --retries 2
 * }</pre>
 */
package net.proxy.samples.failover;
