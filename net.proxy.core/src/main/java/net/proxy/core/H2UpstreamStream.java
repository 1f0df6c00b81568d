package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import net.proxy.core.internal.EventClock;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpHeaders;
import net.proxy.http.InvalidPseudoHeaderException;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.h2.Http2Conversions;
import net.proxy.l4.StreamDigest;

/**
 * One request on an {@link H2UpstreamConnection}: an HTTP/2 stream (RFC 9113 §8.1), without a channel of its own.
 * The request goes out as HEADERS (END_STREAM when there is no body), DATA, and trailing HEADERS or an empty DATA
 * with END_STREAM; the connection's frame listener hands this session the response frames of its stream, which it
 * reports to the exchange as {@link UpstreamConnection} does for HTTP/1.
 *
 * <p>Flow control: response DATA is not given back to the origin's window when it arrives, but when it has been
 * handed downstream while the exchange is not {@linkplain #pauseReading paused}; while paused the bytes are held
 * and given back on resume. What a slow client costs is thus at most the stream window.
 *
 * <p>Errors reach the exchange only from inbound events (frames, the connection closing, timers) or from a task
 * run later on the loop, never from inside a call the exchange makes (it is then in the middle of sending).
 *
 * <p>[1] RFC 9113 §5.2 Flow Control, §8.1 HTTP Message Framing, §8.7 Request Reliability,
 * https://www.rfc-editor.org/rfc/rfc9113
 */
final class H2UpstreamStream implements UpstreamSession {
    private static final AsciiString TE = AsciiString.cached("te");
    private static final AsciiString TRAILERS = AsciiString.cached("trailers");

    final H2UpstreamConnection conn;
    /** Where this session sits in its connection's list, -1 once it left. */
    int index = -1;

    private Exchange<?> owner;
    private boolean head;
    /** Whether the client's request asked for trailers ({@code TE: trailers}). */
    private boolean teTrailers;
    /** Whether the response's END_STREAM arrived. */
    private boolean responseEnded;

    private Http2Stream stream;
    /** Whether the exchange was told how the response ended (or that it failed), or gave the session up. */
    private boolean done;

    private boolean headReceived;
    private boolean bodyExpected;
    private long contentLength = -1;
    private long received;
    private boolean paused;
    private int held;

    long lastActivity;
    /** Whether the connection will have the exchange flush downstream at the end of the read batch. */
    boolean flushPending;

    private final AttemptTimeouts timeouts = new AttemptTimeouts("on the HTTP/2 stream ");
    private long unwritableSince;
    private boolean unwritable;

    H2UpstreamStream(H2UpstreamConnection conn) {
        this.conn = conn;
        this.lastActivity = EventClock.now(conn.ticker);
    }

    @Override
    public void attach(Exchange<?> exchange, RequestHeader request, HttpPeer peer) {
        owner = exchange;
        this.head = "HEAD".equals(request.method());
        this.teTrailers = request.headers().containsToken("TE", "trailers");
        lastActivity = EventClock.now(conn.ticker);
        timeouts.start(peer, lastActivity);
        conn.arm(nextDeadline());
    }

    @Override
    public PooledConnection connection() {
        return conn;
    }

    @Override
    public StreamDigest digest() {
        return conn.digest;
    }

    /** The stream id, or 0 before the request head went out. */
    int id() {
        return stream == null ? 0 : stream.id();
    }

    // ---- the request ---------------------------------------------------------------------------------------------

    @Override
    public void sendHead(RequestHeader request, boolean endOfStream) {
        if (done) {
            return;
        }
        Http2Headers h = Http2Conversions.toHttp2(request, conn.scheme);
        if (teTrailers) {
            h.set(TE, TRAILERS); // the exchange removed TE as hop-by-hop; gRPC needs it end to end over HTTP/2
        }
        stream = conn.writeHeaders(this, h, endOfStream);
        if (stream == null) {
            return; // failed later, as unprocessed
        }
        lastActivity = EventClock.now(conn.ticker);
        if (endOfStream) {
            conn.flush();
        }
    }

    @Override
    public void sendBody(ByteBuf data) {
        if (done || stream == null) {
            data.release();
            return;
        }
        conn.writeData(stream.id(), data, false);
    }

    @Override
    public void sendEnd(HttpHeaders trailers) {
        if (done || stream == null) {
            return;
        }
        if (trailers != null && !trailers.isEmpty()) {
            conn.writeTrailers(stream.id(), Http2Conversions.toHttp2Trailers(trailers));
        } else {
            conn.writeData(stream.id(), Unpooled.EMPTY_BUFFER, true);
        }
        // the read timeout counts from the end of the request
        lastActivity = EventClock.now(conn.ticker);
    }

    @Override
    public void flush() {
        conn.flush();
    }

    @Override
    public boolean isWritable() {
        return stream == null ? conn.channelWritable() : conn.isWritable(stream);
    }

