package net.proxy.http;

/**
 * The connection ended before a Content-Length or chunked body was complete.
 *
 * <p>Maps to HTTP status 400.
 */
public final class PrematureEndOfBodyException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public PrematureEndOfBodyException(String reason) {
        super(400, reason);
    }
}
