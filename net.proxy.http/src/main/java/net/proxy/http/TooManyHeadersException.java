package net.proxy.http;

/**
 * The head has more header fields than {@link HttpLimits#maxHeaderCount()}.
 *
 * <p>Maps to HTTP status 431.
 */
public final class TooManyHeadersException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public TooManyHeadersException(String reason) {
        super(431, reason);
    }
}
