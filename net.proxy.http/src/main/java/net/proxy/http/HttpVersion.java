package net.proxy.http;

/** The HTTP versions a {@link RequestHeader} or {@link ResponseHeader} can carry. */
public enum HttpVersion {
    /** HTTP/1.0: keep-alive only on request, no Transfer-Encoding, Host optional. */
    HTTP_1_0("HTTP/1.0"),
    /** HTTP/1.1 (RFC 9112). */
    HTTP_1_1("HTTP/1.1"),
    /** HTTP/2 (RFC 9113): a head converted from HEADERS; serialized as HTTP/1.1 on an HTTP/1 connection. */
    HTTP_2("HTTP/2");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /**
     * Returns the version as written in a start line, e.g. {@code "HTTP/1.1"}.
     *
     * @return the protocol text
     */
    public String text() {
        return text;
    }
}
