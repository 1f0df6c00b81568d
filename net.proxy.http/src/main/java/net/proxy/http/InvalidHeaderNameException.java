package net.proxy.http;

/**
 * A field name is empty or contains a byte that is not a token character (RFC 9110 §5.1).
 *
 * <p>Maps to HTTP status 400.
 */
public final class InvalidHeaderNameException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public InvalidHeaderNameException(String reason) {
        super(400, reason);
    }
}
