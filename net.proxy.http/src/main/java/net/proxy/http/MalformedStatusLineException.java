package net.proxy.http;

/**
 * The status line is not {@code HTTP-version SP 3DIGIT SP [reason]} (RFC 9112 §4); a proxy answers 502 for an upstream.
 *
 * <p>Maps to HTTP status 400.
 */
public final class MalformedStatusLineException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public MalformedStatusLineException(String reason) {
        super(400, reason);
    }
}
