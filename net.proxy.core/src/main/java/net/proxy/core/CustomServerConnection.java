package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import net.proxy.core.internal.EventClock;
import net.proxy.core.internal.LazyTimer;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;

/**
 * A client connection speaking a {@link CustomProtocol}: its {@link CustomCodec} decodes requests, each runs as an
 * {@link Exchange} with every {@link ProxyHttp} phase, and this connection writes the response back through the
 * codec. One request at a time, with keep-alive; a request sent before the previous response ended waits undecoded
 * and reading pauses (as {@link DownstreamConnection} does for pipelining). One lazily re-armed timer enforces the
 * header-read, idle keep-alive, total and write timeouts.
 *
 * <p>Malformed input (a {@link CustomProtocolException}, or any exception from the decoder) closes the connection:
 * before a request started, after a 400 response head through the codec; during one, the request fails with 400
 * (answered if its response had not started) and nothing more of it reaches the origin.
 *
 * <p>Threading: everything runs on {@link #loop()}, as for {@link DownstreamConnection}.
 */
final class CustomServerConnection extends BridgedHandler implements Downstream, ClientConnection {
    private static final System.Logger LOG = System.getLogger(CustomServerConnection.class.getName());
    private final HttpProxy<?> proxy;
    private final ProxySettings settings;
    private final StreamDigest digest;
    private final CustomProtocol protocol;
    private final CustomCodec codec;
    private final ConnectionLimits limits;
    private final CustomCodec.Receiver receiver = new Requests();
    private Channel channel;
    private EventLoop loop;
    private UpstreamPool pool;
    private ClientOutput out;
    private LazyTimer timer;
    private ByteBuf pending;
    private Exchange<?> exchange;
    private CustomResponseWriter writer;

    private boolean activated;
    /** A request head was decoded and its end not yet. */
    private boolean inRequest;

    private boolean bodyComplete = true;
    /** The announced request body length left, or -1 when none was announced. */
    private long remaining = -1;

    private boolean bodyPaused;
    private boolean pipelinePaused;
    private boolean decoding;
    /** The undecoded bytes are to be dropped once the codec returns. */
    private boolean dropPending;

    private boolean closing;
    private boolean closed;
    private long headStart;
    private long idleSince;
    private long unwritableSince;

    CustomServerConnection(HttpProxy<?> proxy, StreamDigest digest, CustomProtocol protocol) {
        super(proxy.settings().ticker);
        this.proxy = proxy;
        this.settings = proxy.settings();
        this.digest = digest;
        this.protocol = protocol;
        this.codec = protocol.newCodec();
        this.limits = new ConnectionLimits(settings);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        adopt(ctx.channel(), ctx.channel().eventLoop());
    }

    /** Binds to {@code ch}, served on {@code loop} (its own, or another through a bridge); on {@code loop}. */
    void adopt(Channel ch, EventLoop loop) {
        channel = ch;
        out = new ClientOutput(ch);
        writer = new CustomResponseWriter(codec, out, ch.alloc());
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
        headStart = EventClock.now(ticker);
        proxy.opened(this);
        timer.arm(headStart + settings.headerTimeoutNanos);
    }

    @Override
    public void onRead(ByteBuf in) {
        if (closing && exchange == null || closed) {
            in.release();
            return;
        }
        if (pending == null) {
            pending = in;
        } else {
            // a new buffer, never the old one grown: body pieces may be slices of what was decoded already
            ByteBuf merged = channel.alloc().buffer(pending.readableBytes() + in.readableBytes());
            merged.writeBytes(pending).writeBytes(in);
            pending.release();
            in.release();
            pending = merged;
        }
        if (exchange == null && !inRequest && headStart == 0) {
            headStart = EventClock.now(ticker);
            timer.arm(headStart + settings.headerTimeoutNanos);
        }
        decode();
    }

