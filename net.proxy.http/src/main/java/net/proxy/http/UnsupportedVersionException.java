package net.proxy.http;

/**
 * The HTTP version is well-formed but neither HTTP/1.0 nor HTTP/1.1.
 *
 * <p>Maps to HTTP status 505.
 */
public final class UnsupportedVersionException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public UnsupportedVersionException(String reason) {
        super(505, reason);
    }
}
