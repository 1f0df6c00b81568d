package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
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
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import net.proxy.core.internal.EventClock;
import net.proxy.core.internal.LazyTimer;
import net.proxy.l4.StreamDigest;

/**
 * One HTTP/2 client connection (RFC 9113) on Netty's connection handler: every stream is an {@link H2Stream} that
 * runs its own {@link Exchange} through all phases, concurrently with the others. Runs on the channel's event loop.
 *
 * <p>Abuse limits ({@link Http2Options}): before the codec sees a read, a scan of the frame headers in it counts the
 * CONTINUATION frames of each header block and the rates of {@code RST_STREAM}, {@code SETTINGS}, {@code PING} and
 * empty {@code DATA} frames, each against a {@link RateBudget} of the connection; a client over a limit gets
 * {@code GOAWAY(ENHANCE_YOUR_CALM)} and the connection closes. The codec enforces the stream, header-list and frame
 * size settings. A connection without open streams for the idle timeout is closed with {@code GOAWAY(NO_ERROR)};
 * a graceful stop sends {@code GOAWAY} and closes once the open streams end.
 *
 * <p>Writes from streams are flushed once per event-loop turn ({@link #flushSoon()}): responses that complete in the
 * same turn on different upstream connections leave in one write.
 *
 * <p>[1] RFC 9113 §3.4 HTTP/2 Connection Preface, §4.1 Frame Format, §6.8 GOAWAY, §10.5 Denial-of-Service
 * Considerations, https://www.rfc-editor.org/rfc/rfc9113
 */
final class H2ServerConnection extends Http2ConnectionHandler implements ClientConnection {
    private static final System.Logger LOG = System.getLogger(H2ServerConnection.class.getName());

    /** The client connection preface (RFC 9113 §3.4). */
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** How long a connection told GOAWAY(ENHANCE_YOUR_CALM) waits for its client to close: 1 s. */
    private static final long LINGER_NANOS = 1_000_000_000L;

    /** The initial connection window (RFC 9113 §6.9.2). */
    private static final int DEFAULT_CONNECTION_WINDOW = 65_535;

    final HttpProxy<?> proxy;
    final ProxySettings settings;
    private final Http2Options options;
    private final StreamDigest digest;
    private final Http2Connection.PropertyKey streamKey;
    private final ConnectionLimits limits;
    private final Runnable flushTask = this::flushNow;
    /** Streams that wrote request body upstream during this read: flushed when the read completes. */
    private final ArrayList<H2Stream> upstreamDirty = new ArrayList<>();

    private ChannelHandlerContext ctx;
    private Channel channel;
    private UpstreamPool pool;
    private LazyTimer timer;
    private long idleSince;
    private long unwritableSince;
    private boolean flushPending;
    private boolean calm;
    private boolean draining;

    private final H2FrameGuard guard;

