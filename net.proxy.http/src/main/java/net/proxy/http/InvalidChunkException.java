package net.proxy.http;

/**
 * A chunk size is not hexadecimal, a chunk extension contains a forbidden byte, or chunk data is not followed by CRLF (RFC 9112 §7.1).
 *
 * <p>Maps to HTTP status 400.
 */
public final class InvalidChunkException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public InvalidChunkException(String reason) {
        super(400, reason);
    }
}
