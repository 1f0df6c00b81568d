package net.proxy.core.grpcweb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.proxy.core.ErrorKind;
import net.proxy.core.ProxyError;
import net.proxy.http.HttpHeaders;

/**
 * The gRPC-web trailer frame and gRPC status values for the bridge.
 *
 * <p>A trailer frame is a gRPC length-prefixed message whose flag byte has its most significant bit set
 * ({@code 0x80}, uncompressed), a 4-byte big-endian length, then the trailers as an HTTP/1 header block without the
 * terminating empty line: {@code name:value\r\n} per field, names in lower case. It is the last frame of the body.
 *
 * <p>References: [1] gRPC-Web protocol, message framing, https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-WEB.md
 * [2] gRPC over HTTP2, status codes and {@code grpc-message} percent-encoding,
 * https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md [3] HTTP to gRPC status code mapping,
 * https://github.com/grpc/grpc/blob/master/doc/http-grpc-status-mapping.md
 */
final class GrpcWebFrames {
    /** The flag byte of an uncompressed trailer frame. */
    static final int TRAILER_FLAG = 0x80;

    static final int UNKNOWN = 2;
    static final int DEADLINE_EXCEEDED = 4;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;

    private GrpcWebFrames() {}

    /** The trailer frame of {@code trailers}, field order kept. */
    static ByteBuf trailerFrame(HttpHeaders trailers, ByteBufAllocator alloc) {
        StringBuilder block = new StringBuilder(64);
        for (int i = 0; i < trailers.size(); i++) {
            block.append(trailers.name(i).toLowerCase(Locale.ROOT))
                    .append(':')
                    .append(trailers.value(i))
                    .append("\r\n");
        }
        byte[] bytes = block.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf out = alloc.buffer(5 + bytes.length);
        out.writeByte(TRAILER_FLAG).writeInt(bytes.length).writeBytes(bytes);
        return out;
    }

    /** The gRPC status a client sees when the proxy fails the call with {@code e}. */
    static int statusOf(ProxyError e) {
        ErrorKind kind = e.kind();
        if (kind.isTimeout()) {
            return DEADLINE_EXCEEDED;
        }
        switch (kind) {
            case NO_UPSTREAM:
            case CONNECT_REFUSED:
            case CONNECT_ERROR:
            case TLS_HANDSHAKE_FAILURE:
            case CONNECTION_CLOSED:
            case READ_ERROR:
            case WRITE_ERROR:
                return UNAVAILABLE;
            case HTTP_STATUS:
                return statusOfHttp(e.status());
            default:
                return INTERNAL;
        }
    }

    /** gRPC's mapping of an HTTP status from a non-gRPC hop. */
    static int statusOfHttp(int status) {
        switch (status) {
            case 400:
                return INTERNAL;
            case 401:
                return 16; // UNAUTHENTICATED
            case 403:
                return 7; // PERMISSION_DENIED
            case 404:
                return 12; // UNIMPLEMENTED
            case 429:
            case 502:
            case 503:
            case 504:
                return UNAVAILABLE;
            default:
                return UNKNOWN;
        }
    }

    /** Percent-encodes a {@code grpc-message} value: bytes outside {@code 0x20..0x7e}, and {@code %}. */
    static String percentEncode(String message) {
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(utf8.length);
        for (byte b : utf8) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
