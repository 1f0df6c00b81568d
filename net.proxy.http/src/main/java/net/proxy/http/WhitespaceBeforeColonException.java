package net.proxy.http;

/**
 * Whitespace between a field name and its colon, which RFC 9112 §5.1 requires to be rejected.
 *
 * <p>Maps to HTTP status 400.
 */
public final class WhitespaceBeforeColonException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public WhitespaceBeforeColonException(String reason) {
        super(400, reason);
    }
}
