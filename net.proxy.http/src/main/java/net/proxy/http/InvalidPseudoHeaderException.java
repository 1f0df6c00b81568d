package net.proxy.http;

/**
 * An HTTP/2 header block lacks a required pseudo-header, repeats one, or has one that does not belong to its message kind (RFC 9113 §8.3).
 *
 * <p>Maps to HTTP status 400.
 */
public final class InvalidPseudoHeaderException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public InvalidPseudoHeaderException(String reason) {
        super(400, reason);
    }
}
