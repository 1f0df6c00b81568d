package net.proxy.http;

/**
 * A line ends in a bare LF (without {@link HttpLimits#allowBareLf()}) or contains a bare CR.
 *
 * <p>Maps to HTTP status 400.
 */
public final class InvalidLineTerminatorException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public InvalidLineTerminatorException(String reason) {
        super(400, reason);
    }
}