    private H2ServerConnection(
            Http2ConnectionDecoder decoder,
            Http2ConnectionEncoder encoder,
            Http2Settings initialSettings,
            HttpProxy<?> proxy,
            StreamDigest digest) {
        super(decoder, encoder, initialSettings);
        this.proxy = proxy;
        this.settings = proxy.settings();
        this.options = settings.http2;
        this.digest = digest;
        this.limits = new ConnectionLimits(settings);
        this.guard = new H2FrameGuard(options, settings.ticker, PREFACE.length);
        Http2Connection connection = connection();
        this.streamKey = connection.newKey();
        decoder.frameListener(new Frames());
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                H2Stream s = stream.getProperty(streamKey);
                if (s != null) {
                    s.onClosed();
                }
                if (connection().numActiveStreams() == 0) {
                    idleSince = EventClock.now(settings.ticker);
                    if (timer != null) {
                        timer.arm(idleSince + options.idleTimeout.toNanos());
                    }
                }
            }
        });
        encoder.flowController().listener(stream -> {
            H2Stream s = stream.getProperty(streamKey);
            if (s != null) {
                s.writabilityChanged();
            }
        });
    }

    /** A connection handler for an accepted stream of {@code proxy}. */
    static H2ServerConnection create(HttpProxy<?> proxy, StreamDigest digest) {
        return new Builder(proxy, digest).build();
    }

    /**
     * How {@code in}'s first bytes compare with the client preface: 1 if they start with it, 0 if they are a
     * shorter prefix of it (more bytes are needed), -1 if they differ.
     */
    static int matchPreface(ByteBuf in) {
        int n = Math.min(in.readableBytes(), PREFACE.length);
        int at = in.readerIndex();
        for (int i = 0; i < n; i++) {
            if (in.getByte(at + i) != PREFACE[i]) {
                return -1;
            }
        }
        return n == PREFACE.length ? 1 : 0;
    }

    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<H2ServerConnection, Builder> {
        private final HttpProxy<?> proxy;
        private final StreamDigest digest;

        Builder(HttpProxy<?> proxy, StreamDigest digest) {
            this.proxy = proxy;
            this.digest = digest;
            Http2Options o = proxy.settings().http2;
            // one distributor that splits the window evenly: cheaper per write than the weighted-fair default, and
            // clients' priority signals (deprecated by RFC 9113 §5.3) are not followed anyway
            Http2Connection connection = new DefaultHttp2Connection(true);
            connection
                    .remote()
                    .flowController(new DefaultHttp2RemoteFlowController(
                            connection, new UniformStreamByteDistributor(connection)));
            connection(connection);
            initialSettings(Http2Settings.defaultSettings()
                    .maxConcurrentStreams(o.maxConcurrentStreams)
                    .maxHeaderListSize(o.maxHeaderListSize)
                    .initialWindowSize(o.initialStreamWindow)
                    .maxFrameSize(o.maxFrameSize)
                    .connectProtocolEnabled(true)); // RFC 8441: WebSocket over HTTP/2 (extended CONNECT)
            gracefulShutdownTimeoutMillis(proxy.settings().gracePeriod.toMillis());
            // our own budgets count resets and empty DATA frames (Http2Options); the codec's would double them
            decoderEnforceMaxRstFramesPerWindow(0, 0);
            decoderEnforceMaxConsecutiveEmptyDataFrames(0);
        }

        @Override
        public H2ServerConnection build() {
            return super.build();
        }

        @Override
        protected H2ServerConnection build(
                Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings initialSettings) {
            return new H2ServerConnection(decoder, encoder, initialSettings, proxy, digest);
        }
    }

    // ---- life cycle ------------------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.pool = proxy.poolFor(channel.eventLoop());
        this.timer = new LazyTimer(proxy.timers().wheel(channel.eventLoop()), this::onTimer);
        super.handlerAdded(ctx);
        int delta = options.connectionWindow - DEFAULT_CONNECTION_WINDOW;
        if (delta > 0) {
            // the connection window starts at 65,535 whatever SETTINGS say (RFC 9113 §6.9.2): widen it now
            decoder().flowController().incrementWindowSize(connection().connectionStream(), delta);
            flush(ctx);
        }
        // window returned to the connection is announced a stream window at a time, not in halves of the connection
        // window (Netty's default ratio): streams stalled by slow origins then block the others only once they hold
        // all but one stream window of it
        float ratio = Math.min(0.5f, (float) options.initialStreamWindow / options.connectionWindow);
        ((DefaultHttp2LocalFlowController) decoder().flowController())
                .windowUpdateRatio(connection().connectionStream(), ratio);
        idleSince = EventClock.now(settings.ticker);
        timer.arm(idleSince + options.idleTimeout.toNanos());
        proxy.opened(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        timer.cancel();
        try {
            super.channelInactive(ctx);
        } finally {
            proxy.closed(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().isWritable()) {
            unwritableSince = EventClock.now(settings.ticker);
            timer.arm(unwritableSince + settings.writeTimeoutNanos);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (calm) {
            ReferenceCountUtil.release(msg);
            return;
        }
        EventClock clock = EventClock.enter(settings.ticker);
        try {
            String abuse = guard.scan((ByteBuf) msg);
            if (abuse != null) {
                ReferenceCountUtil.release(msg);
                enhanceYourCalm(abuse);
                return;
            }
            super.channelRead(ctx, msg);
        } finally {
            clock.exit();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        // one flush per upstream connection and read, as DownstreamConnection does for HTTP/1
        for (int i = 0; i < upstreamDirty.size(); i++) {
            upstreamDirty.get(i).flushUpstream();
        }
        upstreamDirty.clear();
        super.channelReadComplete(ctx);
    }

    /** Answers abuse: {@code GOAWAY(ENHANCE_YOUR_CALM)}, then the connection closes; nothing more is read. */
    private void enhanceYourCalm(String why) {
        calm = true;
        LOG.log(Level.DEBUG, () -> "HTTP/2 client " + digest.clientAddress() + ": " + why);
        // Every stream ends now. The GOAWAY is followed by a half-close, not a close: closing a socket with unread
        // bytes from the client (an abusive client is still sending) makes the kernel answer with a reset, which can
        // destroy the GOAWAY before the client reads it. What the client sends meanwhile is dropped; the connection
        // closes when the client closes it, or after the linger time.
        try {
            connection().forEachActiveStream(stream -> {
                stream.close();
                return true;
            });
        } catch (Http2Exception e) {
            // closing streams raises nothing: the connection closes below anyway
        }
        ByteBuf debug = ByteBufUtil.writeUtf8(ctx.alloc(), why);
        goAway(
                        ctx,
                        connection().remote().lastStreamCreated(),
                        Http2Error.ENHANCE_YOUR_CALM.code(),
                        debug,
                        ctx.newPromise())
                .addListener(f -> {
                    if (channel instanceof DuplexChannel && f.isSuccess()) {
                        ((DuplexChannel) channel).shutdownOutput();
                    } else {
                        ctx.close();
                    }
                });
        flush(ctx);
        timer.arm(EventClock.now(settings.ticker) + LINGER_NANOS);
    }

    /**
     * A stream error in a request's HEADERS (a field the codec refuses) comes before the codec created the stream:
     * create it, so that the reset leaves it closed and the client's DATA already on the way are ignored, instead of
     * arriving on a stream that "never existed", a connection error that would end every other stream (RFC 9113
     * §5.1, §8.1.1: a malformed request is a stream error).
     */
    @Override
    protected void onStreamError(
            ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception.StreamException e) {
        int id = e.streamId();
        if (!outbound
                && connection().stream(id) == null
                && connection().remote().isValidStreamId(id)
                && id > connection().remote().lastStreamCreated()) {
            try {
                connection().remote().createStream(id, false);
            } catch (Http2Exception refused) {
                // above the stream limit or out of order: the codec's answer stands
            }
        }
        super.onStreamError(ctx, outbound, cause, e);
    }

    // ---- frames ----------------------------------------------------------------------------------------------

    /** The frames a stream needs, in order; the rest only the codec handles (and the scan counts). */
    private final class Frames extends H2Frames {

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            Http2Stream st = connection().stream(streamId);
            H2Stream s = st == null ? null : st.getProperty(streamKey);
            if (s == null) {
                return data.readableBytes() + padding;
            }
            return s.onData(data, padding, endOfStream);
        }

        @Override
        public void onHeadersRead(
                ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
            Http2Stream st = connection().stream(streamId);
            if (st == null) {
                return;
            }
            H2Stream s = st.getProperty(streamKey);
            if (s != null) {
                s.onTrailers(headers, endOfStream);
                return;
            }
            s = new H2Stream(H2ServerConnection.this, st);
            st.setProperty(streamKey, s);
            long now = EventClock.now(settings.ticker);
            if (!limits.admitRequest(now)) {
                s.refuse(429, "request rate of the connection exceeded", headers);
                return;
            }
            if (limits.lastRequest()) {
                shutdown(); // GOAWAY: the client opens a new connection for more
            }
            s.onRequest(headers, endOfStream, now);
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            Http2Stream st = connection().stream(streamId);
            H2Stream s = st == null ? null : st.getProperty(streamKey);
            if (s != null) {
                s.onReset(errorCode);
            }
        }
    }

    // ---- for streams -----------------------------------------------------------------------------------------

    ChannelHandlerContext ctx() {
        return ctx;
    }

    Channel channel() {
        return channel;
    }

    UpstreamPool pool() {
        return pool;
    }

    StreamDigest digest() {
        return digest;
    }

    /** Flushes the request body {@code s} wrote upstream once the current read completes. */
    void flushUpstreamSoon(H2Stream s) {
        if (upstreamDirty.isEmpty() || upstreamDirty.get(upstreamDirty.size() - 1) != s) {
            upstreamDirty.add(s);
        }
    }

    /** Flushes what streams wrote once this event-loop turn ends (one write for all of them). */
    void flushSoon() {
        if (!flushPending) {
            flushPending = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flushNow() {
        flushPending = false;
        if (channel.isActive()) {
            flush(ctx);
        }
    }

    /** Returns {@code n} bytes of {@code stream}'s request body to the flow-control windows. */
    void consume(Http2Stream stream, int n) {
        if (n <= 0 || stream.state() == Http2Stream.State.CLOSED) {
            return;
        }
        try {
            decoder().flowController().consumeBytes(stream, n);
        } catch (Http2Exception e) {
            onError(ctx, false, e);
        }
        flushSoon();
    }

    /** Resets a stream with {@code code} (an {@link Http2Error} code). */
    void reset(Http2Stream stream, Http2Error code) {
        if (stream.state() != Http2Stream.State.CLOSED) {
            resetStream(ctx, stream.id(), code.code(), ctx.voidPromise());
            flushSoon();
        }
    }

    // ---- ClientConnection ------------------------------------------------------------------------------------

    @Override
    public EventLoop loop() {
        return channel.eventLoop();
    }

    /** Graceful stop: {@code GOAWAY(NO_ERROR)}; the connection closes once its open streams end. */
    @Override
    public void shutdown() {
        if (!draining && channel.isActive()) {
            draining = true;
            channel.close();
        }
    }

    @Override
    public void closeNow() {
        ctx.close();
    }

    // ---- timer -----------------------------------------------------------------------------------------------

    /** Makes sure the connection's timer fires no later than {@code deadline} (for a stream's timeouts). */
    void armTimer(long deadline) {
        timer.arm(deadline);
    }

    /**
     * One timer for the connection and its streams: each stream's total and write timeouts, the connection's write
     * timeout, and the idle timeout while no stream is open.
     */
    private void onTimer() {
        if (!channel.isActive()) {
            return;
        }
        if (calm) {
            ctx.close(); // the linger time after GOAWAY(ENHANCE_YOUR_CALM) is over
            return;
        }
        long now = EventClock.now(settings.ticker);
        if (!channel.isWritable() && now - (unwritableSince + settings.writeTimeoutNanos) >= 0) {
            LOG.log(
                    Level.DEBUG,
                    () -> "HTTP/2 client " + digest.clientAddress() + " read nothing for the write timeout");
            ctx.close();
            return;
        }
        long[] next = {Long.MAX_VALUE};
        try {
            connection().forEachActiveStream(stream -> {
                H2Stream s = stream.getProperty(streamKey);
                if (s != null) {
                    long d = s.checkTimeouts(now);
                    if (d != Long.MAX_VALUE && (next[0] == Long.MAX_VALUE || d - next[0] < 0)) {
                        next[0] = d;
                    }
                }
                return true;
            });
        } catch (Http2Exception e) {
            onError(ctx, false, e);
            return;
        }
        long deadline = next[0];
        if (!channel.isWritable()) {
            long w = unwritableSince + settings.writeTimeoutNanos;
            deadline = deadline == Long.MAX_VALUE || w - deadline < 0 ? w : deadline;
        }
        if (connection().numActiveStreams() == 0) {
            long idle = idleSince + options.idleTimeout.toNanos();
            if (now - idle >= 0) {
                shutdown();
                return;
            }
            deadline = deadline == Long.MAX_VALUE || idle - deadline < 0 ? idle : deadline;
        }
        if (deadline != Long.MAX_VALUE) {
            timer.arm(deadline);
        }
    }
}
