package net.proxy.core;

import java.util.Set;

/**
 * When a request goes back to {@link ProxyHttp#upstreamPeer} for another attempt: the engine's half of Pingora's
 * retry rules (the phases decide whether an error is retryable; this decides whether a retry may happen). One per
 * request, on its event loop.
 *
 * <p>A retry needs attempts left ({@link HttpProxyBuilder#maxRetries}), no response started downstream, and a
 * replayable request: nothing of it reached an origin, or its method is idempotent and its body fit the retry
 * buffer (RFC 9110 §9.2.2: an idempotent request may be repeated after a failure). A status-driven retry
 * ({@link HttpProxyBuilder#retryOnStatus}) also needs an idempotent method. An error marked
 * {@link ProxyError.Retry#UNPROCESSED} (the origin declared it did not process the request: HTTP/2
 * {@code REFUSED_STREAM} or a stream above a {@code GOAWAY}'s last stream id, RFC 9113 §8.7) makes any method
 * replayable, as long as the body fit; the exchange passes that decision in as {@code replayable}. A gRPC call
 * answered trailers-only with a status that {@link HttpProxyBuilder#grpcRetry} names for its method is replayable
 * the same way ({@link #retryOnGrpcStatus}).
 */
final class RetryPolicy {
    private final int maxRetries;
    private final Set<Integer> retryStatuses;
    private final GrpcRetry grpcRetry;
    private int retries;

    RetryPolicy(ProxySettings settings) {
        this.maxRetries = settings.maxRetries;
        this.retryStatuses = settings.retryStatuses;
        this.grpcRetry = settings.grpcRetry;
    }

    /** Whether a retryable failure may be retried now; counts the retry when it may. */
    boolean retry(boolean responseStarted, boolean replayable) {
        if (retries < maxRetries && !responseStarted && replayable) {
            retries++;
            return true;
        }
        return false;
    }

    /** Whether a response with {@code status} to {@code method} is retried instead of forwarded. */
    boolean retryOnStatus(int status, String method, boolean replayable) {
        return !retryStatuses.isEmpty()
                && retryStatuses.contains(status)
                && retries < maxRetries
                && idempotent(method)
                && replayable;
    }

    /**
     * Whether a gRPC call to {@code fullMethodName} answered trailers-only with {@code code} is retried instead of
     * forwarded ({@link GrpcRetry}); {@code wholeBody}: the request body so far fit the retry buffer.
     */
    boolean retryOnGrpcStatus(GrpcCode code, String fullMethodName, boolean wholeBody) {
        return grpcRetry != null && retries < maxRetries && wholeBody && grpcRetry.retries(fullMethodName, code);
    }

    /** Whether requests with {@code method} are idempotent (RFC 9110 §9.2.2). */
    static boolean idempotent(String method) {
        switch (method) {
            case "GET":
            case "HEAD":
            case "OPTIONS":
            case "TRACE":
            case "PUT":
            case "DELETE":
                return true;
            default:
                return false;
        }
    }
}
