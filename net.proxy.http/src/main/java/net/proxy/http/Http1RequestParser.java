package net.proxy.http;

import java.util.Arrays;

/**
 * Parses HTTP/1.0 and HTTP/1.1 request heads incrementally and strictly (see {@link Http1Parser}).
 *
 * <pre>{@code
 * Http1RequestParser parser = Http1RequestParser.create();
 * RequestHeader req = parser.parse(bytes, 0, bytes.length);   // null: send more bytes
 * int bodyStart = parser.consumed();
 * BodyDecoder body = BodyDecoder.of(req.framing(), parser.limits());
 * }</pre>
 *
 * <p>Rejected, each with its own {@link HttpParseException} subtype: a request line that is not
 * {@code token SP target SP HTTP/1.x} ({@link MalformedRequestLineException}; another version gives
 * {@link UnsupportedVersionException}), a target that does not fit its method (authority-form is for CONNECT
 * only, asterisk-form for OPTIONS only) or holds a byte outside visible US-ASCII or a {@code '#'}, every
 * field-syntax error of {@link FieldLines} (obs-fold, whitespace before the colon, a non-token name, a control
 * byte in a value), bare CR anywhere and bare LF unless allowed, the limits of {@link HttpLimits}, and the
 * framing and Host rules of RFC 9112 (Content-Length with Transfer-Encoding, differing or non-numeric
 * Content-Length, a final coding other than chunked, chunked twice, Transfer-Encoding in HTTP/1.0, an
 * unregistered coding (501), a missing or repeated Host). Empty lines before the request line are skipped
 * (RFC 9112 §2.2).
 *
 * <p>The requests of one connection nearly always name the same host: when a request's Host value repeats the
 * last valid one, its {@link HttpHeaders#get(String) value} is the same {@code String} instance, so reading it
 * allocates nothing, and its characters are not checked again.
 */
public final class Http1RequestParser extends Http1Parser<RequestHeader> {
    private static final String[] METHODS = {
        "GET", "PUT", "POST", "HEAD", "PATCH", "TRACE", "DELETE", "OPTIONS", "CONNECT"
    };
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];

    static {
        for (int k = 0; k < METHODS.length; k++) {
            METHOD_BYTES[k] = METHODS[k].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private String method;
    private HttpVersion version;
    /**
     * The last valid Host value, as a string and as bytes: a request that repeats it shares the string and skips
     * the character check.
     */
    private String lastHost;

    private byte[] lastHostBytes;

    private Http1RequestParser(HttpLimits limits) {
        super(limits);
    }

    /**
     * Creates a parser with {@link HttpLimits#defaults()}.
     *
     * @return a new parser
     */
    public static Http1RequestParser create() {
        return new Http1RequestParser(HttpLimits.defaults());
    }

    /**
     * Creates a parser with the given limits.
     *
     * @param limits the limits and lenient options
     * @return a new parser
     */
    public static Http1RequestParser create(HttpLimits limits) {
        return new Http1RequestParser(limits);
    }

    @Override
    void startLine(byte[] a, int base, int start, int end) {
        int i = start;
        while (i < end && HttpChars.isToken(a[i])) {
            i++;
        }
        if (i == start || i == end || a[i] != ' ') {
            throw malformed(a, i, end, "method");
        }
        method = method(a, start, i - start);
        int ts = ++i;
        while (i < end && HttpChars.isTargetBeforeFragment(a[i])) {
            i++;
        }
        if (i == ts || i == end || a[i] != ' ') {
            throw malformed(a, i, end, "request-target");
        }
        keep(base, ts, i - ts);
        checkTargetForm(a, ts, i);
        version = StartLines.version(a, i + 1, end, true);
    }

    @Override
    RequestHeader complete(HttpHeaders headers, int seen) {
        RequestHeader req = new RequestHeader(method, keptLength, version, headers);
        int host = firstFields[FramingFields.HOST_SLOT];
        boolean hasHost = (seen & FramingFields.HOST) != 0;
        boolean repeated = hasHost && lastHostBytes != null && headers.valueIs(host, lastHostBytes);
        req.framing(MessageRules.request(
                version, headers, repeated ? seen | FramingFields.HOST_CHECKED : seen, firstFields));
        if (repeated) {
            headers.remember(host, lastHost);
        } else if (hasHost) {
            lastHost = headers.remember(host, headers.value(host));
            lastHostBytes = lastHost.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return req;
    }

    private void checkTargetForm(byte[] a, int start, int end) {
        boolean connect = "CONNECT".equals(method);
        if (a[start] == '/') {
            if (connect) {
                throw new MalformedRequestLineException("CONNECT needs an authority-form target");
            }
            return;
        }
        if (end - start == 1 && a[start] == '*') {
            if (!"OPTIONS".equals(method)) {
                throw new MalformedRequestLineException("asterisk-form target is only for OPTIONS");
            }
            return;
        }
        int colon = -1;
        for (int i = start; i < end; i++) {
            if (a[i] == ':') {
                colon = i;
                break;
            }
        }
        if (connect) {
            if (colon <= start || colon == end - 1 || contains(a, start, end, '/')) {
                throw new MalformedRequestLineException("CONNECT target is not host:port");
            }
            return;
        }
        if (colon <= start
                || end - colon < 3
                || a[colon + 1] != '/'
                || a[colon + 2] != '/'
                || !HttpChars.isSchemeStart(a[start])) {
            throw new MalformedRequestLineException("request-target is neither origin-form nor absolute-form");
        }
    }

    private static boolean contains(byte[] a, int start, int end, char c) {
        for (int i = start; i < end; i++) {
            if (a[i] == c) {
                return true;
            }
        }
        return false;
    }

    private static HttpParseException malformed(byte[] a, int i, int end, String part) {
        if (i < end && a[i] == '\r') {
            return new InvalidLineTerminatorException("bare CR in the request line");
        }
        return new MalformedRequestLineException("malformed " + part);
    }

    /** Returns a shared constant for a well-known method, else a new string. */
    private static String method(byte[] a, int off, int len) {
        for (int k = 0; k < METHODS.length; k++) {
            byte[] m = METHOD_BYTES[k];
            if (m.length == len && Arrays.equals(a, off, off + len, m, 0, len)) {
                return METHODS[k];
            }
        }
        return new String(a, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
