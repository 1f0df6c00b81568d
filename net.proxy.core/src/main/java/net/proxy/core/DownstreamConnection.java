package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import net.proxy.core.internal.EventClock;
import net.proxy.core.internal.LazyTimer;
import net.proxy.http.BodyDecoder;
import net.proxy.http.BodyFraming;
import net.proxy.http.Http1RequestParser;
import net.proxy.http.HttpParseException;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.netty.ByteBufHttp1;
import net.proxy.l4.StreamDigest;

/**
 * One HTTP/1.1 client connection: parses request heads and bodies, runs one {@link Exchange} at a time and answers
 * pipelined requests in order (bytes of the next request wait, and reading pauses, until the current response is
 * done). One lazily re-armed timer enforces the header-read, idle keep-alive, total and write timeouts.
 *
 * <p>Threading: everything runs on {@link #loop()}: the channel's own loop, or, for a channel accepted from a
 * virtual transport on the transport's own loop, a server loop that a {@link LoopBridge} hands the channel's events
 * to ({@link HttpProxy#serve(net.proxy.l4.Stream, EventLoop)}). Writes, flushes, {@code autoRead} changes and
 * closes from there are thread-safe Netty calls the channel's loop performs in order.
 */
final class DownstreamConnection extends BridgedHandler implements Downstream, ClientConnection {
    private final HttpProxy<?> proxy;
    private final ProxySettings settings;
    private final Http1RequestParser parser;
    private Channel channel;
    private EventLoop loop;
    private boolean activated;
    private UpstreamPool pool;
    private final StreamDigest digest;
    private final Http1ResponseWriter writer = new Http1ResponseWriter(this);
    private final ConnectionLimits limits;
    private ByteBuf pending;
    private Exchange<?> exchange;
    /** The framing of the request being read (from its head). */
    private BodyFraming framing;

    private BodyDecoder body;
    private boolean bodyComplete = true;
    private boolean processing;
    private boolean closing;
    private boolean closed;
    private boolean bodyPaused;
    private boolean pipelinePaused;
    private ClientOutput out;
    /** This handler's context while the first bytes may still turn out to be an HTTP/2 preface, else null. */
    private ChannelHandlerContext ctx;
    /** Whether the first bytes were checked for the HTTP/2 client preface (or need not be). */
    private boolean prefaceChecked = true;

    /** The most request body read before a request starts (see {@link #bufferBodyStart()}): 64 KiB. */
    static final int EARLY_BODY_BYTES = 64 * 1024;

    /** A request whose head was read and whose body's start is being read before it starts, or null. */
    private RequestHeader early;

    private final ArrayDeque<ByteBuf> earlyChunks = new ArrayDeque<>();
    private int earlyBytes;
    private long headStart;
    private long idleSince;
    private long unwritableSince;
    private LazyTimer timer;
    /** The tunnel the current exchange became (an accepted upgrade); it then gets the client's bytes and events. */
    private Tunnel<?> tunnel;
    /** This connection as a tunnel's client side, made when first asked for. */
    private TunnelEnd tunnelEnd;

    /** A connection on the accepted stream that {@code digest} describes. */
    DownstreamConnection(HttpProxy<?> proxy, StreamDigest digest) {
        super(proxy.settings().ticker);
        this.limits = new ConnectionLimits(proxy.settings());
        this.digest = digest;
        this.proxy = proxy;
        this.settings = proxy.settings();
        this.parser = Http1RequestParser.create(settings.limits);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        adopt(ctx.channel(), ctx.channel().eventLoop());
        // HTTP/2 with prior knowledge is told apart by its preface on clear text (TLS chose by ALPN already); a
        // connection bridged from another loop (no context here) speaks HTTP/1 only
        if (settings.http2.enabled() && digest.tlsDigest().isEmpty()) {
            this.ctx = ctx;
            prefaceChecked = false;
        }
    }

