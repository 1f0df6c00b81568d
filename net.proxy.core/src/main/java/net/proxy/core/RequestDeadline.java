package net.proxy.core;

import net.proxy.http.RequestHeader;

/**
 * When a request must be over: its start plus the total timeout, or sooner for a gRPC call whose
 * {@code grpc-timeout} says so (PROTOCOL-HTTP2.md, "Timeout"). {@code grpcAt} is the call's own deadline or
 * {@link Long#MAX_VALUE}; {@code malformed} is a {@code grpc-timeout} that breaks the grammar, else null.
 */
record RequestDeadline(long at, long grpcAt, String grpcTimeout, String malformed) {
    /** The deadline of {@code request} started at {@code startNanos}; {@code grpc} if it is a gRPC call. */
    static RequestDeadline of(boolean grpc, RequestHeader request, long startNanos, long totalTimeoutNanos) {
        long total = startNanos + totalTimeoutNanos;
        String header = grpc ? request.headers().get("grpc-timeout") : null;
        long timeout = header == null ? Grpc.NO_TIMEOUT : Grpc.parseTimeout(header);
        String malformed = timeout == Grpc.MALFORMED ? header : null;
        if (timeout >= 0 && timeout < Long.MAX_VALUE - startNanos) {
            long grpcAt = startNanos + timeout;
            return new RequestDeadline(grpcAt - total < 0 ? grpcAt : total, grpcAt, header, malformed);
        }
        return new RequestDeadline(total, Long.MAX_VALUE, header, malformed);
    }

    /** The error of a request whose deadline passed: the gRPC call's own, or the total timeout. */
    ProxyError error() {
        if (grpcAt != Long.MAX_VALUE && grpcAt == at) {
            return ProxyError.of(
                    ErrorKind.TOTAL_TIMEOUT,
                    ErrorSource.UPSTREAM,
                    "the call's grpc-timeout of " + grpcTimeout + " passed");
        }
        return ProxyError.of(
                ErrorKind.TOTAL_TIMEOUT, ErrorSource.UPSTREAM, "request took longer than the total timeout");
    }

    /**
     * The {@code grpc-timeout} to send an origin at {@code now}: what is left of the call's deadline, not the client's
     * full budget again; null when the call has none.
     */
    String remaining(long now) {
        return grpcAt == Long.MAX_VALUE ? null : Grpc.formatTimeout(Math.max(grpcAt - now, 1));
    }
}
