package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.Map;
import net.proxy.core.internal.EventClock;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpParseException;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.h2.Http2Conversions;
import net.proxy.l4.StreamDigest;

/**
 * One HTTP/2 stream of a client connection: the {@link Downstream} of one {@link Exchange} and the writer of its
 * response as HEADERS and DATA frames. Runs on the connection's event loop.
 *
 * <p>Request: the HEADERS are checked and converted ({@link Http2Conversions#toRequestHeader}; the codec already
 * refused uppercase names, connection-specific fields, a TE other than {@code trailers}, a pseudo-header after a
 * regular field and pseudo-headers in trailers, RFC 9113 §8.2–8.3); a malformed request is answered 400 and reset,
 * and never starts an exchange, so nothing of it reaches an origin. The body's framing comes from the frames: none
 * when the HEADERS end the stream, else its {@code content-length} (the codec resets a stream whose DATA disagree
 * with it before the excess is seen), else of unknown length (chunked to an HTTP/1.1 origin).
 *
 * <p>Flow control: request DATA returns to the client's window only once it was handed on while the exchange
 * reads (not {@link #pauseBody paused}); while paused, the window stays closed, so what a client sends ahead of a
 * slow origin is bounded by the stream window. Response DATA goes through the codec's flow controller;
 * {@link #isWritable()} is false while the client's window or the connection's socket buffer is full, and the
 * exchange then stops reading the origin.
 *
 * <p>[1] RFC 9113 §5.1 Stream States, §6.9 Flow Control, §8.1 HTTP Message Framing,
 * https://www.rfc-editor.org/rfc/rfc9113
 */
final class H2Stream implements Downstream, ResponseWriter {
    private final H2ServerConnection conn;
    private final Http2Stream stream;
    private Exchange<?> exchange;
    private ExchangeSession session;
    private BodyFraming framing = BodyFraming.NONE;
    /** Whether the client ended its side (END_STREAM received). */
    private boolean bodyComplete;

    private boolean paused;
    /** Request-body bytes handed on but not returned to the window yet (while paused). */
    private int unconsumed;
    /** The last DATA of the response not written yet: END_STREAM may ride on it. */
    private ByteBuf held;

    private boolean ended;
    private boolean closed;
    private boolean sent100;
    /** When the stream last became unwritable (its write timeout counts from there), or 0 while writable. */
    private long unwritableSince;
    /** A CONNECT's {@code :protocol} (RFC 8441), or null. */
    private String connectProtocol;
    /** The client side of the tunnel a CONNECT (plain or extended) may become; null for other requests. */
    private H2TunnelEnd tunnelEnd;

    H2Stream(H2ServerConnection conn, Http2Stream stream) {
        this.conn = conn;
        this.stream = stream;
    }

    // ---- frames from the connection --------------------------------------------------------------------------

    /** The request HEADERS: starts the exchange, or answers a malformed request 400. */
    void onRequest(Http2Headers headers, boolean endOfStream, long now) {
        CharSequence protocol = headers.get(Http2Headers.PseudoHeaderName.PROTOCOL.value());
        if (protocol != null) {
            // RFC 8441 §4: an extended CONNECT names the resource like a GET (:scheme, :path, :authority) and the
            // protocol to speak on the stream; it becomes that GET plus the switch of protocols
            if (!"CONNECT".contentEquals(headers.method())) {
                refuse(400, ":protocol in a request that is not a CONNECT", headers);
                return;
            }
            headers.remove(Http2Headers.PseudoHeaderName.PROTOCOL.value());
            headers.method("GET");
            connectProtocol = protocol.toString();
        }
        RequestHeader request;
        try {
            request = Http2Conversions.toRequestHeader(headers);
        } catch (HttpParseException e) {
            refuse(400, e.reason(), headers);
            return;
        }
        bodyComplete = endOfStream;
        if (connectProtocol != null || request.isConnect()) {
            tunnelEnd = new H2TunnelEnd(this); // the stream's DATA belongs to the tunnel, not to a request body
        } else if (!endOfStream) {
            CharSequence length = headers.get("content-length");
            framing =
                    length != null ? BodyFraming.contentLength(Long.parseLong(length.toString())) : BodyFraming.CHUNKED;
        }
        Exchange<?> ex = conn.proxy.newExchange(this, conn.pool(), request, framing, now);
        exchange = ex;
        session = ex;
        conn.armTimer(ex.deadline());
        ex.start();
    }

