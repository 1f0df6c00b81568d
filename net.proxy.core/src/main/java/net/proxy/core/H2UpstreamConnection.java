package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import net.proxy.core.internal.EventClock;
import net.proxy.core.internal.LazyTimer;
import net.proxy.http.HttpLimits;
import net.proxy.l4.StreamDigest;

/**
 * One HTTP/2 connection to an origin (RFC 9113), carrying many requests at once as {@link H2UpstreamStream}s: the
 * proxy's HTTP/2 client. It is Netty's low-level {@link Http2ConnectionHandler} with {@link H2UpstreamFrames} as the
 * frame listener, so a stream costs one small object and no channel of its own.
 *
 * <p>Lifecycle: the connection sends its preface and SETTINGS (push off, our stream window, frame size and header
 * list size) and a WINDOW_UPDATE for the connection window, and is ready when the origin's first SETTINGS arrive;
 * from then on it hands out up to {@code min(our maxH2Streams, the origin's SETTINGS_MAX_CONCURRENT_STREAMS)}
 * streams. It stays in the {@link UpstreamPool} while it is open and not going away, full or not. A GOAWAY retires
 * it: it leaves the pool, starts no stream, fails the streams above the GOAWAY's last stream id as unprocessed (so
 * they are retried elsewhere, RFC 9113 §6.8) and closes when its last stream ends. With no streams it closes after
 * the peer's idle timeout.
 *
 * <p>One timer per connection on the loop's wheel serves every deadline: the first SETTINGS (the peer's connect
 * timeout), each stream's read, write and attempt timeouts, the keep-alive PING and its 5 s answer, and the idle
 * timeout. When it fires, the connection looks at each of its (at most {@code maxH2Streams}) streams.
 *
 * <p>Threading: the channel must live on the pool's event loop (the exchange then runs where Netty's HTTP/2 state
 * does); a virtual transport that hands over channels of another loop is refused for HTTP/2 by the pool.
 *
 * <p>[1] RFC 9113 §5.1.2 Stream Concurrency, §6.5 SETTINGS, §6.7 PING, §6.8 GOAWAY, §6.9 WINDOW_UPDATE,
 * https://www.rfc-editor.org/rfc/rfc9113
 */
final class H2UpstreamConnection extends Http2ConnectionHandler implements PooledConnection {
    private static final System.Logger LOG = System.getLogger(H2UpstreamConnection.class.getName());

    /** What the pool learns once the connection is ready, or that it never will be. */
    interface Ready {
        /** The origin's first SETTINGS arrived: streams may be opened. */
        void ready(H2UpstreamConnection c);

        /** The connection failed before it was ready. */
        void failed(ProxyError e);
    }

    private final UpstreamPool pool;
    private final HttpPeer peer;
    final HttpPeer.PoolKey key;
    final StreamDigest digest;
    final LongSupplier ticker;
    /** {@code :scheme} of the requests: https on TLS, else http. */
    final String scheme;

    private final H2Options options;
    private final Http2Connection.PropertyKey sessionKey;
    private final ArrayList<H2UpstreamStream> sessions = new ArrayList<>(8);
    /** Streams that passed response bytes to their exchange during the current read batch. */
    private final ArrayList<H2UpstreamStream> toFlush = new ArrayList<>(8);

    private ChannelHandlerContext ctx;
    private LazyTimer timer;

    private Ready onReady;
    private long readyDeadline;
    private boolean settingsReceived;
    /** Streams this connection may carry at once: ours and the origin's limit, the smaller. */
    private int limit;

    private boolean goingAway;
    private boolean closed;
    private boolean pooled;
    private long idleNanos;
    private long idleSince;

    private long pingSentAt;
    private boolean pingOutstanding;
    private long pingPayload;
    private long lastPingAt;

    /** Why the connection is closing, for the streams it fails: kind, message, cause, whether never retryable. */
    private ErrorKind closeKind;

    private String closeWhy;
    private Throwable closeCause;
    /** Whether the close came from a protocol error (never retried) rather than I/O or a timeout. */
    private boolean closeProtocolError;

    /** Streams handed out over the connection's life (for tests and statistics). */
    long streamsOpened;