    /** Decodes parts while the connection may take them: not while a whole request waits for its response. */
    private void decode() {
        if (decoding) {
            return;
        }
        decoding = true;
        try {
            while (pending != null && !closing) {
                if (exchange != null && !inRequest) {
                    pausePipeline(); // the next request waits for this response
                    return;
                }
                boolean progress;
                try {
                    progress = codec.decode(pending, receiver);
                } catch (RuntimeException e) {
                    malformed(e);
                    return;
                }
                if (pending != null && (dropPending || !pending.isReadable())) {
                    pending.release();
                    pending = null;
                }
                if (!progress) {
                    return;
                }
            }
        } finally {
            decoding = false;
            if (dropPending) {
                dropPending = false;
                releasePending();
            }
        }
    }

    private void pausePipeline() {
        if (!pipelinePaused) {
            pipelinePaused = true;
            updateAutoRead();
        }
    }

    private void updateAutoRead() {
        boolean read = !bodyPaused && !pipelinePaused;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    /** The decoder refused the input: the request (if any) fails with 400, and the connection closes. */
    private void malformed(RuntimeException e) {
        String why = "custom protocol " + protocol.alpn() + ": "
                + (e instanceof CustomProtocolException ? e.getMessage() : "decoder failed: " + e);
        closing = true;
        releasePending();
        Exchange<?> ex = exchange;
        if (ex != null) {
            ex.abort(ProxyError.status(400, ErrorSource.DOWNSTREAM, why)); // answers 400 if it can, then closes
            if (!closed && exchange == ex) {
                channel.close();
            }
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: closing {1}", why, channel);
        ResponseHeader h = ResponseHeader.of(400);
        out.writeLastAndClose(codec.encodeResponseHead(channel.alloc(), h, true));
    }

    // ---- requests from the codec --------------------------------------------------------------------------------

    /** What the codec decodes: requests only. */
    private final class Requests implements CustomCodec.Receiver {
        @Override
        public void requestHead(RequestHeader head, boolean end) {
            onRequestHead(head, end);
        }

        @Override
        public void responseHead(ResponseHeader head, boolean end) {
            throw new CustomProtocolException("a response head (" + head.status() + ") from a client");
        }

        @Override
        public void body(ByteBuf data) {
            onRequestBody(data);
        }

        @Override
        public void end(HttpHeaders trailers) {
            onRequestEnd(trailers);
        }
    }

    private void onRequestHead(RequestHeader head, boolean end) {
        if (inRequest || exchange != null) {
            throw new CustomProtocolException("a request head while the previous request is open");
        }
        BodyFraming framing = BodyFraming.NONE;
        remaining = -1;
        if (!end) {
            String length = head.headers().get("Content-Length");
            if (length != null) {
                try {
                    remaining = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    remaining = -1;
                }
                if (remaining < 0) {
                    throw new CustomProtocolException("Content-Length: " + length + " (expected: a number >= 0)");
                }
                framing = BodyFraming.contentLength(remaining);
            } else {
                framing = BodyFraming.CHUNKED;
            }
        }
        inRequest = !end;
        bodyComplete = end;
        long start = headStart == 0 ? EventClock.now(ticker) : headStart;
        headStart = 0;
        if (!limits.admitRequest(start)) {
            closing = true;
            releasePending();
            ResponseHeader h = ResponseHeader.of(429);
            out.writeLastAndClose(codec.encodeResponseHead(channel.alloc(), h, true));
            return;
        }
        Exchange<?> ex = proxy.newExchange(this, pool, head, framing, start);
        if (limits.lastRequest()) {
            ex.keepAlive(false);
        }
        exchange = ex;
        timer.arm(ex.deadline());
        ex.start();
    }

    private void onRequestBody(ByteBuf data) {
        if (!inRequest) {
            data.release();
            throw new CustomProtocolException("a body piece outside a request");
        }
        if (remaining >= 0) {
            remaining -= data.readableBytes();
            if (remaining < 0) {
                data.release();
                throw new CustomProtocolException("a request body longer than its Content-Length");
            }
        }
        Exchange<?> ex = exchange;
        if (ex == null) {
            data.release(); // answered already: the rest of the body is dropped
            return;
        }
        ex.requestBody(data, false, null);
    }

    private void onRequestEnd(HttpHeaders trailers) {
        if (!inRequest) {
            throw new CustomProtocolException("a body end outside a request");
        }
        if (remaining > 0) {
            throw new CustomProtocolException("a request body " + remaining + " bytes shorter than its Content-Length");
        }
        inRequest = false;
        bodyComplete = true;
        Exchange<?> ex = exchange;
        if (ex != null) {
            ex.requestBody(null, true, trailers);
        } else if (!closing) {
            idleSince = EventClock.now(ticker); // the answered request's rest was read: idle from now
            timer.arm(idleSince + settings.keepAliveTimeoutNanos);
        }
    }

    // ---- channel events ------------------------------------------------------------------------------------------

    @Override
    public void onReadComplete() {
        Exchange<?> ex = exchange;
        if (ex != null) {
            ex.flushUpstream();
        }
    }

    @Override
    public void onWritabilityChanged() {
        boolean writable = channel.isWritable();
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
        writer.closed();
        timer.cancel();
        releasePending();
        out.closed();
        Exchange<?> ex = exchange;
        if (ex != null) {
            ex.abort(
                    ProxyError.of(ErrorKind.CONNECTION_CLOSED, ErrorSource.DOWNSTREAM, "client closed the connection"));
        }
        proxy.closed(this);
    }

    @Override
    public void onInputShutdown() {}

    @Override
    public void onException(Throwable cause) {
        channel.close();
    }

    /** Drops the undecoded bytes; while the codec is decoding them, once it returns (it may still read them). */
    private void releasePending() {
        if (decoding) {
            dropPending = true;
            return;
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    // ---- Downstream --------------------------------------------------------------------------------------------

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
        // exchangeDone is told keepAlive=false and closes the connection after the response
    }

    @Override
    public boolean requestBodyComplete() {
        return bodyComplete;
    }

    @Override
    public String connectProtocol() {
        return null;
    }

    /** None: the SPI carries HTTP messages only, so upgrades and CONNECT are not tunnelled here. */
    @Override
    public TunnelEnd tunnelEnd() {
        return null;
    }

    @Override
    public void startTunnel(Tunnel<?> tunnel) {
        throw new UnsupportedOperationException("tunnels over a custom protocol");
    }

    @Override
    public void exchangeDone(Exchange<?> ex, boolean keepAlive) {
        if (exchange != ex) {
            return;
        }
        exchange = null;
        if (!writer.ended()) {
            closing = true; // the response broke off: only a close tells the client
        }
        if (!keepAlive || closing || proxy.isShuttingDown()) {
            closing = true;
            releasePending();
            if (!closed) {
                out.writeLastAndClose(Unpooled.EMPTY_BUFFER);
            }
            return;
        }
        idleSince = EventClock.now(ticker);
        bodyPaused = false;
        pipelinePaused = false;
        updateAutoRead();
        timer.arm(idleSince + settings.keepAliveTimeoutNanos);
        if (pending != null && !inRequest) {
            headStart = idleSince;
        }
        decode();
    }

    @Override
    public void closeNow() {
        closing = true;
        channel.close();
    }

    @Override
    public void shutdown() {
        closing = true;
        if (exchange == null) {
            releasePending();
            channel.close();
        }
    }

    // ---- timer ---------------------------------------------------------------------------------------------------

    private void onTimer() {
        if (closed) {
            return;
        }
        long now = EventClock.now(ticker);
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
        } else if (headStart != 0 || inRequest) {
            deadline = (headStart != 0 ? headStart : idleSince) + settings.headerTimeoutNanos;
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
