package net.proxy.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A gRPC status: a {@link GrpcCode} and a description, as sent in {@code grpc-status} and {@code grpc-message}. The
 * proxy answers a gRPC request ({@link Session#isGrpc()}) that it fails itself with one of these, in a trailers-only
 * response ({@link Session#respondGrpc}); {@link #fromError} and {@link #fromHttpStatus} say which.
 *
 * <p>Mapping of the proxy's own errors ({@link #fromError}):
 *
 * <table>
 *   <caption>ProxyError to gRPC status</caption>
 *   <tr><th>error</th><th>code</th></tr>
 *   <tr><td>refused or failed upstream connection, TLS handshake failure, no upstream, connection closed or stream
 *       reset, read or write error</td><td>{@code UNAVAILABLE} (14)</td></tr>
 *   <tr><td>connect, read, write or total timeout; the call's {@code grpc-timeout}</td>
 *       <td>{@code DEADLINE_EXCEEDED} (4)</td></tr>
 *   <tr><td>an invalid head or body (from either side)</td><td>{@code INTERNAL} (13)</td></tr>
 *   <tr><td>a filter or the proxy itself failed</td><td>{@code INTERNAL} (13)</td></tr>
 *   <tr><td>an explicit HTTP status</td><td>{@link #fromHttpStatus}</td></tr>
 * </table>
 *
 * <p>HTTP statuses ({@link #fromHttpStatus}) follow the gRPC mapping [2]: 400 → {@code INTERNAL}, 401 →
 * {@code UNAUTHENTICATED}, 403 → {@code PERMISSION_DENIED}, 404 → {@code UNIMPLEMENTED}, 502, 503 and 504 →
 * {@code UNAVAILABLE}, any other → {@code UNKNOWN}; with two exceptions for statuses the proxy itself gives, whose
 * meaning it knows: 429 (the proxy's rate limit) → {@code RESOURCE_EXHAUSTED}, the code statuscodes.md gives an
 * exhausted per-user quota (the mapping's {@code UNAVAILABLE} is for an HTTP server's 429 seen by a client), and 501
 * → {@code UNIMPLEMENTED}, like 404 a method nobody serves.
 *
 * <p>{@link #encodedMessage()} percent-encodes the description as PROTOCOL-HTTP2.md requires of
 * {@code grpc-message}: UTF-8, every byte outside {@code 0x20..0x7E} and {@code '%'} itself as {@code %XX}.
 *
 * <p>[1] gRPC status codes, https://github.com/grpc/grpc/blob/master/doc/statuscodes.md<br>
 * [2] HTTP to gRPC status code mapping, https://github.com/grpc/grpc/blob/master/doc/http-grpc-status-mapping.md<br>
 * [3] gRPC over HTTP2, https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
 *
 * @param code the code
 * @param message the description, never {@code null} (may be empty)
 */
public record GrpcStatus(GrpcCode code, String message) {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Checks the components.
     *
     * @param code the code
     * @param message the description (may be empty)
     * @throws NullPointerException if {@code code} or {@code message} is {@code null}
     */
    public GrpcStatus {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /**
     * The status of {@code code} with {@code message}.
     *
     * @param code the code
     * @param message the description
     * @return the status
     */
    public static GrpcStatus of(GrpcCode code, String message) {
        return new GrpcStatus(code, message);
    }

    /**
     * The status a gRPC client gets for a request the proxy fails with {@code error} (see the table above). The
     * description names what went wrong on the proxy's side (never an upstream's address); for a fault of the
     * client's own request it adds the engine's reason, e.g. {@code "malformed grpc-timeout: 1x"}.
     *
     * @param error the error
     * @return the status
     */
    public static GrpcStatus fromError(ProxyError error) {
        if (error.kind() == ErrorKind.HTTP_STATUS) {
            GrpcStatus s = fromHttpStatus(error.status());
            return error.source() == ErrorSource.DOWNSTREAM && error.context() != null
                    ? new GrpcStatus(s.code, s.message + ": " + firstLine(error.context()))
                    : s;
        }
        String upstream = error.source() == ErrorSource.UPSTREAM ? "upstream " : "";
        switch (error.kind()) {
            case NO_UPSTREAM:
                return new GrpcStatus(GrpcCode.UNAVAILABLE, "proxy: no upstream available");
            case CONNECT_REFUSED:
                return new GrpcStatus(GrpcCode.UNAVAILABLE, "proxy: the upstream refused the connection");
            case CONNECT_ERROR:
            case TLS_HANDSHAKE_FAILURE:
                return new GrpcStatus(GrpcCode.UNAVAILABLE, "proxy: could not connect to the upstream");
            case CONNECTION_CLOSED:
                return new GrpcStatus(
                        GrpcCode.UNAVAILABLE, "proxy: the " + upstream + "connection closed or the stream was reset");
            case READ_ERROR:
            case WRITE_ERROR:
                return new GrpcStatus(GrpcCode.UNAVAILABLE, "proxy: " + upstream + "I/O error");
            case CONNECT_TIMEOUT:
                return new GrpcStatus(GrpcCode.DEADLINE_EXCEEDED, "proxy: the upstream connect timed out");
            case READ_TIMEOUT:
                return new GrpcStatus(GrpcCode.DEADLINE_EXCEEDED, "proxy: " + upstream + "read timed out");
            case WRITE_TIMEOUT:
                return new GrpcStatus(GrpcCode.DEADLINE_EXCEEDED, "proxy: " + upstream + "write timed out");
            case TOTAL_TIMEOUT:
                return new GrpcStatus(
                        GrpcCode.DEADLINE_EXCEEDED,
                        "proxy: deadline exceeded"
                                + (error.context() != null ? " (" + firstLine(error.context()) + ")" : ""));
            case INVALID_HTTP_HEADER:
            case INVALID_BODY:
                return new GrpcStatus(
                        GrpcCode.INTERNAL,
                        "proxy: invalid " + (error.source() == ErrorSource.UPSTREAM ? "response" : "request"));
            default:
                return new GrpcStatus(GrpcCode.INTERNAL, "proxy: internal error");
        }
    }

    /**
     * The status for an HTTP error status the proxy answers a gRPC request with (see above).
     *
     * @param httpStatus the HTTP status, e.g. 502
     * @return the status, with the description {@code "proxy: HTTP <status>"}
     */
    public static GrpcStatus fromHttpStatus(int httpStatus) {
        GrpcCode code;
        switch (httpStatus) {
            case 400:
                code = GrpcCode.INTERNAL;
                break;
            case 401:
                code = GrpcCode.UNAUTHENTICATED;
                break;
            case 403:
                code = GrpcCode.PERMISSION_DENIED;
                break;
            case 404:
            case 501:
                code = GrpcCode.UNIMPLEMENTED;
                break;
            case 429:
                code = GrpcCode.RESOURCE_EXHAUSTED;
                break;
            case 502:
            case 503:
            case 504:
                code = GrpcCode.UNAVAILABLE;
                break;
            default:
                code = GrpcCode.UNKNOWN;
        }
        return new GrpcStatus(code, "proxy: HTTP " + httpStatus);
    }

    /**
     * The description as a {@code grpc-message} value: UTF-8, percent-encoded (PROTOCOL-HTTP2.md).
     *
     * @return the encoded description
     */
    public String encodedMessage() {
        return percentEncode(message);
    }

    static String percentEncode(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '%') {
                break;
            }
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(utf8.length + 16);
        for (byte b : utf8) {
            int v = b & 0xff;
            if (v < 0x20 || v > 0x7e || v == '%') {
                sb.append('%').append(HEX[v >> 4]).append(HEX[v & 0xf]);
            } else {
                sb.append((char) v);
            }
        }
        return sb.toString();
    }

    private static String firstLine(String context) {
        int semi = context.indexOf("; ");
        return semi < 0 ? context : context.substring(0, semi);
    }
}
