package net.proxy.core;

import io.netty.buffer.ByteBuf;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpHeaders;
import net.proxy.http.ResponseHeader;

/**
 * Writes one request's response downstream in the wire format of the downstream protocol: the only place response
 * bytes are made. {@link Http1ResponseWriter} frames HTTP/1 (status line, {@code Connection}, chunked or length or
 * close-delimited bodies, chunked trailers); an HTTP/2 stream writes HEADERS and DATA frames; a background
 * subrequest discards. Called by the {@link Exchange} on its event loop, in this order: {@link #informational}
 * (any number), {@link #head}, {@link #body} (any number), {@link #end}.
 */
interface ResponseWriter {
    /** Starts a new request's response (resets per-request state). */
    void start(ExchangeSession exchange);

    /** An interim (1xx) response, hop-by-hop fields removed; a {@code 100 Continue} goes out only when asked for. */
    void informational(ResponseHeader head);

    /**
     * The final response head, hop-by-hop fields removed. {@code framing} is how its source framed the body that
     * follows (the origin's framing; {@code CONTENT_LENGTH} or {@code NONE} for a response the engine or a phase
     * made); a missing {@code Content-Length} means "length unknown". {@code headroom > 0} promises that the whole
     * body follows as one buffer with that many free bytes before its reader index, where the head may be written
     * so both leave in one buffer.
     */
    void head(ResponseHeader head, BodyFraming.Kind framing, int headroom);

    /**
     * A piece of the body: {@code out} to send (ownership passes; null or empty sends nothing but lets a held head
     * go), {@code received} the buffer it arrived in, if any.
     */
    void body(ByteBuf out, ByteBuf received);

    /** Whether trailers can follow this response's body (HTTP/1: only chunked ones; HTTP/2: always). */
    boolean acceptsTrailers();

    /** The response ended, with {@code trailers} when {@link #acceptsTrailers()} (else null). */
    void end(HttpHeaders trailers);

    /** Forgets a head not written yet (the request failed before any body); returns whether there was one. */
    boolean dropPendingHead();
}
