package net.proxy.http;

/**
 * The trailer section is longer than {@link HttpLimits#maxTrailerSize()}.
 *
 * <p>Maps to HTTP status 431.
 */
public final class TrailersTooLargeException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public TrailersTooLargeException(String reason) {
        super(431, reason);
    }
}
