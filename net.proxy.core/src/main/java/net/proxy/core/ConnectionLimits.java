package net.proxy.core;

import net.proxy.limits.RateBudget;

/**
 * The abuse limits of one client connection, counted on its event loop: how many requests it may carry
 * ({@link HttpProxyBuilder#maxRequestsPerConnection}, like nginx's {@code keepalive_requests}), and optionally how
 * fast ({@link HttpProxyBuilder#requestRatePerConnection}, a {@link RateBudget}: a pipelining or keep-alive flood on
 * one connection is refused with 429 and the connection closed). HTTP/2's reset, SETTINGS, PING and empty-DATA
 * flood limits will count here too, each with its own budget.
 */
final class ConnectionLimits {
    private final int maxRequests;
    private final RateBudget requestRate;
    private int requests;

    ConnectionLimits(ProxySettings settings) {
        this.maxRequests = settings.maxRequestsPerConnection;
        this.requestRate = settings.requestRatePerConnection == null ? null : settings.requestRatePerConnection.get();
    }

    /** Whether one more request may start now; false when the connection exceeds its request rate. */
    boolean admitRequest(long nowNanos) {
        requests++;
        return requestRate == null || requestRate.tryAcquire(nowNanos);
    }

    /** Whether the request just admitted is the last this connection may carry. */
    boolean lastRequest() {
        return maxRequests > 0 && requests >= maxRequests;
    }
}
