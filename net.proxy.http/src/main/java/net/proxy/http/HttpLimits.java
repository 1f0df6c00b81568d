package net.proxy.http;

/**
 * Size limits and the few lenient options of the HTTP/1 parser and body decoder; immutable.
 *
 * <p>Defaults (from Pingora 0.7's HTTP/1 server where it has one):
 * <ul>
 *   <li>{@link #maxRequestLineLength()}: 65,536 bytes (longer gives {@link RequestLineTooLongException}, 414);</li>
 *   <li>{@link #maxHeadSize()}: 1,048,575 bytes, start line included (Pingora's {@code MAX_HEADER_SIZE};
 *       {@link HeaderTooLargeException}, 431);</li>
 *   <li>{@link #maxHeaderCount()}: 256 (Pingora's {@code MAX_HEADERS}; {@link TooManyHeadersException}, 431);</li>
 *   <li>{@link #maxChunkHeadSize()}: 8,192 bytes for a chunk-size line with extensions (Pingora's
 *       {@code PARTIAL_CHUNK_HEAD_LIMIT}; {@link ChunkHeadTooLargeException});</li>
 *   <li>{@link #maxTrailerSize()}: 65,536 bytes (Pingora's {@code TRAILER_SIZE_LIMIT};
 *       {@link TrailersTooLargeException});</li>
 *   <li>{@link #maxBodySize()}: {@link Long#MAX_VALUE}, i.e. unlimited ({@link ContentTooLargeException}, 413);</li>
 *   <li>{@link #allowBareLf()}: {@code false}: a line must end in CRLF.</li>
 * </ul>
 *
 * <pre>{@code
 * HttpLimits limits = HttpLimits.builder().maxHeadSize(64 * 1024).maxHeaderCount(100).build();
 * }</pre>
 *
 * @param maxRequestLineLength longest request line or status line in bytes, CRLF excluded
 * @param maxHeadSize longest head in bytes, from the first byte to the final empty line included
 * @param maxHeaderCount most field lines in a head or a trailer section
 * @param maxChunkHeadSize longest chunk-size line (size and extensions) in bytes, CRLF excluded
 * @param maxTrailerSize longest trailer section in bytes, the final empty line included
 * @param maxBodySize largest body in bytes (Content-Length or the sum of chunk sizes)
 * @param allowBareLf whether a bare LF ends a line (some embedded peers send it); a bare CR is always rejected
 */
public record HttpLimits(
        int maxRequestLineLength,
        int maxHeadSize,
        int maxHeaderCount,
        int maxChunkHeadSize,
        int maxTrailerSize,
        long maxBodySize,
        boolean allowBareLf) {

    /** The largest {@link #maxHeadSize()} accepted: 16 MiB - 1 (field offsets are kept in 3 bytes). */
    public static final int MAX_HEAD_SIZE = 0xff_ffff;

    private static final HttpLimits DEFAULTS = builder().build();

    /**
     * Validates the values (see {@link Builder} for the accepted ranges).
     *
     * @param maxRequestLineLength longest request or status line, at least 16
     * @param maxHeadSize longest head, 18 to {@link #MAX_HEAD_SIZE}
     * @param maxHeaderCount most field lines, at least 1
     * @param maxChunkHeadSize longest chunk-size line, at least 1
     * @param maxTrailerSize longest trailer section, at least 2
     * @param maxBodySize largest body, at least 0
     * @param allowBareLf whether a bare LF ends a line
     * @throws IllegalArgumentException if a value is out of range
     */
    public HttpLimits {
        check("maxRequestLineLength", maxRequestLineLength, 16);
        check("maxHeadSize", maxHeadSize, 18);
        checkMax("maxHeadSize", maxHeadSize, MAX_HEAD_SIZE);
        check("maxHeaderCount", maxHeaderCount, 1);
        check("maxChunkHeadSize", maxChunkHeadSize, 1);
        check("maxTrailerSize", maxTrailerSize, 2);
        if (maxBodySize < 0) {
            throw new IllegalArgumentException("maxBodySize: " + maxBodySize + " (expected: >= 0)");
        }
    }

    private static void checkMax(String name, int value, int max) {
        if (value > max) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: <= " + max + ")");
        }
    }

    private static void check(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
        }
    }

    /**
     * Returns the default limits listed above.
     *
     * @return the defaults
     */
    public static HttpLimits defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A fluent builder of {@link HttpLimits}; each method validates its argument at once. */
    public static final class Builder {
        private int maxRequestLineLength = 65_536;
        private int maxHeadSize = 1_048_575;
        private int maxHeaderCount = 256;
        private int maxChunkHeadSize = 8_192;
        private int maxTrailerSize = 65_536;
        private long maxBodySize = Long.MAX_VALUE;
        private boolean allowBareLf;

        private Builder() {}

        /**
         * Sets the longest request or status line (default 65,536; at least 16).
         *
         * @param bytes the limit in bytes
         * @return this builder
         */
        public Builder maxRequestLineLength(int bytes) {
            check("maxRequestLineLength", bytes, 16);
            this.maxRequestLineLength = bytes;
            return this;
        }

        /**
         * Sets the longest head (default 1,048,575; from 18 to {@link #MAX_HEAD_SIZE}).
         *
         * @param bytes the limit in bytes
         * @return this builder
         */
        public Builder maxHeadSize(int bytes) {
            check("maxHeadSize", bytes, 18);
            checkMax("maxHeadSize", bytes, MAX_HEAD_SIZE);
            this.maxHeadSize = bytes;
            return this;
        }

        /**
         * Sets the most field lines per head or trailer section (default 256; at least 1).
         *
         * @param count the limit
         * @return this builder
         */
        public Builder maxHeaderCount(int count) {
            check("maxHeaderCount", count, 1);
            this.maxHeaderCount = count;
            return this;
        }

        /**
         * Sets the longest chunk-size line (default 8,192; at least 1).
         *
         * @param bytes the limit in bytes
         * @return this builder
         */
        public Builder maxChunkHeadSize(int bytes) {
            check("maxChunkHeadSize", bytes, 1);
            this.maxChunkHeadSize = bytes;
            return this;
        }

        /**
         * Sets the longest trailer section (default 65,536; at least 2).
         *
         * @param bytes the limit in bytes
         * @return this builder
         */
        public Builder maxTrailerSize(int bytes) {
            check("maxTrailerSize", bytes, 2);
            this.maxTrailerSize = bytes;
            return this;
        }

        /**
         * Sets the largest body (default {@link Long#MAX_VALUE}: unlimited; at least 0).
         *
         * @param bytes the limit in bytes
         * @return this builder
         */
        public Builder maxBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBodySize: " + bytes + " (expected: >= 0)");
            }
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * Accepts a bare LF as a line end (default {@code false}). Only for peers known to send it.
         *
         * @param allow whether to accept it
         * @return this builder
         */
        public Builder allowBareLf(boolean allow) {
            this.allowBareLf = allow;
            return this;
        }

        /**
         * Builds the limits.
         *
         * @return the immutable limits
         */
        public HttpLimits build() {
            return new HttpLimits(
                    maxRequestLineLength,
                    maxHeadSize,
                    maxHeaderCount,
                    maxChunkHeadSize,
                    maxTrailerSize,
                    maxBodySize,
                    allowBareLf);
        }
    }
}
