package net.proxy.http;

/**
 * A field line starts with whitespace (obsolete line folding, RFC 9112 §5.2).
 *
 * <p>Maps to HTTP status 400.
 */
public final class ObsFoldException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public ObsFoldException(String reason) {
        super(400, reason);
    }
}
