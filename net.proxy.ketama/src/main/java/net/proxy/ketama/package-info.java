/**
 * Consistent hashing that picks the same server as nginx's {@code hash $key consistent} (and Pingora's
 * {@code pingora-ketama}) for the same servers and weights.
 *
 * <pre>{@code
 * Continuum ring = Continuum.of(List.of(
 *         new Bucket(new InetSocketAddress("10.0.0.1", 443), 1),
 *         new Bucket(new InetSocketAddress("10.0.0.2", 443), 2)));
 * byte[] key = "/some/path".getBytes(StandardCharsets.UTF_8);
 * InetSocketAddress server = ring.node(key);          // what nginx picks for $request_uri "/some/path"
 * for (Iterator<InetSocketAddress> order = ring.failover(key); order.hasNext(); ) {
 *     InetSocketAddress candidate = order.next();     // server first, then each other server once
 * }
 * }</pre>
 *
 * <p>{@link net.proxy.ketama.Continuum} explains the algorithm and its limits.
 */
package net.proxy.ketama;