    /** Binds to {@code ch}, served on {@code loop} (its own, or another through a bridge); on {@code loop}. */
    void adopt(Channel ch, EventLoop loop) {
        channel = ch;
        out = new ClientOutput(ch);
        this.loop = loop;
        timer = new LazyTimer(proxy.timers().wheel(loop), this::onTimer);
        pool = proxy.poolFor(loop);
        if (ch.isActive() && ch.eventLoop() != loop) {
            onActive();
        }
    }

    @Override
    public void onActive() {
        if (activated) {
            return;
        }
        activated = true;
        long now = EventClock.now(ticker);
        headStart = now;
        proxy.opened(this);
        timer.arm(now + settings.headerTimeoutNanos);
    }

    @Override
    public void onRead(ByteBuf in) {
        if (tunnel != null && bodyComplete) {
            tunnel.fromClient(in);
            return;
        }
        if (closing && tunnel == null) {
            in.release();
            return;
        }
        if (!prefaceChecked) {
            stash(in);
            int match = H2ServerConnection.matchPreface(pending);
            if (match == 0) {
                return; // a prefix of the preface so far: wait for more bytes
            }
            prefaceChecked = true;
            if (match > 0) {
                switchToHttp2();
            } else {
                ctx = null;
                processPending();
            }
            return;
        }
        if (exchange != null && !bodyComplete) {
            feedBody(in);
            if (in.isReadable() && tunnel != null && bodyComplete) {
                tunnel.fromClient(in); // the request's body ended: the rest is the tunnel's
                return;
            }
            if (in.isReadable() && (!closing || tunnel != null)) {
                stash(in);
                pausePipeline();
            } else {
                in.release();
            }
            return;
        }
        stash(in);
        if (exchange == null) {
            processPending();
        } else {
            pausePipeline();
        }
    }

    private void stash(ByteBuf in) {
        if (pending == null) {
            pending = in;
            return;
        }
        ByteBuf merged = channel.alloc().buffer(pending.readableBytes() + in.readableBytes());
        merged.writeBytes(pending).writeBytes(in);
        pending.release();
        in.release();
        pending = merged;
    }

    private void pausePipeline() {
        if (!pipelinePaused) {
            pipelinePaused = true;
            updateAutoRead();
        }
    }

    private void feedBody(ByteBuf in) {
        Exchange<?> ex = exchange;
        while (in.isReadable() && !bodyComplete && exchange == ex) {
            ByteBuf chunk;
            try {
                chunk = ByteBufHttp1.decodeBody(body, in);
            } catch (HttpParseException e) {
                bodyComplete = false;
                closing = true;
                ex.requestBodyError(e);
                return;
            }
            bodyComplete = body.isComplete();
            if (chunk != null || bodyComplete) {
                ex.requestBody(chunk, bodyComplete, bodyComplete ? body.trailers() : null);
            }
        }
    }