    private H2UpstreamConnection(
            Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings, Builder b) {
        super(decoder, encoder, settings);
        this.pool = b.pool;
        this.peer = b.peer;
        this.key = b.peer.poolKey();
        this.options = b.peer.h2();
        this.digest = b.digest;
        this.ticker = b.pool.ticker();
        this.scheme = b.digest.tls() != null ? "https" : "http";
        this.sessionKey = connection().newKey();
        decoder.frameListener(new H2UpstreamFrames(this));
        encoder.flowController().listener(stream -> {
            H2UpstreamStream s = stream.getProperty(sessionKey);
            if (s != null) {
                s.writabilityChanged();
            }
        });
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                H2UpstreamStream s = stream.getProperty(sessionKey);
                if (s != null) {
                    s.onStreamClosed();
                }
            }
        });
    }

    /** Makes the handler for a new connection to {@code peer}, with the peer's HTTP/2 settings. */
    static H2UpstreamConnection create(UpstreamPool pool, HttpPeer peer, StreamDigest digest, HttpLimits limits) {
        return new Builder(pool, peer, digest, limits).build();
    }

    /** Netty's handler builder, set up as the proxy's HTTP/2 client. */
    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<H2UpstreamConnection, Builder> {
        final UpstreamPool pool;
        final HttpPeer peer;
        final StreamDigest digest;

        Builder(UpstreamPool pool, HttpPeer peer, StreamDigest digest, HttpLimits limits) {
            this.pool = pool;
            this.peer = peer;
            this.digest = digest;
            H2Options o = peer.h2();
            server(false);
            initialSettings(new Http2Settings()
                    .pushEnabled(false)
                    .maxConcurrentStreams(0) // the origin may not open streams to us (push is off)
                    .initialWindowSize(o.streamWindow())
                    .maxFrameSize(o.maxFrameSize())
                    .maxHeaderListSize(limits.maxHeadSize()));
            gracefulShutdownTimeoutMillis(0);
        }

        @Override
        protected H2UpstreamConnection build(
                Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            return new H2UpstreamConnection(decoder, encoder, settings, this);
        }

        @Override
        protected H2UpstreamConnection build() {
            return super.build();
        }
    }

    /** Reports readiness (or failure) to {@code r}; the origin's first SETTINGS must come within the connect timeout. */
    void onReady(Ready r) {
        onReady = r;
        readyDeadline = EventClock.now(ticker) + peer.l4().connectTimeout().toNanos();
        if (timer != null) {
            timer.arm(readyDeadline);
        }
    }

    /** The channel closed before this handler was added: reports that to whoever waits for readiness. */
    void closedBeforeUse() {
        Ready r = onReady;
        onReady = null;
        closed = true;
        if (r != null) {
            r.failed(ProxyError.of(
                    ErrorKind.CONNECT_ERROR, ErrorSource.UPSTREAM, "stream closed before use: " + peer.address()));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx); // sends the preface and our SETTINGS
        this.ctx = ctx;
        timer = new LazyTimer(pool.timers().wheel(ctx.channel().eventLoop()), this::onTimer);
        int grow = options.connectionWindow() - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
        if (grow > 0) {
            decoder().flowController().incrementWindowSize(connection().connectionStream(), grow);
        }
        lastPingAt = EventClock.now(ticker);
        if (onReady != null) {
            timer.arm(readyDeadline);
        }
        ctx.flush();
    }

    // ---- PooledConnection ----------------------------------------------------------------------------------------

    @Override
    public boolean multiplexed() {
        return true;
    }

    @Override
    public UpstreamSession newSession() {
        if (!isActive() || sessions.size() >= limit) {
            return null;
        }
        H2UpstreamStream s = new H2UpstreamStream(this);
        s.index = sessions.size();
        sessions.add(s);
        streamsOpened++;
        pool.h2Streams++;
        return s;
    }

    @Override
    public boolean isActive() {
        return settingsReceived && !goingAway && !closed && ctx.channel().isActive();
    }

    /** Whether the connection is retiring (GOAWAY) but still carries streams. */
    boolean isDraining() {
        return goingAway && !closed;
    }

    /** Streams in use now. */
    int activeStreams() {
        return sessions.size();
    }

    /** Streams this connection may carry at once (0 before the origin's SETTINGS). */
    int streamLimit() {
        return limit;
    }

    @Override
    public void enterPool(long idleNanos) {
        pooled = true;
        this.idleNanos = idleNanos;
        if (sessions.isEmpty()) {
            idleSince = EventClock.now(ticker);
            arm(idleSince + idleNanos);
        }
    }

    @Override
    public void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    /** No new streams from now; closes once the last one ends (a graceful stop). */
    @Override
    public void closeWhenIdle() {
        retire();
        if (sessions.isEmpty()) {
            close();
        }
    }

    private void retire() {
        goingAway = true;
        if (pooled) {
            pooled = false;
            pool.remove(this, key);
        }
    }

    /** A session ended: frees its slot; a retiring connection closes with its last stream, an idle one later. */
    void release(H2UpstreamStream s) {
        int i = s.index;
        if (i < 0) {
            return;
        }
        s.index = -1;
        H2UpstreamStream last = sessions.remove(sessions.size() - 1);
        if (last != s) {
            sessions.set(i, last);
            last.index = i;
        }
        // idle since the stream's last frame (read before its response went downstream), not since this call
        if (s.lastActivity - idleSince > 0) {
            idleSince = s.lastActivity;
        }
        if (sessions.isEmpty() && !closed) {
            if (goingAway || !pooled) {
                close();
            } else {
                arm(idleSince + idleNanos);
            }
        }
    }

    // ---- writes for the streams ----------------------------------------------------------------------------------

    /** Opens a stream for {@code s} with its request head; null if it cannot (then {@code s} fails later, unprocessed). */
    Http2Stream writeHeaders(H2UpstreamStream s, Http2Headers headers, boolean endOfStream) {
        if (closed || goingAway || !ctx.channel().isActive()) {
            s.failLater(unprocessed("the HTTP/2 connection is " + (closed ? "closed" : "going away"), null));
            return null;
        }
        int id = connection().local().incrementAndGetNextStreamId();
        if (id < 0) {
            retire(); // stream ids are used up: a new connection takes the next requests
            s.failLater(unprocessed("the HTTP/2 connection ran out of stream ids", null));
            return null;
        }
        ChannelPromise p = ctx.newPromise();
        encoder().writeHeaders(ctx, id, headers, 0, endOfStream, p);
        Http2Stream stream = connection().stream(id);
        if (stream == null || p.isDone() && !p.isSuccess()) {
            s.failLater(unprocessed("the request head could not be sent", p.cause()));
            return null;
        }
        stream.setProperty(sessionKey, s);
        return stream;
    }

    void writeData(int streamId, ByteBuf data, boolean endOfStream) {
        encoder().writeData(ctx, streamId, data, 0, endOfStream, ctx.voidPromise());
    }

    void writeTrailers(int streamId, Http2Headers trailers) {
        encoder().writeHeaders(ctx, streamId, trailers, 0, true, ctx.voidPromise());
    }

    void flush() {
        flush(ctx);
    }

    boolean channelWritable() {
        return ctx.channel().isWritable();
    }

    boolean isWritable(Http2Stream stream) {
        return encoder().flowController().isWritable(stream);
    }

    /** Gives {@code n} bytes of {@code stream}'s window back to the origin (a WINDOW_UPDATE when enough are due). */
    void consumeBytes(Http2Stream stream, int n) {
        try {
            if (decoder().flowController().consumeBytes(stream, n)) {
                ctx.flush();
            }
        } catch (Http2Exception e) {
            onError(ctx, true, e);
        }
    }

    /** Resets {@code stream} with {@code error} and flushes. */
    void reset(Http2Stream stream, Http2Error error) {
        if (closed) {
            return;
        }
        resetStream(ctx, stream.id(), error.code(), ctx.newPromise());
        ctx.flush();
    }

    void execute(Runnable task) {
        ctx.executor().execute(task);
    }

    /** Makes sure the connection's timer fires no later than {@code deadline}. */
    void arm(long deadline) {
        if (timer != null && !closed) {
            timer.arm(deadline);
        }
    }

    private static ProxyError unprocessed(String why, Throwable cause) {
        return ProxyError.because(ErrorKind.CONNECTION_CLOSED, ErrorSource.UPSTREAM, why, cause)
                .retry(ProxyError.Retry.UNPROCESSED);
    }

    // ---- frames from the origin (H2UpstreamFrames hands them here) ----------------------------------------------

    /** The session of stream {@code streamId}, or null (a stream this side reset or gave up). */
    H2UpstreamStream session(int streamId) {
        Http2Stream stream = connection().stream(streamId);
        return stream == null ? null : stream.getProperty(sessionKey);
    }

    /** The origin's SETTINGS: the stream limit; the first ones make the connection ready. */
    void onSettings(Http2Settings settings) {
        Long max = settings.maxConcurrentStreams();
        if (max != null || !settingsReceived) {
            long origin = max == null ? Integer.MAX_VALUE : Math.min(max, Integer.MAX_VALUE);
            limit = (int) Math.min(options.maxStreams(), origin);
        }
        if (settingsReceived) {
            return;
        }
        settingsReceived = true;
        Ready r = onReady;
        onReady = null;
        if (r == null) {
            return;
        }
        if (limit == 0) {
            r.failed(ProxyError.of(
                    ErrorKind.CONNECT_ERROR,
                    ErrorSource.UPSTREAM,
                    "the origin allows no HTTP/2 streams (SETTINGS_MAX_CONCURRENT_STREAMS 0): " + peer));
            close();
            return;
        }
        r.ready(this);
        armPing();
    }

    /** The answer to a PING. */
    void onPingAck(long data) {
        if (pingOutstanding && data == pingPayload) {
            pingOutstanding = false;
            lastPingAt = EventClock.now(ticker);
            armPing();
        }
    }

    /**
     * The origin is going away: the connection leaves the pool and opens no more streams; streams above
     * {@code lastStreamId} never reached the application and are failed as unprocessed, so their exchanges retry
     * them on another connection (RFC 9113 §6.8, §8.7). Netty closes those streams right after this returns.
     */
    void onGoAway(int lastStreamId, long errorCode) {
        retire();
        for (H2UpstreamStream s : sessions.toArray(new H2UpstreamStream[0])) {
            if (s.id() > lastStreamId) {
                s.fail(unprocessed(
                        "the origin sent GOAWAY (" + H2UpstreamStream.errorName(errorCode) + ", last stream "
                                + lastStreamId + ") before stream " + s.id() + ": the request was not processed",
                        null));
            }
        }
    }

    /** {@code s} passed bytes downstream in this read batch: its exchange flushes them when the batch ends. */
    void flushLater(H2UpstreamStream s) {
        if (!s.flushPending) {
            s.flushPending = true;
            toFlush.add(s);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx); // flushes what the frames made us write (window updates, resets)
        if (!toFlush.isEmpty()) {
            for (int i = 0; i < toFlush.size(); i++) {
                toFlush.get(i).flushDownstream();
            }
            toFlush.clear();
        }
    }

    // ---- errors and the end of the connection --------------------------------------------------------------------

    @Override
    protected void onConnectionError(
            ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
        if (closeKind == null) {
            closeProtocolError = true;
        }
        closingBecause(
                ErrorKind.INVALID_HTTP_HEADER,
                "HTTP/2 connection error" + (http2Ex == null ? "" : " (" + http2Ex.error() + ")"),
                cause);
        super.onConnectionError(ctx, outbound, cause, http2Ex);
    }

    @Override
    protected void onStreamError(
            ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception.StreamException http2Ex) {
        H2UpstreamStream s = session(http2Ex.streamId());
        if (s != null) {
            ProxyError e = ProxyError.because(
                    ErrorKind.INVALID_HTTP_HEADER,
                    ErrorSource.UPSTREAM,
                    "HTTP/2 stream error (" + http2Ex.error() + ")",
                    cause);
            if (outbound) {
                s.failLater(e);
            } else {
                s.fail(e);
            }
        }
        super.onStreamError(ctx, outbound, cause, http2Ex);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        // an I/O error (reset by the origin, TLS failure): the streams learn of it when the channel closes
        closingBecause(ErrorKind.READ_ERROR, "upstream I/O", cause);
        LOG.log(Level.DEBUG, () -> "closing HTTP/2 connection to " + peer + ": " + cause);
        ctx.close();
    }

    private void closingBecause(ErrorKind kind, String why, Throwable cause) {
        if (closeKind == null) {
            closeKind = kind;
            closeWhy = why;
            closeCause = cause;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
        if (pooled) {
            pooled = false;
            pool.remove(this, key);
        }
        Ready r = onReady;
        onReady = null;
        if (r != null) {
            r.failed(ProxyError.because(
                            ErrorKind.CONNECT_ERROR,
                            ErrorSource.UPSTREAM,
                            "the HTTP/2 connection to " + peer + " closed before the origin's SETTINGS",
                            closeCause)
                    .retry(ProxyError.Retry.NEVER));
        }
        for (H2UpstreamStream s : sessions.toArray(new H2UpstreamStream[0])) {
            if (s.isOpen()) {
                s.fail(closeError(s));
            }
        }
        super.channelInactive(ctx);
    }

    /**
     * The error a stream still waiting gets when the connection closes: after a protocol error or inside a
     * response never retried (the request may have been processed, and Pingora's issue #979 retried such a POST);
     * before the response head of a connection that closed, failed or stopped answering PINGs,
     * {@link ProxyError.Retry#REUSED_ONLY} as for HTTP/1 (an idempotent request on a pooled connection is retried;
     * a POST whose bytes went out is not).
     */
    private ProxyError closeError(H2UpstreamStream s) {
        if (closeKind != null) {
            return ProxyError.because(closeKind, ErrorSource.UPSTREAM, closeWhy, closeCause)
                    .retry(
                            closeProtocolError || s.headReceived()
                                    ? ProxyError.Retry.NEVER
                                    : ProxyError.Retry.REUSED_ONLY);
        }
        return ProxyError.of(
                        ErrorKind.CONNECTION_CLOSED,
                        ErrorSource.UPSTREAM,
                        s.headReceived()
                                ? "origin closed the HTTP/2 connection inside the response body"
                                : "origin closed the HTTP/2 connection before the response head")
                .retry(s.headReceived() ? ProxyError.Retry.NEVER : ProxyError.Retry.REUSED_ONLY);
    }

    /** Closes the connection, failing its streams with {@code kind} and {@code why}. */
    private void closeWith(ErrorKind kind, String why) {
        closingBecause(kind, why, null);
        retire();
        close();
    }

    // ---- the timer -----------------------------------------------------------------------------------------------

    private void armPing() {
        if (options.pingIntervalNanos() > 0) {
            arm(lastPingAt + options.pingIntervalNanos());
        }
    }

    private void onTimer() {
        if (closed) {
            return;
        }
        long now = EventClock.now(ticker);
        if (onReady != null) {
            if (now - readyDeadline >= 0) {
                Ready r = onReady;
                onReady = null;
                String why = "no HTTP/2 SETTINGS from the origin within "
                        + TimeUnit.NANOSECONDS.toMillis(
                                peer.l4().connectTimeout().toNanos()) + " ms";
                closeWith(ErrorKind.CONNECT_TIMEOUT, why);
                r.failed(ProxyError.of(ErrorKind.CONNECT_TIMEOUT, ErrorSource.UPSTREAM, why + ": " + peer));
                return;
            }
            arm(readyDeadline);
            return;
        }
        if (pingOutstanding && now - (pingSentAt + H2Options.PING_TIMEOUT_NANOS) >= 0) {
            closeWith(ErrorKind.READ_TIMEOUT, "HTTP/2 PING unanswered for 5000 ms: connection closed");
            return;
        }
        if (!sessions.isEmpty()) {
            for (H2UpstreamStream s : sessions.toArray(new H2UpstreamStream[0])) {
                if (!s.expire(now) && s.isOpen()) {
                    arm(s.nextDeadline());
                }
            }
        } else if (pooled && now - (idleSince + idleNanos) >= 0) {
            retire();
            close();
            return;
        } else if (pooled) {
            arm(idleSince + idleNanos);
        }
        long interval = options.pingIntervalNanos();
        if (interval > 0 && settingsReceived && !goingAway) {
            if (!pingOutstanding && now - (lastPingAt + interval) >= 0) {
                pingOutstanding = true;
                pingSentAt = now;
                encoder().writePing(ctx, false, ++pingPayload, ctx.newPromise());
                ctx.flush();
            }
            arm(pingOutstanding ? pingSentAt + H2Options.PING_TIMEOUT_NANOS : lastPingAt + interval);
        }
    }

    @Override
    public String toString() {
        return "HTTP/2 connection to " + peer.address() + " (" + sessions.size() + "/" + limit + " streams)";
    }
}
