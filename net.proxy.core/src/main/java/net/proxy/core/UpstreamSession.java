package net.proxy.core;

import io.netty.buffer.ByteBuf;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.l4.StreamDigest;

/**
 * One request's side of an upstream connection, as the protocol-neutral {@link Exchange} drives it: an HTTP/1
 * connection carrying one request at a time ({@link UpstreamConnection}), or a stream of a multiplexed HTTP/2
 * connection. The session writes the request in its protocol's wire format and reports the response to the
 * exchange it is {@linkplain #attach attached} to: {@code onInformational}, {@code onResponseHead} (hop-by-hop
 * fields removed), {@code onResponseBody}, {@code onResponseComplete}, or {@code onUpstreamError}. All calls happen
 * on the exchange's event loop.
 */
interface UpstreamSession {
    /** Takes the session for one request to {@code peer}; {@code request}'s method decides the response framing. */
    void attach(Exchange<?> exchange, RequestHeader request, HttpPeer peer);

    /** The connection this session runs on: the HTTP/1 connection itself, or the HTTP/2 connection of a stream. */
    PooledConnection connection();

    /** What the connector learnt about the connection: addresses, timing, TLS. */
    StreamDigest digest();

    /**
     * Sends the request head (the exchange's copy, hop-by-hop fields removed, after {@code upstreamRequestFilter});
     * {@code endOfStream} when no body follows, and the request is then flushed at once. A body of unknown length
     * (no {@code Content-Length}) is framed as the protocol allows (chunked on HTTP/1.1).
     */
    void sendHead(RequestHeader head, boolean endOfStream);

    /** Sends a non-empty piece of the request body (ownership passes); flushed by {@link #flush()}. */
    void sendBody(ByteBuf data);

    /** Ends the request body, with {@code trailers} when there are any (null: none). */
    void sendEnd(HttpHeaders trailers);

    /** Flushes what was sent. */
    void flush();

    /** Whether the origin keeps up with the request body (false: stop reading the client until it does). */
    boolean isWritable();

    /** Stops or resumes reading the response because the client is slow. */
    void pauseReading(boolean pause);

    /** Whether the connection can carry another request after this one ends cleanly. */
    boolean isReusable();

    /** Aborts the request: the connection is closed (HTTP/1) or the stream reset (HTTP/2). */
    void close();
}