    private void processPending() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (exchange == null && (pending != null || early != null) && !closing) {
                if (early != null) {
                    if (!bufferBodyStart()) {
                        break; // more body bytes to come, or the request was refused
                    }
                    startExchange(early);
                    continue;
                }
                if (!pending.isReadable()) {
                    pending.release();
                    pending = null;
                    break;
                }
                if (headStart == 0) {
                    headStart = EventClock.now(ticker);
                }
                RequestHeader req;
                try {
                    req = ByteBufHttp1.parse(parser, pending);
                    if (req == null) {
                        pending.release();
                        pending = null;
                        timer.arm(headStart + settings.headerTimeoutNanos);
                        break;
                    }
                    framing = req.framing();
                    body = framing.hasBody() ? BodyDecoder.of(framing, settings.limits) : null;
                } catch (HttpParseException e) {
                    rejectHead(e.status());
                    return;
                }
                bodyComplete = body == null;
                if (!limits.admitRequest(headStart)) {
                    rejectHead(429);
                    return;
                }
                if (!bodyComplete && !req.expectsContinue()) {
                    early = req; // its body's start is read before any upstream sees the request
                    continue;
                }
                startExchange(req);
            }
        } finally {
            processing = false;
        }
    }

    /**
     * The client spoke HTTP/2 with prior knowledge: an {@link H2ServerConnection} takes the channel and the bytes
     * read so far, and this handler leaves the pipeline.
     */
    private void switchToHttp2() {
        ByteBuf bytes = pending;
        pending = null;
        closing = true;
        timer.cancel();
        ChannelHandlerContext c = ctx;
        ctx = null;
        H2ServerConnection h2 = H2ServerConnection.create(proxy, digest);
        c.pipeline().addAfter(c.name(), HttpProxy.H2_HANDLER, h2);
        c.fireChannelRead(bytes);
        c.pipeline().remove(this);
        proxy.closed(this);
    }

    /**
     * Reads the start of {@link #early}'s body from {@link #pending}, up to {@link #EARLY_BODY_BYTES} or its end,
     * before the request starts: a body whose framing is invalid in that window is refused with 400 and no byte of
     * the request reaches an origin (request smuggling through a bad chunk needs the origin to see it). Returns
     * whether the request can start; false when more bytes are needed or it was refused. Like nginx's
     * {@code proxy_request_buffering}, bounded; the header timeout covers the wait.
     */
    private boolean bufferBodyStart() {
        while (!bodyComplete && earlyBytes < EARLY_BODY_BYTES) {
            if (pending == null) {
                return false;
            }
            if (!pending.isReadable()) {
                pending.release();
                pending = null;
                return false;
            }
            ByteBuf chunk;
            try {
                chunk = ByteBufHttp1.decodeBody(body, pending);
            } catch (HttpParseException e) {
                releaseEarly();
                rejectHead(e.status());
                return false;
            }
            bodyComplete = body.isComplete();
            if (chunk != null) {
                earlyChunks.add(chunk);
                earlyBytes += chunk.readableBytes();
            }
        }
        return true;
    }

    /** Starts the exchange of {@code req}, hands it the body read so far, then whatever else of it is pending. */
    private void startExchange(RequestHeader req) {
        long start = headStart;
        headStart = 0;
        early = null;
        earlyBytes = 0;
        Exchange<?> ex = proxy.newExchange(this, pool, req, framing, start);
        if (limits.lastRequest()) {
            ex.keepAlive(false);
        }
        exchange = ex;
        timer.arm(ex.deadline());
        ex.start();
        boolean ended = bodyComplete && body != null;
        if (ended && earlyChunks.isEmpty()) {
            ex.requestBody(null, true, body.trailers());
        }
        for (ByteBuf chunk; (chunk = earlyChunks.poll()) != null; ) {
            boolean last = ended && earlyChunks.isEmpty();
            ex.requestBody(chunk, last, last ? body.trailers() : null);
        }
        if (exchange == ex && !bodyComplete && pending != null) {
            feedBody(pending);
        }
    }

    private void releaseEarly() {
        for (ByteBuf chunk; (chunk = earlyChunks.poll()) != null; ) {
            chunk.release();
        }
        early = null;
        earlyBytes = 0;
    }

    /** Answers {@code status} without running a request, and closes the connection. */
    private void rejectHead(int status) {
        closing = true;
        ResponseHeader h = ResponseHeader.of(status);
        h.headers().add("Content-Length", "0").add("Connection", "close");
        out.writeLastAndClose(Http1Wire.encode(channel.alloc(), h));
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    public void onReadComplete() {
        if (tunnel != null) {
            tunnel.clientReadComplete();
            return;
        }
        Exchange<?> ex = exchange;
        if (ex != null) {
            ex.flushUpstream();
        }
    }

    @Override
    public void onWritabilityChanged() {
        boolean writable = channel.isWritable();
        if (tunnel != null) {
            tunnel.clientWritable(writable);
            return;
        }
        if (!writable) {
            unwritableSince = EventClock.now(ticker);
            timer.arm(unwritableSince + settings.writeTimeoutNanos);
        }
        Exchange<?> ex = exchange;
        if (ex != null) {
            ex.downstreamWritabilityChanged(writable);
        }
    }

    @Override
    public void onInactive() {
        closed = true;
        timer.cancel();
        releasePending();
        releaseEarly();
        out.closed();
        Exchange<?> ex = exchange;
        if (tunnel != null) {
            tunnel.closed();
        } else if (ex != null) {
            ex.abort(
                    ProxyError.of(ErrorKind.CONNECTION_CLOSED, ErrorSource.DOWNSTREAM, "client closed the connection"));
        }
        proxy.closed(this);
    }

    @Override
    public void onInputShutdown() {
        if (tunnel != null) {
            tunnel.clientEnded();
        }
    }

    @Override
    public void onException(Throwable cause) {
        channel.close();
    }

    // ---- Downstream ------------------------------------------------------------------------------------------

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public StreamDigest digest() {
        return digest;
    }

    @Override
    public ResponseWriter responseWriter() {
        return writer;
    }

    /** Queues bytes for the client (ownership passes); for {@link Http1ResponseWriter}. */
    void write(ByteBuf data) {
        out.write(data);
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void pauseBody(boolean pause) {
        if (bodyPaused != pause) {
            bodyPaused = pause;
            updateAutoRead();
        }
    }

    private void updateAutoRead() {
        boolean read = !bodyPaused && !pipelinePaused;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public boolean canKeepAlive() {
        return !closing && !proxy.isShuttingDown();
    }

    @Override
    public void forceClose() {
        closing = true;
    }

    @Override
    public void keepAliveRefused() {
        // the session's keepAlive flag decides, when the response head is written (Connection: close)
    }

    @Override
    public String connectProtocol() {
        return null;
    }

    @Override
    public TunnelEnd tunnelEnd() {
        if (tunnelEnd == null) {
            tunnelEnd = TunnelEnd.of(channel); // asked for by every upgrade request: made once per connection
        }
        return tunnelEnd;
    }

    @Override
    public void startTunnel(Tunnel<?> t) {
        tunnel = t;
        closing = true; // the connection is the tunnel's: it closes when the tunnel ends
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        timer.arm(t.idleDeadline());
        pipelinePaused = false;
        updateAutoRead();
        if (bodyComplete && pending != null) {
            ByteBuf early = pending; // sent after the request, before the 101 arrived
            pending = null;
            t.fromClient(early);
            t.clientReadComplete();
        }
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
        body = null;
        if (!keepAlive || closing || proxy.isShuttingDown()) {
            closing = true;
            releasePending();
            if (!closed) {
                out.writeLastAndClose(Unpooled.EMPTY_BUFFER);
            }
            return;
        }
        bodyComplete = true;
        idleSince = EventClock.now(ticker);
        bodyPaused = false;
        pipelinePaused = false;
        updateAutoRead();
        timer.arm(idleSince + settings.keepAliveTimeoutNanos);
        processPending();
    }

    /** Fast stop: closes the connection (from any thread). */
    @Override
    public void closeNow() {
        closing = true;
        channel.close();
    }

    /** Graceful stop: closes the connection now if idle, else after the current exchange. */
    @Override
    public void shutdown() {
        if (exchange == null) {
            closing = true;
            releasePending();
            channel.close();
        } else {
            closing = true;
        }
    }

    // ---- timer -----------------------------------------------------------------------------------------------

    private void onTimer() {
        if (closed) {
            return;
        }
        long now = EventClock.now(ticker);
        if (tunnel != null) {
            long deadline = tunnel.checkIdle(now);
            if (!tunnel.isFinished()) {
                timer.arm(deadline);
            }
            return;
        }
        Exchange<?> ex = exchange;
        long deadline;
        if (ex != null) {
            deadline = ExchangeTimeouts.check(
                    ex, now, channel.isWritable() ? 0 : unwritableSince, settings.writeTimeoutNanos);
            if (deadline == ExchangeTimeouts.WRITE_TIMED_OUT) {
                closing = true;
                channel.close();
                return;
            }
            if (deadline == ExchangeTimeouts.DEADLINE_PASSED) {
                return;
            }
        } else if (headStart != 0) {
            deadline = headStart + settings.headerTimeoutNanos;
        } else {
            deadline = idleSince + settings.keepAliveTimeoutNanos;
        }
        if (now - deadline >= 0) {
            closing = true;
            releasePending();
            channel.close();
            return;
        }
        timer.arm(deadline);
    }
}
