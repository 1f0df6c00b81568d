package net.proxy.http;

/**
 * How the body of a message is delimited on an HTTP/1 connection (RFC 9112 §6.3), decided when its head is
 * parsed; {@link BodyDecoder#of(BodyFraming, HttpLimits)} reads a body framed this way.
 *
 * @param kind the delimiting rule
 * @param contentLength the body length for {@link Kind#CONTENT_LENGTH}, otherwise -1
 */
public record BodyFraming(Kind kind, long contentLength) {

    /** No body at all (a request without Content-Length or Transfer-Encoding, HEAD/1xx/204/304 responses). */
    public static final BodyFraming NONE = new BodyFraming(Kind.NONE, -1);
    /** {@code Transfer-Encoding} ending in {@code chunked}. */
    public static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, -1);
    /** A response body that ends when the server closes the connection. */
    public static final BodyFraming CLOSE_DELIMITED = new BodyFraming(Kind.CLOSE_DELIMITED, -1);
    /** A 2xx response to CONNECT: the connection becomes a tunnel after the head. */
    public static final BodyFraming TUNNEL = new BodyFraming(Kind.TUNNEL, -1);

    /** The delimiting rules. */
    public enum Kind {
        /** No body. */
        NONE,
        /** Exactly {@link BodyFraming#contentLength()} bytes. */
        CONTENT_LENGTH,
        /** The chunked transfer coding (RFC 9112 §7.1). */
        CHUNKED,
        /** Everything until the connection closes (responses only). */
        CLOSE_DELIMITED,
        /** Raw bytes in both directions until either side closes. */
        TUNNEL
    }

    /**
     * Validates that only {@link Kind#CONTENT_LENGTH} carries a length (>= 0).
     *
     * @param kind the delimiting rule
     * @param contentLength the length for {@link Kind#CONTENT_LENGTH}, otherwise -1
     * @throws IllegalArgumentException if not
     */
    public BodyFraming {
        if (kind == Kind.CONTENT_LENGTH ? contentLength < 0 : contentLength != -1) {
            throw new IllegalArgumentException("contentLength: " + contentLength + " (expected: "
                    + (kind == Kind.CONTENT_LENGTH ? ">= 0" : "-1 for " + kind) + ")");
        }
    }

    /**
     * Returns the framing of a body of exactly {@code length} bytes.
     *
     * @param length the Content-Length, >= 0
     * @return the framing
     */
    public static BodyFraming contentLength(long length) {
        return new BodyFraming(Kind.CONTENT_LENGTH, length);
    }

    /**
     * Returns whether a body follows the head: false for {@link Kind#NONE} and for a Content-Length of 0.
     *
     * @return whether body bytes are expected
     */
    public boolean hasBody() {
        return kind != Kind.NONE && contentLength != 0;
    }
}
