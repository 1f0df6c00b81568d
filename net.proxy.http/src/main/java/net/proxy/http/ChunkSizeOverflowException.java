package net.proxy.http;

/**
 * A chunk size does not fit in a signed 64-bit integer.
 *
 * <p>Maps to HTTP status 400.
 */
public final class ChunkSizeOverflowException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public ChunkSizeOverflowException(String reason) {
        super(400, reason);
    }
}
