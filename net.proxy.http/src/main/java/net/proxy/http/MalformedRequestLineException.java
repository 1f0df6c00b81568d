package net.proxy.http;

/**
 * The request line is not {@code method SP request-target SP HTTP-version} (RFC 9112 §3).
 *
 * <p>Maps to HTTP status 400.
 */
public final class MalformedRequestLineException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public MalformedRequestLineException(String reason) {
        super(400, reason);
    }
}
