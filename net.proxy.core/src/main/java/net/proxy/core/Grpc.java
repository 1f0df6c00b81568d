package net.proxy.core;

import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpVersion;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;

/**
 * The parts of the gRPC HTTP/2 protocol the engine needs: telling a gRPC request by its {@code content-type}, the
 * {@code grpc-timeout} field, and the trailers-only response. Stateless.
 *
 * <p>A request is gRPC when its {@code content-type} is {@code application/grpc}, alone or followed by {@code +}
 * (a message format: {@code application/grpc+proto}) or {@code ;} (parameters), in any case. gRPC-Web
 * ({@code application/grpc-web…}) is not: it is another protocol, bridged elsewhere.
 *
 * <p>{@code grpc-timeout} is {@code 1*8DIGIT} and one unit letter: {@code H}ours, {@code M}inutes, {@code S}econds,
 * {@code m}illi-, {@code u} micro-, {@code n}anoseconds. A value that does not match is malformed and the call is
 * answered {@code INTERNAL} (as grpc-go's server does); a value too large for a {@code long} of nanoseconds (8
 * digits of hours) means no deadline.
 *
 * <p>A trailers-only response is {@code :status 200}, {@code content-type: application/grpc}, {@code grpc-status}
 * and {@code grpc-message} in one HEADERS frame that ends the stream (PROTOCOL-HTTP2.md: "Trailers-Only").
 *
 * <p>[1] gRPC over HTTP2, https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
 */
final class Grpc {
    /** {@link #parseTimeout}: the request carries no {@code grpc-timeout}. */
    static final long NO_TIMEOUT = -1;
    /** {@link #parseTimeout}: the request's {@code grpc-timeout} is malformed. */
    static final long MALFORMED = -2;

    private static final String GRPC = "application/grpc";

    private Grpc() {}

    /** Whether {@code request} is a gRPC call (see the class comment). */
    static boolean isGrpc(RequestHeader request) {
        return isGrpcContentType(request.headers().get("Content-Type"));
    }

    static boolean isGrpcContentType(CharSequence contentType) {
        if (contentType == null || contentType.length() < GRPC.length()) {
            return false;
        }
        for (int i = 0; i < GRPC.length(); i++) {
            if (Character.toLowerCase(contentType.charAt(i)) != GRPC.charAt(i)) {
                return false;
            }
        }
        if (contentType.length() == GRPC.length()) {
            return true;
        }
        char next = contentType.charAt(GRPC.length());
        return next == '+' || next == ';';
    }

    /**
     * The request's {@code grpc-timeout} in nanoseconds (saturated at {@link Long#MAX_VALUE}), {@link #NO_TIMEOUT}
     * if absent, {@link #MALFORMED} if it does not follow the grammar.
     */
    static long parseTimeout(String value) {
        if (value == null) {
            return NO_TIMEOUT;
        }
        int n = value.length();
        if (n < 2 || n > 9) {
            return MALFORMED;
        }
        long digits = 0;
        for (int i = 0; i < n - 1; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return MALFORMED;
            }
            digits = digits * 10 + (c - '0');
        }
        long unitNanos;
        switch (value.charAt(n - 1)) {
            case 'H':
                unitNanos = 3_600_000_000_000L;
                break;
            case 'M':
                unitNanos = 60_000_000_000L;
                break;
            case 'S':
                unitNanos = 1_000_000_000L;
                break;
            case 'm':
                unitNanos = 1_000_000L;
                break;
            case 'u':
                unitNanos = 1_000L;
                break;
            case 'n':
                unitNanos = 1L;
                break;
            default:
                return MALFORMED;
        }
        return digits > Long.MAX_VALUE / unitNanos ? Long.MAX_VALUE : digits * unitNanos;
    }

    /**
     * {@code nanos} (positive) as a {@code grpc-timeout} value: the finest unit whose count fits in 8 digits, rounded
     * up.
     */
    static String formatTimeout(long nanos) {
        long[] units = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
        char[] names = {'n', 'u', 'm', 'S', 'M', 'H'};
        for (int i = 0; i < units.length; i++) {
            long count = (nanos + units[i] - 1) / units[i];
            if (count <= 99_999_999L) {
                return Long.toString(count) + names[i];
            }
        }
        return "99999999H";
    }

    /** A trailers-only response carrying {@code status}; {@code Content-Length: 0} for an HTTP/1 client. */
    static ResponseHeader trailersOnly(GrpcStatus status, HttpVersion clientVersion) {
        ResponseHeader h = ResponseHeader.of(200);
        HttpHeaders f = h.headers();
        f.add("content-type", GRPC);
        f.add("grpc-status", Integer.toString(status.code().value()));
        if (!status.message().isEmpty()) {
            f.add("grpc-message", status.encodedMessage());
        }
        if (clientVersion != HttpVersion.HTTP_2) {
            f.add("content-length", "0");
        }
        return h;
    }
}
