package net.proxy.http;

/**
 * A request has more than one Host field line (RFC 9112 §3.2).
 *
 * <p>Maps to HTTP status 400.
 */
public final class DuplicateHostException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public DuplicateHostException(String reason) {
        super(400, reason);
    }
}
