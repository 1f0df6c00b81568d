package net.proxy.lb.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of the standard gRPC health service, encoded by hand (no protobuf runtime): the length-prefixed
 * message framing of gRPC over HTTP/2, a {@code HealthCheckRequest} and a {@code HealthCheckResponse}.
 *
 * <pre>
 * message HealthCheckRequest  { string service = 1; }
 * message HealthCheckResponse { enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2;
 *                                                    SERVICE_UNKNOWN = 3; }
 *                               ServingStatus status = 1; }
 * </pre>
 *
 * <p>A message is framed as one flag byte (1 = compressed), a 4-byte big-endian length, then the protobuf bytes.
 * Protobuf fields are a varint key ({@code field << 3 | wireType}) followed by a varint (type 0), 8 bytes (1), a
 * varint length and that many bytes (2), or 4 bytes (5); a proto3 field at its default is omitted, so the request
 * for the whole server ({@code service = ""}) is an empty message.
 *
 * <p>References: [1] gRPC Health Checking Protocol, https://github.com/grpc/grpc/blob/master/doc/health-checking.md
 * [2] grpc/health/v1/health.proto, https://github.com/grpc/grpc-proto/blob/master/grpc/health/v1/health.proto
 * [3] gRPC over HTTP2 (Length-Prefixed-Message), https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
 * [4] Protocol Buffers encoding, https://protobuf.dev/programming-guides/encoding/
 */
final class GrpcHealthProto {
    /** The method's path. */
    static final String PATH = "/grpc.health.v1.Health/Check";
    /** {@code ServingStatus.SERVING}. */
    static final int SERVING = 1;

    private static final String[] STATUS_NAMES = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
    private static final String[] CODE_NAMES = {
        "OK",
        "CANCELLED",
        "UNKNOWN",
        "INVALID_ARGUMENT",
        "DEADLINE_EXCEEDED",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED",
        "FAILED_PRECONDITION",
        "ABORTED",
        "OUT_OF_RANGE",
        "UNIMPLEMENTED",
        "INTERNAL",
        "UNAVAILABLE",
        "DATA_LOSS",
        "UNAUTHENTICATED"
    };

    private GrpcHealthProto() {}

    /** A framed {@code HealthCheckRequest{service}}. */
    static ByteBuf request(ByteBufAllocator alloc, String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        int body = name.length == 0 ? 0 : 1 + varintSize(name.length) + name.length;
        ByteBuf out = alloc.buffer(5 + body);
        out.writeByte(0).writeInt(body);
        if (name.length > 0) {
            out.writeByte(1 << 3 | 2);
            writeVarint(out, name.length);
            out.writeBytes(name);
        }
        return out;
    }

    /**
     * Reads the one framed {@code HealthCheckResponse} in {@code in} and returns its status (0 when absent).
     *
     * @throws IllegalArgumentException naming what is wrong: no message, a compressed or truncated one, more than
     *     one, or bytes that are not protobuf
     */
    static int status(ByteBuf in) {
        if (in.readableBytes() < 5) {
            throw new IllegalArgumentException(in.isReadable() ? "truncated message prefix" : "no response message");
        }
        int flags = in.readUnsignedByte();
        long length = in.readUnsignedInt();
        if (flags != 0) {
            throw new IllegalArgumentException("compressed response message (flags " + flags + ", none asked for)");
        }
        if (length != in.readableBytes()) {
            throw new IllegalArgumentException(
                    length > in.readableBytes()
                            ? "truncated message: " + in.readableBytes() + " of " + length + " bytes"
                            : "more than one response message");
        }
        int status = 0;
        while (in.isReadable()) {
            long key = readVarint(in);
            int field = (int) (key >>> 3);
            int type = (int) (key & 7);
            if (field == 0) {
                throw new IllegalArgumentException("malformed message: field number 0");
            }
            switch (type) {
                case 0 -> {
                    long v = readVarint(in);
                    if (field == 1) {
                        status = (int) v;
                    }
                }
                case 1 -> skip(in, 8);
                case 2 -> skip(in, readVarint(in));
                case 5 -> skip(in, 4);
                default -> throw new IllegalArgumentException("malformed message: wire type " + type);
            }
        }
        return status;
    }

    /** {@code SERVING} for 1, {@code "7"} for an unknown value. */
    static String statusName(int status) {
        return status >= 0 && status < STATUS_NAMES.length ? STATUS_NAMES[status] : String.valueOf(status);
    }

    /** {@code "12 UNIMPLEMENTED"}, or the value alone when it is not a known code. */
    static String codeName(String grpcStatus) {
        try {
            int code = Integer.parseInt(grpcStatus);
            if (code >= 0 && code < CODE_NAMES.length) {
                return code + " " + CODE_NAMES[code];
            }
        } catch (NumberFormatException e) {
            // not a number: shown as it came
        }
        return grpcStatus;
    }

    /** Decodes a {@code grpc-message} value (percent-encoded UTF-8); malformed escapes are kept as they are. */
    static String decodeMessage(CharSequence value) {
        byte[] out = new byte[value.length()];
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length() && hex(value.charAt(i + 1)) >= 0 && hex(value.charAt(i + 2)) >= 0) {
                out[n++] = (byte) (hex(value.charAt(i + 1)) << 4 | hex(value.charAt(i + 2)));
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static void skip(ByteBuf in, long n) {
        if (n > in.readableBytes()) {
            throw new IllegalArgumentException("malformed message: field runs past the end");
        }
        in.skipBytes((int) n);
    }

    private static long readVarint(ByteBuf in) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.isReadable()) {
                throw new IllegalArgumentException("malformed message: truncated varint");
            }
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                return v;
            }
        }
        throw new IllegalArgumentException("malformed message: varint longer than 10 bytes");
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private static void writeVarint(ByteBuf out, int v) {
        while ((v & ~0x7f) != 0) {
            out.writeByte(v & 0x7f | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }
}
