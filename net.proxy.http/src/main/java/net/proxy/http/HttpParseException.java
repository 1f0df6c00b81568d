package net.proxy.http;

/**
 * A message that this module refuses to parse, with the HTTP status a server answers it with.
 *
 * <p>Every rejection has its own final subtype, so callers can match on the type (or on {@link #status()}) and
 * tests can assert the exact failure. The exceptions are unchecked and do not fill in a stack trace: they are
 * thrown on the hot path for hostile input, where a trace costs more than the parse.
 *
 * <p>Statuses: 400 (malformed or ambiguous message), 413 ({@link ContentTooLargeException}), 414
 * ({@link RequestLineTooLongException}), 431 (head, header count or trailers too large), 501
 * ({@link UnsupportedTransferCodingException}), 505 ({@link UnsupportedVersionException}). A proxy that reads
 * a <em>response</em> from an upstream answers its client 502 instead, whatever the status here.
 */
public abstract sealed class HttpParseException extends RuntimeException
        permits ChunkHeadTooLargeException,
                ChunkSizeOverflowException,
                ContentTooLargeException,
                DuplicateHostException,
                HeaderTooLargeException,
                InvalidChunkException,
                InvalidContentLengthException,
                InvalidHeaderNameException,
                InvalidHeaderValueException,
                InvalidLineTerminatorException,
                InvalidPseudoHeaderException,
                InvalidTransferEncodingException,
                MalformedRequestLineException,
                MalformedStatusLineException,
                MissingHostException,
                ObsFoldException,
                PrematureEndOfBodyException,
                RequestLineTooLongException,
                SmugglingException,
                TooManyHeadersException,
                TrailersTooLargeException,
                UnsupportedTransferCodingException,
                UnsupportedVersionException,
                WhitespaceBeforeColonException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    HttpParseException(int status, String reason) {
        super(status + " " + reason, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    /**
     * Returns the HTTP status a server answers this rejection with (400, 413, 414, 431, 501 or 505).
     *
     * @return the status code
     */
    public final int status() {
        return status;
    }

    /**
     * Returns what exactly was wrong, without the status, e.g. {@code "Content-Length 5 differs from 6"}.
     *
     * @return the reason
     */
    public final String reason() {
        return reason;
    }
}
