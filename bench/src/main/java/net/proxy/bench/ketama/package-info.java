/**
 * Suite {@code ketama}: {@link net.proxy.ketama.Continuum} beside the usual Java ring, the same points
 * in a {@code TreeMap<Long, InetSocketAddress>} searched with {@code ceilingEntry}.
 * <pre>{@code
 * bench/run ketama
 * }</pre>
 */
package net.proxy.bench.ketama;
