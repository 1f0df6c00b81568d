package net.proxy.http;

/**
 * An HTTP/1.1 request has no Host field (RFC 9112 §3.2).
 *
 * <p>Maps to HTTP status 400.
 */
public final class MissingHostException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public MissingHostException(String reason) {
        super(400, reason);
    }
}
