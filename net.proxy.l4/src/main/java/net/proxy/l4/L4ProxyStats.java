package net.proxy.l4;

/**
 * Counters of an {@link L4Proxy} since it was built.
 *
 * @param sessions downstream streams handled
 * @param active sessions currently open
 * @param connectFailures sessions closed because the upstream could not be reached
 * @param bytesUpstream bytes read from clients and forwarded upstream
 * @param bytesDownstream bytes read from upstreams and forwarded to clients
 */
public record L4ProxyStats(
        long sessions, long active, long connectFailures, long bytesUpstream, long bytesDownstream) {}
