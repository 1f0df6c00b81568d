package net.proxy.http;

/**
 * A Content-Length value is not plain digits, overflows a {@code long}, or differs between duplicates (RFC 9112 §6.3).
 *
 * <p>Maps to HTTP status 400.
 */
public final class InvalidContentLengthException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public InvalidContentLengthException(String reason) {
        super(400, reason);
    }
}
