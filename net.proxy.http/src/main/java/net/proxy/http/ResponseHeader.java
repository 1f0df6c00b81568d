package net.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The head of an HTTP response: version, status, reason phrase and {@link HttpHeaders}. Mutable, with an O(1)
 * {@link #copy()}. Instances come from {@link Http1ResponseParser} or {@link #of(int)}.
 */
public final class ResponseHeader {
    private HttpVersion version;
    private int status;
    private int reasonLen;
    private String reason;
    private HttpHeaders headers;
    private BodyFraming framing;

    /** A head whose reason is {@code headers.block()[0, reasonLen)}. */
    ResponseHeader(HttpVersion version, int status, int reasonLen, HttpHeaders headers) {
        this.version = version;
        this.status = status;
        this.reasonLen = reasonLen;
        this.headers = headers;
    }

    /**
     * Creates an HTTP/1.1 response head with the standard reason phrase and no fields.
     *
     * @param status 100 to 999
     * @return the head
     * @throws IllegalArgumentException if the status is out of range
     */
    public static ResponseHeader of(int status) {
        return of(status, ReasonPhrases.of(status));
    }

    /**
     * Creates an HTTP/1.1 response head with no fields.
     *
     * @param status 100 to 999
     * @param reason the reason phrase (may be empty)
     * @return the head
     * @throws IllegalArgumentException if the status is out of range or the reason has a control character
     */
    public static ResponseHeader of(int status, String reason) {
        ResponseHeader r = new ResponseHeader(HttpVersion.HTTP_1_1, 0, 0, HttpHeaders.create());
        return r.status(status).reason(reason);
    }

    /**
     * Returns a copy; the fields are copy-on-write, so this is O(1).
     *
     * @return an independent copy
     */
    public ResponseHeader copy() {
        ResponseHeader r = new ResponseHeader(version, status, reasonLen, headers.copy());
        r.reason = reason;
        r.framing = framing;
        return r;
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
    public ResponseHeader version(HttpVersion version) {
        this.version = Objects.requireNonNull(version, "version");
        return this;
    }

    /**
     * Returns the status code.
     *
     * @return 100 to 999
     */
    public int status() {
        return status;
    }

    /**
     * Sets the status code (the reason phrase is left as it is).
     *
     * @param status 100 to 999
     * @return this head
     * @throws IllegalArgumentException if out of range
     */
    public ResponseHeader status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..999)");
        }
        this.status = status;
        return this;
    }

    /**
     * Returns the reason phrase as received or set (possibly empty).
     *
     * @return the reason
     */
    public String reason() {
        String r = reason;
        if (r == null) {
            byte[] block = headers.block();
            r = block == null ? "" : new String(block, 0, reasonLen, StandardCharsets.ISO_8859_1);
            reason = r;
        }
        return r;
    }

    int reasonLength() {
        return reason != null || headers.block() == null ? reason().length() : reasonLen;
    }

    int writeReason(byte[] dst, int pos) {
        if (reason != null || headers.block() == null) {
            return HttpChars.writeAscii(reason(), dst, pos);
        }
        System.arraycopy(headers.block(), 0, dst, pos, reasonLen);
        return pos + reasonLen;
    }

    /**
     * Sets the reason phrase.
     *
     * @param reason HTAB, SP, visible characters or obs-text only
     * @return this head
     * @throws IllegalArgumentException if it has another character
     */
    public ResponseHeader reason(String reason) {
        HttpChars.checkField("reason", reason);
        this.reason = reason;
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
     * Returns how the body is delimited: as parsed for a received response, otherwise derived from the current
     * fields as for a response to GET.
     *
     * @return the framing
     * @throws HttpParseException if the fields are contradictory
     */
    public BodyFraming framing() {
        BodyFraming f = framing;
        return f != null
                ? f
                : MessageRules.response(version, status, "GET", headers.copy(), FramingFields.UNKNOWN, null);
    }

    void framing(BodyFraming framing) {
        this.framing = framing;
    }

    /**
     * Returns whether this is an informational (1xx) response, which a final response follows.
     *
     * @return {@code true} for 100 to 199
     */
    public boolean isInformational() {
        return status < 200;
    }

    /**
     * Returns whether this is a {@code 101 Switching Protocols} in HTTP/1.1, after which the connection carries
     * another protocol (an HTTP/1.0 101 is not an upgrade).
     *
     * @return {@code true} for an accepted upgrade
     */
    public boolean isUpgrade() {
        return status == 101 && version == HttpVersion.HTTP_1_1;
    }

    /**
     * Returns whether the server keeps the connection open: HTTP/1.1 unless {@code Connection: close}, HTTP/1.0
     * only with {@code Connection: keep-alive}. A close-delimited body always ends the connection too.
     *
     * @return {@code true} for a persistent connection
     */
    public boolean keepAlive() {
        return KeepAlive.of(version, headers);
    }

    /**
     * Returns the status line and fields, for debugging.
     *
     * @return a debug string
     */
    @Override
    public String toString() {
        return version.text() + " " + status + " " + reason() + " " + headers;
    }
}
