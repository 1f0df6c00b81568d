package net.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The head of an HTTP request: method, raw request target (with its path, query and authority parsed on
 * demand), version and {@link HttpHeaders}. Mutable, so a proxy can rewrite it before forwarding; {@link #copy()}
 * is cheap. Instances come from {@link Http1RequestParser} or {@link #of(String, String)}.
 *
 * <p>The four request-target forms of RFC 9112 §3.2 are recognised: origin-form ({@code /a?b}), absolute-form
 * ({@code http://h:8080/a?b}), authority-form ({@code h:443}, CONNECT only) and asterisk-form ({@code *}).
 */
public final class RequestHeader {
    private String method;
    private int targetLen;
    private String target;
    private HttpVersion version;
    private HttpHeaders headers;
    private BodyFraming framing;

    /** A head whose target is {@code headers.block()[0, targetLen)}. */
    RequestHeader(String method, int targetLen, HttpVersion version, HttpHeaders headers) {
        this.method = method;
        this.targetLen = targetLen;
        this.version = version;
        this.headers = headers;
    }

    /**
     * Creates an HTTP/1.1 request head with no fields.
     *
     * @param method a token such as {@code "GET"}
     * @param target the request-target, e.g. {@code "/index.html?x=1"}
     * @return the head
     * @throws IllegalArgumentException if the method is not a token or the target has a non-visible character
     */
    public static RequestHeader of(String method, String target) {
        RequestHeader r = new RequestHeader(null, 0, HttpVersion.HTTP_1_1, HttpHeaders.create());
        return r.method(method).target(target);
    }

    /**
     * Returns a copy; the copy's fields are copy-on-write, so this is O(1).
     *
     * @return an independent copy
     */
    public RequestHeader copy() {
        RequestHeader r = new RequestHeader(method, targetLen, version, headers.copy());
        r.target = target;
        r.framing = framing;
        return r;
    }

    /**
     * Returns the method, case-sensitive as received (well-known methods are shared constants).
     *
     * @return the method
     */
    public String method() {
        return method;
    }

    /**
     * Sets the method.
     *
     * @param method a token
     * @return this head
     * @throws IllegalArgumentException if not a token
     */
    public RequestHeader method(String method) {
        HttpChars.checkField(method, "");
        this.method = method;
        return this;
    }

    /**
     * Returns the raw request-target as received or set.
     *
     * @return the target
     */
    public String target() {
        String t = target;
        if (t == null) {
            t = new String(headers.block(), 0, targetLen, StandardCharsets.ISO_8859_1);
            target = t;
        }
        return t;
    }

    /**
     * Sets the raw request-target.
     *
     * @param target non-empty visible US-ASCII
     * @return this head
     * @throws IllegalArgumentException if empty or it has another character
     */
    public RequestHeader target(String target) {
        if (target.isEmpty()) {
            throw new IllegalArgumentException("target: \"\" (expected: non-empty)");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c > 0xff || !HttpChars.isTarget(c)) {
                throw new IllegalArgumentException("target: \"" + target + "\" (expected: visible US-ASCII)");
            }
        }
        this.target = target;
        return this;
    }

    int targetLength() {
        return target != null ? target.length() : targetLen;
    }

    int writeTarget(byte[] dst, int pos) {
        if (target != null) {
            return HttpChars.writeAscii(target, dst, pos);
        }
        System.arraycopy(headers.block(), 0, dst, pos, targetLen);
        return pos + targetLen;
    }

    /**
     * Returns the path: the target up to {@code '?'} in origin-form, the part after the authority in
     * absolute-form ({@code "/"} when empty), {@code "*"} in asterisk-form, {@code ""} in authority-form.
     *
     * @return the path, percent-encoded as received
     */
    public String path() {
        String t = target();
        int start = pathStart(t);
        if (start < 0) {
            return "";
        }
        int q = t.indexOf('?', start);
        String p = t.substring(start, q < 0 ? t.length() : q);
        return p.isEmpty() ? "/" : p;
    }

    /**
     * Returns the query after {@code '?'} (without it), or {@code null} when there is none.
     *
     * @return the query or null
     */
    public String query() {
        String t = target();
        int start = pathStart(t);
        int q = start < 0 ? -1 : t.indexOf('?', start);
        return q < 0 ? null : t.substring(q + 1);
    }

    /**
     * Returns the authority of an absolute-form or authority-form target, or {@code null} for the others.
     *
     * @return e.g. {@code "example.com:8080"}, or null
     */
    public String authority() {
        String t = target();
        int scheme = t.indexOf("://");
        if (t.startsWith("/") || t.equals("*")) {
            return null;
        }
        if (scheme < 0) {
            return t;
        }
        int end = scheme + 3;
        while (end < t.length() && t.charAt(end) != '/' && t.charAt(end) != '?') {
            end++;
        }
        return t.substring(scheme + 3, end);
    }

    /**
     * Returns the scheme of an absolute-form target (e.g. {@code "http"}), or {@code null}.
     *
     * @return the scheme or null
     */
    public String scheme() {
        String t = target();
        int scheme = t.startsWith("/") ? -1 : t.indexOf("://");
        return scheme < 0 ? null : t.substring(0, scheme);
    }

    /**
     * Returns the host the request is for: the target's authority when it has one, else the Host field, else
     * {@code null}.
     *
     * @return the authority or null
     */
    public String host() {
        String a = authority();
        return a != null ? a : headers.get("Host");
    }

    /** Start of the path in an origin or absolute-form target; -1 for authority-form. */
    private static int pathStart(String t) {
        if (t.startsWith("/") || t.equals("*")) {
            return 0;
        }
        int scheme = t.indexOf("://");
        if (scheme < 0) {
            return -1;
        }
        int end = scheme + 3;
        while (end < t.length() && t.charAt(end) != '/' && t.charAt(end) != '?') {
            end++;
        }
        return end;
    }

    /**
     * Returns the version.
     *
     * @return the version
     */
    public HttpVersion version() {
        return version;
    }

    /**
     * Sets the version.
     *
     * @param version the version
     * @return this head
     */
    public RequestHeader version(HttpVersion version) {
        this.version = Objects.requireNonNull(version, "version");
        return this;
    }

    /**
     * Returns the header fields (mutable, in wire order).
     *
     * @return the fields
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * Returns how the body of this request is delimited: as parsed for a received request (later edits of the
     * fields do not change it), otherwise derived from the current fields with the same strict framing rules
     * (the Host rules are not applied to a head built in code).
     *
     * @return the framing
     * @throws HttpParseException if the fields are contradictory (see {@link Http1RequestParser})
     */
    public BodyFraming framing() {
        BodyFraming f = framing;
        return f != null ? f : MessageRules.request(version, headers, FramingFields.UNKNOWN, null);
    }

    void framing(BodyFraming framing) {
        this.framing = framing;
    }

    /**
     * Returns whether the method is CONNECT.
     *
     * @return {@code true} for CONNECT
     */
    public boolean isConnect() {
        return "CONNECT".equals(method);
    }

    /**
     * Returns whether this is an HTTP/1.1 request with an Upgrade field (HTTP/1.0 cannot upgrade).
     *
     * @return {@code true} if it asks to switch protocols
     */
    public boolean isUpgrade() {
        return version == HttpVersion.HTTP_1_1 && headers.contains("Upgrade");
    }

    /**
     * Returns whether the client sent {@code Expect: 100-continue} in HTTP/1.1 and waits for a 100 before the
     * body (RFC 9110 §10.1.1).
     *
     * @return {@code true} if a 100 (Continue) is expected
     */
    public boolean expectsContinue() {
        String e = version == HttpVersion.HTTP_1_1 ? headers.get("Expect") : null;
        return e != null && e.equalsIgnoreCase("100-continue");
    }

    /**
     * Returns whether the client wants the connection kept open: HTTP/1.1 unless {@code Connection: close},
     * HTTP/1.0 only with {@code Connection: keep-alive}; always for HTTP/2.
     *
     * @return {@code true} for a persistent connection
     */
    public boolean keepAlive() {
        return KeepAlive.of(version, headers);
    }

    /**
     * Returns the request line and fields, for debugging.
     *
     * @return a debug string
     */
    @Override
    public String toString() {
        return method + " " + target() + " " + version.text() + " " + headers;
    }
}
