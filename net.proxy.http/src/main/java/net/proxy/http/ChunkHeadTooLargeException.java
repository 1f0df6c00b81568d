package net.proxy.http;

/**
 * A chunk-size line (size plus extensions) is longer than {@link HttpLimits#maxChunkHeadSize()}.
 *
 * <p>Maps to HTTP status 400.
 */
public final class ChunkHeadTooLargeException extends HttpParseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what exactly was wrong, for logs and the error response
     */
    public ChunkHeadTooLargeException(String reason) {
        super(400, reason);
    }
}
