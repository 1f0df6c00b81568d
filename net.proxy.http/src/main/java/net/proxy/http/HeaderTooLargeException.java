package net.proxy.http;

/**
 * The head (start line plus header fields) is longer than {@link HttpLimits#maxHeadSize()}.
 *
 * <p>Maps to HTTP status 431.
 */
public final class HeaderTooLargeException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public HeaderTooLargeException(String reason) {
        super(431, reason);
    }
}