    /**
     * Answers {@code status} with {@code reason} as a short text body, then resets the stream if the client is still
     * sending: {@code PROTOCOL_ERROR} for a malformed request (400, RFC 9113 §8.1.1), {@code NO_ERROR} for one a
     * limit refused (429); no exchange runs. A gRPC call ({@code POST} with a gRPC {@code content-type}) gets a
     * trailers-only response instead, with the status of {@link GrpcStatus#fromHttpStatus} (400 {@code INTERNAL},
     * 429 {@code RESOURCE_EXHAUSTED}) and {@code reason} as its message.
     */
    void refuse(int status, String reason, Http2Headers request) {
        ChannelHandlerContext ctx = conn.ctx();
        if (isGrpc(request)) {
            GrpcStatus g = GrpcStatus.of(GrpcStatus.fromHttpStatus(status).code(), "proxy: " + reason);
            Http2Headers h = new DefaultHttp2Headers();
            h.status("200");
            h.set("content-type", "application/grpc");
            h.setInt("grpc-status", g.code().value());
            h.set("grpc-message", g.encodedMessage());
            conn.encoder().writeHeaders(ctx, stream.id(), h, 0, true, ctx.voidPromise());
        } else {
            Http2Headers h = new DefaultHttp2Headers();
            h.status(Integer.toString(status));
            h.set("content-type", "text/plain; charset=utf-8");
            h.set("cache-control", "private, no-store");
            ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), reason + "\n");
            h.setInt("content-length", body.readableBytes());
            conn.encoder().writeHeaders(ctx, stream.id(), h, 0, false, ctx.voidPromise());
            conn.encoder().writeData(ctx, stream.id(), body, 0, true, ctx.voidPromise());
        }
        ended = true;
        if (stream.state() == Http2Stream.State.OPEN) {
            // a malformed request is a stream error (RFC 9113 §8.1.1); one refused by a limit was answered in full
            conn.reset(stream, status == 400 ? Http2Error.PROTOCOL_ERROR : Http2Error.NO_ERROR);
        }
        conn.flushSoon();
    }

    private static boolean isGrpc(Http2Headers request) {
        CharSequence method = request.method();
        return method != null && "POST".contentEquals(method) && Grpc.isGrpcContentType(request.get("content-type"));
    }

    /** Request DATA; returns the bytes to give back to the window now. */
    int onData(ByteBuf data, int padding, boolean endOfStream) {
        int n = data.readableBytes();
        Exchange<?> ex = exchange;
        if (endOfStream) {
            bodyComplete = true;
        }
        if (tunnelEnd != null) {
            if (ex == null || ex.isFinished()) {
                return n + padding;
            }
            tunnelEnd.fromClient(data.retain(), endOfStream);
            if (paused) {
                unconsumed += n;
                return padding;
            }
            return n + padding;
        }
        if (ex == null || ex.isFinished() || !framing.hasBody()) {
            return n + padding; // nobody reads it (answered already, or no body was announced and none came)
        }
        if (n == 0 && !endOfStream) {
            return padding;
        }
        ex.requestBody(n == 0 ? null : data.retain(), endOfStream, null);
        conn.flushUpstreamSoon(this);
        if (paused) {
            unconsumed += n;
            return padding;
        }
        return n + padding;
    }

    /** HEADERS after the request's: its trailers (they must end the stream). */
    void onTrailers(Http2Headers headers, boolean endOfStream) {
        if (!endOfStream) {
            conn.reset(stream, Http2Error.PROTOCOL_ERROR); // RFC 9113 §8.1: trailers end the stream
            return;
        }
        bodyComplete = true;
        Exchange<?> ex = exchange;
        if (ex == null || ex.isFinished() || !framing.hasBody()) {
            return;
        }
        HttpHeaders trailers = HttpHeaders.create();
        try {
            for (Map.Entry<CharSequence, CharSequence> e : headers) {
                trailers.add(e.getKey().toString(), e.getValue().toString());
            }
        } catch (IllegalArgumentException e) {
            ex.abort(ProxyError.status(400, ErrorSource.DOWNSTREAM, "request trailers: " + e.getMessage()));
            conn.reset(stream, Http2Error.PROTOCOL_ERROR);
            return;
        }
        ex.requestBody(null, true, trailers);
        conn.flushUpstreamSoon(this);
    }

    /** Flushes what the exchange wrote upstream of the request body (once per read of the connection). */
    void flushUpstream() {
        Exchange<?> ex = exchange;
        if (ex != null) {
            ex.flushUpstream();
        }
    }

    /** The client reset the stream. */
    void onReset(long errorCode) {
        // RFC 9113 §5.4.2: no RST_STREAM in response to a RST_STREAM. The exchange ending now must not reset the
        // stream, nor may Netty when it fails the response DATA still queued for the client's window as it closes
        // the stream after this returns: marked as reset already, the stream gets no RST_STREAM from either
        closed = true;
        stream.resetSent();
        Exchange<?> ex = exchange;
        Tunnel<?> t = tunnelEnd == null ? null : tunnelEnd.tunnel();
        if (t != null) {
            t.closed();
        } else if (ex != null) {
            ex.abort(ProxyError.of(
                    ErrorKind.CONNECTION_CLOSED,
                    ErrorSource.DOWNSTREAM,
                    "client reset the stream (" + Http2Error.valueOf(errorCode) + ")"));
        }
    }

    /** The stream closed (both sides ended, a reset, or the connection closed). */
    void onClosed() {
        closed = true;
        if (held != null) {
            held.release();
            held = null;
        }
        Exchange<?> ex = exchange;
        if (tunnelEnd != null) {
            tunnelEnd.release();
            if (tunnelEnd.tunnel() != null) {
                tunnelEnd.tunnel().closed();
                return;
            }
        }
        if (ex != null && !ended) {
            ex.abort(ProxyError.of(ErrorKind.CONNECTION_CLOSED, ErrorSource.DOWNSTREAM, "the client's stream closed"));
        }
    }

    /** The client's window for this stream, or the connection's writability, changed. */
    void writabilityChanged() {
        Exchange<?> ex = exchange;
        if (ex == null) {
            return;
        }
        boolean writable = isWritable();
        if (tunnelEnd != null && tunnelEnd.tunnel() != null) {
            tunnelEnd.tunnel().clientWritable(writable);
            return;
        }
        if (writable) {
            unwritableSince = 0;
        } else if (unwritableSince == 0) {
            unwritableSince = EventClock.now(conn.settings.ticker);
            conn.armTimer(unwritableSince + conn.settings.writeTimeoutNanos);
        }
        ex.downstreamWritabilityChanged(writable);
    }

    // ---- Downstream ------------------------------------------------------------------------------------------

    @Override
    public EventLoop loop() {
        return conn.loop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return conn.channel().alloc();
    }

    @Override
    public StreamDigest digest() {
        return conn.digest();
    }

    @Override
    public ResponseWriter responseWriter() {
        return this;
    }

    @Override
    public void flush() {
        if (held != null && !ended) {
            writeData(held, false);
            held = null;
        }
        conn.flushSoon();
    }

    @Override
    public boolean isWritable() {
        return !closed
                && conn.channel().isWritable()
                && conn.encoder().flowController().isWritable(stream);
    }

    @Override
    public void pauseBody(boolean pause) {
        paused = pause;
        if (!pause && unconsumed > 0) {
            int n = unconsumed;
            unconsumed = 0;
            conn.consume(stream, n);
        }
    }

    @Override
    public boolean canKeepAlive() {
        return true; // keep-alive is the connection's business; a stream carries one request
    }

    @Override
    public void forceClose() {
        // a stream whose response did not end is reset in exchangeDone
    }

    /** GOAWAY: the connection takes no new streams and closes when the open ones end (Session.keepAlive). */
    @Override
    public void keepAliveRefused() {
        conn.shutdown();
    }

    @Override
    public String connectProtocol() {
        return connectProtocol;
    }

    /** A tunnel's end for a CONNECT stream; null otherwise (HTTP/2 has no Upgrade, RFC 9113 §8.6). */
    @Override
    public TunnelEnd tunnelEnd() {
        return tunnelEnd;
    }

    @Override
    public void startTunnel(Tunnel<?> tunnel) {
        conn.armTimer(tunnel.idleDeadline());
        tunnelEnd.open(tunnel);
    }

    /** Tunnel bytes for the client as DATA (ownership passes); {@code end} sends END_STREAM. */
    void tunnelData(ByteBuf data, boolean end) {
        if (closed || ended) {
            data.release();
            return;
        }
        if (end) {
            ended = true;
        }
        writeData(data, end);
    }

    @Override
    public boolean requestBodyComplete() {
        return bodyComplete;
    }

    @Override
    public void exchangeDone(Exchange<?> ex, boolean keepAlive) {
        if (exchange != ex) {
            return;
        }
        exchange = null;
        if (held != null) {
            held.release();
            held = null;
        }
        if (!closed) {
            if (!ended) {
                ended = true;
                conn.reset(stream, Http2Error.INTERNAL_ERROR); // the response broke off
            } else if (!bodyComplete) {
                conn.reset(stream, Http2Error.NO_ERROR); // answered: the client may stop sending (§8.1)
            }
        }
        if (unconsumed > 0) {
            int n = unconsumed;
            unconsumed = 0;
            conn.consume(stream, n); // give the connection window back
        }
        conn.flushSoon();
    }

    // ---- ResponseWriter --------------------------------------------------------------------------------------

    @Override
    public void start(ExchangeSession exchange) {
        session = exchange;
    }

    @Override
    public void informational(ResponseHeader head) {
        if (closed || ended) {
            return;
        }
        int status = head.status();
        if (status == 100) {
            if (!session.request.expectsContinue() || sent100) {
                return;
            }
            sent100 = true;
        } else if (status == 101) {
            return; // HTTP/2 has no protocol switch (RFC 9113 §8.6)
        }
        ChannelHandlerContext ctx = conn.ctx();
        conn.encoder().writeHeaders(ctx, stream.id(), Http2Conversions.toHttp2(head), 0, false, ctx.voidPromise());
        conn.flushSoon();
    }

    @Override
    public void head(ResponseHeader head, BodyFraming.Kind kind, int headroom) {
        if (closed || ended) {
            return;
        }
        if (kind == BodyFraming.Kind.TUNNEL) {
            // RFC 8441 §5: an accepted extended CONNECT is a 200 (the origin's 101 and its handshake fields stay
            // on the HTTP/1.1 side); the stream stays open for the tunnel's DATA
            if (head.status() == 101) {
                head.status(200);
                head.headers().remove("Sec-WebSocket-Accept");
            }
            ChannelHandlerContext ctx = conn.ctx();
            conn.encoder().writeHeaders(ctx, stream.id(), Http2Conversions.toHttp2(head), 0, false, ctx.voidPromise());
            return;
        }
        int status = head.status();
        boolean noBody = kind == BodyFraming.Kind.NONE
                || "HEAD".equals(session.request.method())
                || status == 204
                || status == 304;
        ChannelHandlerContext ctx = conn.ctx();
        conn.encoder().writeHeaders(ctx, stream.id(), Http2Conversions.toHttp2(head), 0, noBody, ctx.voidPromise());
        if (noBody) {
            ended = true;
        }
    }

    @Override
    public void body(ByteBuf out, ByteBuf received) {
        if (out == null) {
            return;
        }
        if (closed || ended || !out.isReadable()) {
            out.release();
            return;
        }
        if (held != null) {
            writeData(held, false);
        }
        held = out;
    }

    @Override
    public boolean acceptsTrailers() {
        return true;
    }

    @Override
    public void end(HttpHeaders trailers) {
        if (closed || ended) {
            return;
        }
        ended = true;
        ChannelHandlerContext ctx = conn.ctx();
        if (trailers != null && !trailers.isEmpty()) {
            if (held != null) {
                writeData(held, false);
                held = null;
            }
            Http2Headers h = new DefaultHttp2Headers();
            for (int i = 0; i < trailers.size(); i++) {
                h.add(trailers.name(i).toLowerCase(java.util.Locale.ROOT), trailers.value(i));
            }
            conn.encoder().writeHeaders(ctx, stream.id(), h, 0, true, ctx.voidPromise());
            return;
        }
        ByteBuf last = held != null ? held : Unpooled.EMPTY_BUFFER;
        held = null;
        writeData(last, true);
    }

    @Override
    public boolean dropPendingHead() {
        return false;
    }

    private void writeData(ByteBuf data, boolean endOfStream) {
        ChannelHandlerContext ctx = conn.ctx();
        conn.encoder().writeData(ctx, stream.id(), data, 0, endOfStream, ctx.voidPromise());
    }

    // ---- timeouts (checked by the connection's timer) ---------------------------------------------------------

    /**
     * Ends the exchange if its total timeout passed, or if the client took no response bytes for the write timeout;
     * returns the stream's next deadline, or {@link Long#MAX_VALUE} for none.
     */
    long checkTimeouts(long now) {
        Exchange<?> ex = exchange;
        if (ex == null) {
            return Long.MAX_VALUE;
        }
        Tunnel<?> t = tunnelEnd == null ? null : tunnelEnd.tunnel();
        if (t != null) {
            long deadline = t.checkIdle(now);
            return t.isFinished() ? Long.MAX_VALUE : deadline;
        }
        long deadline = ExchangeTimeouts.check(ex, now, closed ? 0 : unwritableSince, conn.settings.writeTimeoutNanos);
        return deadline == ExchangeTimeouts.WRITE_TIMED_OUT || deadline == ExchangeTimeouts.DEADLINE_PASSED
                ? Long.MAX_VALUE
                : deadline;
    }
}