    /** The origin's window for this stream, or the channel, changed: tells the exchange and watches the write timeout. */
    void writabilityChanged() {
        boolean writable = isWritable();
        if (!writable && !unwritable && owner != null) {
            unwritableSince = EventClock.now(conn.ticker);
            conn.arm(unwritableSince + timeouts.writeNanos());
        }
        unwritable = !writable;
        Exchange<?> ex = owner;
        if (ex != null && !done) {
            ex.upstreamWritabilityChanged(writable);
        }
    }

    @Override
    public void pauseReading(boolean pause) {
        if (paused == pause) {
            return;
        }
        paused = pause;
        if (!pause && held > 0) {
            int n = held;
            held = 0;
            conn.consumeBytes(stream, n);
        }
    }

    @Override
    public boolean isReusable() {
        return conn.isActive() || conn.isDraining();
    }

    /** The exchange gives the request up: resets the stream (CANCEL) if it is open; the connection stays usable. */
    @Override
    public void close() {
        owner = null;
        done = true;
        Http2Stream s = stream;
        if (s == null || s.state() == Http2Stream.State.CLOSED) {
            conn.release(this);
        } else if (!responseEnded || s.state().localSideOpen()) {
            conn.reset(s, Http2Error.CANCEL); // the stream closes, and onStreamClosed frees the slot
        }
        // else the response's END_STREAM is being read: the stream closes when the frame listener returns
    }

    // ---- the response, from the connection's frame listener ------------------------------------------------------

    void onHeaders(Http2Headers headers, boolean endOfStream) {
        if (done || owner == null) {
            return;
        }
        lastActivity = EventClock.now(conn.ticker);
        if (headReceived) {
            if (!endOfStream) {
                protocolError("trailers without END_STREAM");
                return;
            }
            HttpHeaders trailers;
            try {
                trailers = Http2Conversions.toTrailers(headers);
            } catch (InvalidPseudoHeaderException e) {
                protocolError("response trailers: " + e.getMessage());
                return;
            }
            if (contentLength >= 0 && received != contentLength) {
                lengthMismatch();
                return;
            }
            Exchange<?> ex = owner;
            done = true;
            responseEnded = true;
            if (bodyExpected) {
                ex.onResponseBody(null, true, trailers);
            }
            ex.onResponseComplete();
            return;
        }
        ResponseHeader response;
        try {
            response = Http2Conversions.toResponseHeader(headers);
        } catch (InvalidPseudoHeaderException e) {
            protocolError("response head: " + e.getMessage());
            return;
        }
        int status = response.status();
        if (status == 101) {
            protocolError("status 101 is not allowed in HTTP/2 (RFC 9113 §8.6)");
            return;
        }
        HttpHeaders h = response.headers();
        HopByHop.strip(h);
        Exchange<?> ex = owner;
        if (status < 200) {
            if (endOfStream) {
                protocolError("an interim response (" + status + ") with END_STREAM");
                return;
            }
            ex.onInformational(response);
            conn.flushLater(this);
            return;
        }
        headReceived = true;
        bodyExpected = !head && status != 204 && status != 304;
        String length = h.get("Content-Length");
        if (length != null && bodyExpected) {
            try {
                contentLength = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                contentLength = -2;
            }
            if (contentLength < 0) {
                protocolError("content-length: " + length);
                return;
            }
        }
        BodyFraming.Kind framing;
        if (!bodyExpected) {
            framing = BodyFraming.Kind.NONE;
        } else if (endOfStream) {
            if (contentLength > 0) {
                lengthMismatch();
                return;
            }
            // an HTTP/1.1 client would read a response without length as close-delimited
            h.set("Content-Length", "0");
            framing = BodyFraming.Kind.NONE;
        } else {
            framing = contentLength >= 0 ? BodyFraming.Kind.CONTENT_LENGTH : BodyFraming.Kind.CHUNKED;
        }
        responseEnded = endOfStream;
        ex.onResponseHead(response, framing, 0);
        conn.flushLater(this);
        if (endOfStream && owner == ex && !done) {
            done = true;
            ex.onResponseComplete();
        }
    }

    /**
     * A DATA frame of the response; returns how many bytes to give back to the window now (all of them unless the
     * exchange paused reading).
     */
    int onData(ByteBuf data, int padding, boolean endOfStream) {
        int n = data.readableBytes();
        if (done || owner == null) {
            return n + padding;
        }
        lastActivity = EventClock.now(conn.ticker);
        if (!headReceived) {
            protocolError("DATA before the response head");
            return n + padding;
        }
        received += n;
        if (contentLength >= 0 && (received > contentLength || endOfStream && received != contentLength)) {
            lengthMismatch();
            return n + padding;
        }
        Exchange<?> ex = owner;
        responseEnded = endOfStream;
        if (!bodyExpected) {
            if (endOfStream) {
                done = true;
                ex.onResponseComplete();
            }
            return n + padding;
        }
        if (n > 0 || endOfStream) {
            // the listener's buffer is released when it returns: the exchange gets its own reference
            ex.onResponseBody(n > 0 ? data.retainedSlice() : null, endOfStream, null);
            conn.flushLater(this);
        }
        if (endOfStream && owner == ex && !done) {
            done = true;
            ex.onResponseComplete();
            return n + padding;
        }
        if (paused) {
            held += n + padding;
            return 0;
        }
        return n + padding;
    }

