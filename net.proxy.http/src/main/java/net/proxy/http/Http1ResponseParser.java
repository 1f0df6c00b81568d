package net.proxy.http;

import java.util.Objects;

/**
 * Parses HTTP/1.0 and HTTP/1.1 response heads incrementally and strictly (see {@link Http1Parser}).
 *
 * <p>The body framing of a response depends on the request it answers (RFC 9112 §6.3): set
 * {@link #requestMethod(String)} before parsing each response (the default is {@code GET}); a HEAD request's
 * response has no body and a 2xx to CONNECT starts a tunnel. After a 1xx response the final response follows
 * on the same parser.
 *
 * <pre>{@code
 * Http1ResponseParser parser = Http1ResponseParser.create().requestMethod("HEAD");
 * ResponseHeader res = parser.parse(buffer);        // advances buffer.position(); null: need more
 * }</pre>
 *
 * <p>Rejected: a status line that is not {@code HTTP/1.x SP 3DIGIT [SP reason]}
 * ({@link MalformedStatusLineException}), the field-syntax errors and limits of requests, differing or
 * non-numeric Content-Length, chunked twice and Transfer-Encoding in HTTP/1.0. Transfer-Encoding with
 * Content-Length is accepted and Content-Length removed (RFC 9112 §6.3 rule 3).
 */
public final class Http1ResponseParser extends Http1Parser<ResponseHeader> {
    private String requestMethod = "GET";
    private HttpVersion version;
    private int status;

    private Http1ResponseParser(HttpLimits limits) {
        super(limits);
    }

    /**
     * Creates a parser with {@link HttpLimits#defaults()}.
     *
     * @return a new parser
     */
    public static Http1ResponseParser create() {
        return new Http1ResponseParser(HttpLimits.defaults());
    }

    /**
     * Creates a parser with the given limits.
     *
     * @param limits the limits and lenient options
     * @return a new parser
     */
    public static Http1ResponseParser create(HttpLimits limits) {
        return new Http1ResponseParser(limits);
    }

    /**
     * Sets the method of the request the next responses answer, which decides their framing.
     *
     * @param method e.g. {@code "HEAD"} or {@code "CONNECT"}
     * @return this parser
     */
    public Http1ResponseParser requestMethod(String method) {
        this.requestMethod = Objects.requireNonNull(method, "method");
        return this;
    }

    @Override
    void startLine(byte[] a, int base, int start, int end) {
        if (end - start < 12 || a[start + 8] != ' ') {
            if (end - start >= 8) {
                StartLines.version(a, start, start + 8, false);
            }
            throw new MalformedStatusLineException("status line too short or missing SP after version");
        }
        version = StartLines.version(a, start, start + 8, false);
        int s = start + 9;
        if (!StartLines.isDigit(a[s])
                || !StartLines.isDigit(a[s + 1])
                || !StartLines.isDigit(a[s + 2])
                || a[s] == '0') {
            throw new MalformedStatusLineException("status code is not 3 digits from 100");
        }
        status = (a[s] - '0') * 100 + (a[s + 1] - '0') * 10 + (a[s + 2] - '0');
        int r = s + 3;
        if (r < end && a[r] != ' ') {
            throw new MalformedStatusLineException("missing SP after status code");
        }
        r = Math.min(r + 1, end);
        int bad = HttpChars.firstInvalidValueByte(a, r, end);
        if (bad >= 0) {
            if (a[bad] == '\r') {
                throw new InvalidLineTerminatorException("bare CR in the status line");
            }
            throw new MalformedStatusLineException("reason phrase contains 0x" + Integer.toHexString(a[bad] & 0xff));
        }
        keep(base, r, end - r);
    }

    @Override
    ResponseHeader complete(HttpHeaders headers, int seen) {
        ResponseHeader res = new ResponseHeader(version, status, keptLength, headers);
        res.framing(MessageRules.response(version, status, requestMethod, headers, seen, firstFields));
        return res;
    }
}
