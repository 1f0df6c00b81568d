package net.proxy.http;

/**
 * A body is larger than {@link HttpLimits#maxBodySize()}.
 *
 * <p>Maps to HTTP status 413.
 */
public final class ContentTooLargeException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public ContentTooLargeException(String reason) {
        super(413, reason);
    }
}
