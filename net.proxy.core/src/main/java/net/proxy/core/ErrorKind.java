package net.proxy.core;

/**
 * What went wrong, independent of where ({@link ErrorSource}). The kind and the source together give the
 * status code the proxy answers with by default (see {@link ProxyError#defaultStatus()}).
 */
public enum ErrorKind {
    /** No upstream could be chosen (empty or all-unhealthy backend set). */
    NO_UPSTREAM(false),
    /** The TCP connect did not finish within the connect timeout. */
    CONNECT_TIMEOUT(true),
    /** The peer refused the connection (RST on SYN). */
    CONNECT_REFUSED(false),
    /** Any other failure to establish a transport connection. */
    CONNECT_ERROR(false),
    /** The TLS handshake with the peer failed (certificate, protocol, alert). */
    TLS_HANDSHAKE_FAILURE(false),
    /** A request or response head that does not parse, or violates a limit. */
    INVALID_HTTP_HEADER(false),
    /** A body whose framing is broken (chunk syntax, premature end of a sized body). */
    INVALID_BODY(false),
    /** Reading from a socket failed. */
    READ_ERROR(false),
    /** Writing to a socket failed. */
    WRITE_ERROR(false),
    /** Nothing was read within the read timeout. */
    READ_TIMEOUT(true),
    /** A write did not complete within the write timeout. */
    WRITE_TIMEOUT(true),
    /** The whole exchange took longer than the total timeout. */
    TOTAL_TIMEOUT(true),
    /** The peer closed the connection before the exchange was complete. */
    CONNECTION_CLOSED(false),
    /** The exchange should end with a specific HTTP status ({@link ProxyError#status()}). */
    HTTP_STATUS(false),
    /** A user filter failed or something else inside the proxy went wrong. */
    INTERNAL_ERROR(false);

    private final boolean timeout;

    ErrorKind(boolean timeout) {
        this.timeout = timeout;
    }

    /** Whether this kind is a timeout (answered with 504 when it comes from upstream). */
    public boolean isTimeout() {
        return timeout;
    }
}
