package net.proxy.l4;

/**
 * Counters of a {@link Listener} since it started.
 *
 * @param accepted connections handed to the {@link StreamHandler}
 * @param rejected connections closed by the {@link ConnectionFilter}
 * @param failed connections closed because the PROXY header or the TLS handshake failed
 */
public record ListenerStats(long accepted, long rejected, long failed) {}
