package net.proxy.http;

/**
 * The request line is longer than {@link HttpLimits#maxRequestLineLength()}.
 *
 * <p>Maps to HTTP status 414.
 */
public final class RequestLineTooLongException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public RequestLineTooLongException(String reason) {
        super(414, reason);
    }
}
