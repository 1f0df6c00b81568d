/**
 * The {@code tls} suite: TLS handshake rates (Conscrypt vs JDK, ours vs nginx) and L4 proxy
 * throughput (ours vs HAProxy).
 *
 * <pre>{@code
 * bench/run tls
 * }</pre>
 */
package net.proxy.bench.tls;
