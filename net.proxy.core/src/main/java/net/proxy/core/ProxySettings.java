package net.proxy.core;

import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import net.proxy.http.HttpLimits;
import net.proxy.limits.RateBudget;

/** The engine's settings, fixed at build time and read on every request (plain fields, nanoseconds). */
final class ProxySettings {
    final int maxRetries;
    final long headerTimeoutNanos;
    final long keepAliveTimeoutNanos;
    final long writeTimeoutNanos;
    final long totalTimeoutNanos;
    final long tunnelIdleTimeoutNanos;
    final Set<Integer> retryStatuses;
    final int maxIdlePerPeer;
    final ByteBufAllocator allocator;
    final Duration gracePeriod;
    final HttpLimits limits;
    final LongSupplier ticker;
    final int maxRequestsPerConnection;
    /** Makes each connection's request-rate budget, or null for none. */
    final Supplier<RateBudget> requestRatePerConnection;

    final Http2Options http2;
    /** Which gRPC calls are retried on a trailers-only status, or null for none. */
    final GrpcRetry grpcRetry;

    ProxySettings(HttpProxyBuilder<?> b) {
        this.maxRetries = b.maxRetries;
        this.headerTimeoutNanos = b.headerTimeout.toNanos();
        this.keepAliveTimeoutNanos = b.keepAliveTimeout.toNanos();
        this.writeTimeoutNanos = b.writeTimeout.toNanos();
        this.totalTimeoutNanos = b.totalTimeout.toNanos();
        this.tunnelIdleTimeoutNanos = b.tunnelIdleTimeout.toNanos();
        this.retryStatuses = b.retryStatuses;
        this.maxIdlePerPeer = b.maxIdlePerPeer;
        this.allocator = b.allocator;
        this.gracePeriod = b.gracePeriod;
        this.limits = b.limits;
        this.ticker = b.ticker;
        this.maxRequestsPerConnection = b.maxRequestsPerConnection;
        this.requestRatePerConnection = b.requestRatePerConnection;
        this.http2 = b.http2;
        this.grpcRetry = b.grpcRetry;
    }
}