    /** The read batch ended: the exchange sends what it wrote downstream. */
    void flushDownstream() {
        flushPending = false;
        Exchange<?> ex = owner;
        if (ex != null) {
            ex.flushDownstream();
        }
    }

    /** The origin reset the stream. */
    void onReset(long errorCode) {
        if (done || owner == null) {
            return;
        }
        if (errorCode == Http2Error.REFUSED_STREAM.code()) {
            fail(ProxyError.of(
                            ErrorKind.CONNECTION_CLOSED,
                            ErrorSource.UPSTREAM,
                            "the origin refused the stream (REFUSED_STREAM): the request was not processed")
                    .retry(ProxyError.Retry.UNPROCESSED));
            return;
        }
        fail(ProxyError.of(
                ErrorKind.CONNECTION_CLOSED,
                ErrorSource.UPSTREAM,
                "the origin reset the stream (" + errorName(errorCode) + ")"
                        + (headReceived ? " inside the response body" : " before the response head")));
    }

    /** Reports {@code e} (the stream is gone or about to be) unless the exchange was told how the request ended. */
    void fail(ProxyError e) {
        Exchange<?> ex = owner;
        if (done || ex == null) {
            return;
        }
        done = true;
        owner = null;
        ex.onUpstreamError(this, e);
        if (stream == null) {
            conn.release(this);
        }
    }

    /** {@link #fail} in a later task of the loop: for failures found while the exchange is calling this session. */
    void failLater(ProxyError e) {
        Exchange<?> ex = owner;
        if (done || ex == null) {
            return;
        }
        done = true;
        conn.execute(() -> {
            if (owner == ex) {
                owner = null;
                ex.onUpstreamError(this, e);
            }
            if (stream == null) {
                conn.release(this);
            }
        });
    }

    /** A response this session cannot pass on: resets the stream (PROTOCOL_ERROR) and fails the request for good. */
    private void protocolError(String what) {
        Http2Stream s = stream;
        fail(ProxyError.of(ErrorKind.INVALID_HTTP_HEADER, ErrorSource.UPSTREAM, "HTTP/2 response: " + what));
        if (s != null) {
            conn.reset(s, Http2Error.PROTOCOL_ERROR);
        }
    }

    private void lengthMismatch() {
        Http2Stream s = stream;
        fail(ProxyError.of(
                ErrorKind.INVALID_BODY,
                ErrorSource.UPSTREAM,
                "HTTP/2 response: content-length " + contentLength + " but "
                        + (received > contentLength ? "more" : received + " bytes") + " of DATA"));
        if (s != null) {
            conn.reset(s, Http2Error.PROTOCOL_ERROR);
        }
    }

    /** Whether the exchange still waits on this session (it has not been told how the request ended). */
    boolean isOpen() {
        return !done && owner != null;
    }

    /** Whether response bytes already reached the exchange (a failure now can no longer be retried). */
    boolean headReceived() {
        return headReceived;
    }

    /** The earliest of this request's deadlines (read, write while blocked, attempt). */
    long nextDeadline() {
        return timeouts.next(lastActivity, unwritable ? unwritableSince : 0);
    }

    /** Fails the request if one of its deadlines passed at {@code now}; returns whether it did. */
    boolean expire(long now) {
        if (!isOpen()) {
            return false;
        }
        ProxyError e = timeouts.expired(now, lastActivity, unwritable ? unwritableSince : 0);
        if (e == null) {
            return false;
        }
        Http2Stream s = stream;
        fail(e);
        if (s != null) {
            conn.reset(s, Http2Error.CANCEL);
        }
        return true;
    }

    /** The Netty stream closed (both ends done, or reset): the slot is free. */
    void onStreamClosed() {
        if (isOpen()) {
            // the stream closed under a request that was not told how it ended: a reset the listener did not see
            failLater(ProxyError.of(
                    ErrorKind.CONNECTION_CLOSED, ErrorSource.UPSTREAM, "the HTTP/2 stream closed before the response"));
        }
        conn.release(this);
    }

    static String errorName(long code) {
        Http2Error e = Http2Error.valueOf(code);
        return e == null ? "error code " + code : e.name();
    }

    @Override
    public String toString() {
        return "stream " + id() + " of " + conn;
    }
}
