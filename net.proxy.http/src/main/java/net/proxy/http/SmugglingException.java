package net.proxy.http;

/**
 * A request carries both Content-Length and Transfer-Encoding: a request-smuggling vector (RFC 9112 §6.1, §11.2).
 *
 * <p>Maps to HTTP status 400.
 */
public final class SmugglingException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public SmugglingException(String reason) {
        super(400, reason);
    }
}
