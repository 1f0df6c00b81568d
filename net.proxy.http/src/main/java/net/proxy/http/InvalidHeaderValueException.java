package net.proxy.http;

/**
 * A field value contains NUL, CR, LF or another control byte, or a Host value is not a valid authority.
 *
 * <p>Maps to HTTP status 400.
 */
public final class InvalidHeaderValueException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public InvalidHeaderValueException(String reason) {
        super(400, reason);
    }
}
