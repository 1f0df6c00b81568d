package net.proxy.http;

import java.nio.ByteBuffer;

/**
 * Writes the chunked transfer coding (RFC 9112 §7.1): a chunk is {@code hex-size CRLF data CRLF}, the body
 * ends with {@code 0 CRLF}, optional trailer fields and an empty line. Stateless; the data itself is never
 * copied by the methods that only frame it.
 *
 * <pre>{@code
 * ChunkedEncoder.writeChunkHead(data.remaining(), out);  // "1a\r\n"
 * out.put(data);
 * ChunkedEncoder.writeChunkEnd(out);                     // "\r\n"
 * ChunkedEncoder.writeLastChunk(trailers, out);          // "0\r\n" fields "\r\n"
 * }</pre>
 */
public final class ChunkedEncoder {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ChunkedEncoder() {}

    /**
     * Returns the length of the chunk-size line for {@code size}, CRLF included.
     *
     * @param size the chunk data length, > 0
     * @return hex digits + 2
     */
    public static int chunkHeadLength(long size) {
        checkSize(size);
        return hexDigits(size) + 2;
    }

    /**
     * Writes {@code hex(size) CRLF} into {@code dst} at {@code off}.
     *
     * @param size the chunk data length, > 0
     * @param dst the destination
     * @param off where to write
     * @return the offset after the written bytes
     */
    public static int writeChunkHead(long size, byte[] dst, int off) {
        checkSize(size);
        int digits = hexDigits(size);
        for (int i = digits - 1; i >= 0; i--) {
            dst[off + i] = HEX[(int) (size & 0xf)];
            size >>>= 4;
        }
        dst[off + digits] = '\r';
        dst[off + digits + 1] = '\n';
        return off + digits + 2;
    }

    /**
     * Writes {@code hex(size) CRLF} at {@code dst}'s position and advances it.
     *
     * @param size the chunk data length, > 0
     * @param dst the destination
     */
    public static void writeChunkHead(long size, ByteBuffer dst) {
        byte[] tmp = new byte[18];
        int n = writeChunkHead(size, tmp, 0);
        dst.put(tmp, 0, n);
    }

    /**
     * Writes the CRLF that ends a chunk's data.
     *
     * @param dst the destination
     */
    public static void writeChunkEnd(ByteBuffer dst) {
        dst.put((byte) '\r').put((byte) '\n');
    }

    /**
     * Returns the length of the last chunk with these trailers: {@code 0 CRLF fields CRLF}.
     *
     * @param trailers the trailer fields, possibly empty
     * @return the length in bytes
     */
    public static int lastChunkLength(HttpHeaders trailers) {
        return 5 + Http1FieldWriter.wireLength(trailers);
    }

    /**
     * Writes the last chunk and the trailers into {@code dst} at {@code off}.
     *
     * @param trailers the trailer fields, possibly empty
     * @param dst the destination, with room for {@link #lastChunkLength(HttpHeaders)} bytes
     * @param off where to write
     * @return the offset after the written bytes
     */
    public static int writeLastChunk(HttpHeaders trailers, byte[] dst, int off) {
        dst[off] = '0';
        dst[off + 1] = '\r';
        dst[off + 2] = '\n';
        int pos = Http1FieldWriter.write(trailers, dst, off + 3);
        dst[pos] = '\r';
        dst[pos + 1] = '\n';
        return pos + 2;
    }

    /**
     * Writes the last chunk and the trailers at {@code dst}'s position and advances it.
     *
     * @param trailers the trailer fields, possibly empty
     * @param dst the destination
     */
    public static void writeLastChunk(HttpHeaders trailers, ByteBuffer dst) {
        byte[] tmp = new byte[lastChunkLength(trailers)];
        dst.put(tmp, 0, writeLastChunk(trailers, tmp, 0));
    }

    private static void checkSize(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: > 0; end the body with writeLastChunk)");
        }
    }

    private static int hexDigits(long size) {
        return Math.max(1, (67 - Long.numberOfLeadingZeros(size)) >>> 2);
    }
}
