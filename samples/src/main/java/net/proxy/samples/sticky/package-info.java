/**
 * {@code bin/proxy sticky}: consistent routing by a header on a Ketama ring, with failover along the ring.
 *
 * <pre>{@code
 * bin/proxy sticky --listen 127.0.0.1:6192 --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002
 * }</pre>
 */
package net.proxy.samples.sticky;
