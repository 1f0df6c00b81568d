package net.proxy.http;

/**
 * A transfer coding before the final {@code chunked} that is not registered (RFC 9112 §6.1).
 *
 * <p>Maps to HTTP status 501.
 */
public final class UnsupportedTransferCodingException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public UnsupportedTransferCodingException(String reason) {
        super(501, reason);
    }
}
