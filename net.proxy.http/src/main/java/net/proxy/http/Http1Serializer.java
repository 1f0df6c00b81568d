package net.proxy.http;

import java.nio.ByteBuffer;

/**
 * Writes request and response heads in HTTP/1.1 wire form, keeping each field's name case and order. Fields
 * that came from the parser and were not modified are copied line by line as received (spacing included; the
 * line always ends in CRLF); added or changed fields are written as {@code name: value}. An {@link HttpVersion#HTTP_2} head is written as HTTP/1.1. Bodies are written with
 * {@link ChunkedEncoder} or as they are. Stateless and thread-safe.
 *
 * <pre>{@code
 * byte[] wire = Http1Serializer.toBytes(ResponseHeader.of(204));   // "HTTP/1.1 204 No Content\r\n\r\n"
 * }</pre>
 */
public final class Http1Serializer {
    private Http1Serializer() {}

    /**
     * Returns the exact length of the request head in wire form.
     *
     * @param head the request head
     * @return the length in bytes
     */
    public static int encodedLength(RequestHeader head) {
        return head.method().length()
                + 1
                + head.targetLength()
                + 1
                + 8
                + 2
                + Http1FieldWriter.wireLength(head.headers())
                + 2;
    }

    /**
     * Returns the exact length of the response head in wire form.
     *
     * @param head the response head
     * @return the length in bytes
     */
    public static int encodedLength(ResponseHeader head) {
        return 8 + 1 + 3 + 1 + head.reasonLength() + 2 + Http1FieldWriter.wireLength(head.headers()) + 2;
    }

    /**
     * Writes the request head into {@code dst} at {@code off}.
     *
     * @param head the request head
     * @param dst the destination, with room for {@link #encodedLength(RequestHeader)} bytes
     * @param off where to write
     * @return the offset after the written bytes
     */
    public static int encode(RequestHeader head, byte[] dst, int off) {
        int pos = HttpChars.writeAscii(head.method(), dst, off);
        dst[pos++] = ' ';
        pos = head.writeTarget(dst, pos);
        dst[pos++] = ' ';
        pos = HttpChars.writeAscii(wireVersion(head.version()), dst, pos);
        return endHead(head.headers(), dst, pos);
    }

    /**
     * Writes the response head into {@code dst} at {@code off}.
     *
     * @param head the response head
     * @param dst the destination, with room for {@link #encodedLength(ResponseHeader)} bytes
     * @param off where to write
     * @return the offset after the written bytes
     */
    public static int encode(ResponseHeader head, byte[] dst, int off) {
        int pos = HttpChars.writeAscii(wireVersion(head.version()), dst, off);
        int status = head.status();
        dst[pos++] = ' ';
        dst[pos++] = (byte) ('0' + status / 100);
        dst[pos++] = (byte) ('0' + status / 10 % 10);
        dst[pos++] = (byte) ('0' + status % 10);
        dst[pos++] = ' ';
        pos = head.writeReason(dst, pos);
        return endHead(head.headers(), dst, pos);
    }

    /**
     * Writes the request head at {@code dst}'s position and advances it.
     *
     * @param head the request head
     * @param dst the destination with at least {@link #encodedLength(RequestHeader)} bytes remaining
     */
    public static void encode(RequestHeader head, ByteBuffer dst) {
        encode(dst, encodedLength(head), (a, off) -> encode(head, a, off));
    }

    /**
     * Writes the response head at {@code dst}'s position and advances it.
     *
     * @param head the response head
     * @param dst the destination with at least {@link #encodedLength(ResponseHeader)} bytes remaining
     */
    public static void encode(ResponseHeader head, ByteBuffer dst) {
        encode(dst, encodedLength(head), (a, off) -> encode(head, a, off));
    }

    /** Writes {@code length} bytes produced by {@code encoder} at {@code dst}'s position, in place when possible. */
    private static void encode(ByteBuffer dst, int length, ArrayEncoder encoder) {
        if (dst.remaining() < length) {
            throw new java.nio.BufferOverflowException();
        }
        if (dst.hasArray()) {
            dst.position(encoder.encode(dst.array(), dst.arrayOffset() + dst.position()) - dst.arrayOffset());
        } else {
            byte[] tmp = new byte[length];
            encoder.encode(tmp, 0);
            dst.put(tmp);
        }
    }

    /** Writes into an array at an offset and returns the offset after the written bytes. */
    @FunctionalInterface
    private interface ArrayEncoder {
        int encode(byte[] dst, int off);
    }

    /**
     * Returns the request head in wire form.
     *
     * @param head the request head
     * @return a new array of exactly {@link #encodedLength(RequestHeader)} bytes
     */
    public static byte[] toBytes(RequestHeader head) {
        byte[] out = new byte[encodedLength(head)];
        encode(head, out, 0);
        return out;
    }

    /**
     * Returns the response head in wire form.
     *
     * @param head the response head
     * @return a new array of exactly {@link #encodedLength(ResponseHeader)} bytes
     */
    public static byte[] toBytes(ResponseHeader head) {
        byte[] out = new byte[encodedLength(head)];
        encode(head, out, 0);
        return out;
    }

    private static String wireVersion(HttpVersion v) {
        return v == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1";
    }

    private static int endHead(HttpHeaders headers, byte[] dst, int pos) {
        dst[pos++] = '\r';
        dst[pos++] = '\n';
        pos = Http1FieldWriter.write(headers, dst, pos);
        dst[pos++] = '\r';
        dst[pos++] = '\n';
        return pos;
    }
}
