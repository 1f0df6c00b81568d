package net.proxy.http;

/**
 * Transfer-Encoding in a request whose final coding is not chunked, chunked applied twice, an empty coding list, or Transfer-Encoding in an HTTP/1.0 message (RFC 9112 §6.1, §6.3).
 *
 * <p>Maps to HTTP status 400.
 */
public final class InvalidTransferEncodingException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public InvalidTransferEncodingException(String reason) {
        super(400, reason);
    }
}
