package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import java.io.IOException;
import net.proxy.core.internal.EventClock;
import net.proxy.core.internal.LazyTimer;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;

/**
 * One connection to an origin speaking a {@link CustomProtocol}: its {@link CustomCodec} encodes the request of
 * the {@link Exchange} that holds it and decodes the response. One request at a time, pooled between requests like
 * an HTTP/1 {@link UpstreamConnection} (Pingora's connector reuses a custom session first), with the same read,
 * write, total and idle timeouts on one lazily re-armed timer. Malformed bytes from the origin fail the request as
 * an invalid response and close the connection; so do bytes after the response's end, or any while idle.
 *
 * <p>Threading: as {@link UpstreamConnection}: on the pool's loop, through a {@link LoopBridge} when the channel
 * lives on another.
 */
final class CustomUpstreamConnection extends BridgedHandler
        implements PooledConnection, UpstreamSession, CustomCodec.Receiver {
    private final UpstreamPool pool;
    private final HttpPeer.PoolKey key;
    private final CustomProtocol protocol;
    private final CustomCodec codec;
    private final StreamDigest digest;
    private Channel channel;
    private LoopBridge bridge;
    private LazyTimer timer;
    private Exchange<?> owner;
    private ByteBuf pending;
    /** A final response head arrived and its end not yet. */
    private boolean inResponse;
    /** The response ended during the current decode: the exchange hears of it after the decoder returns. */
    private boolean completed;

    private boolean reusable = true;
    private boolean pooled;
    private final AttemptTimeouts timeouts = new AttemptTimeouts("");
    private long unwritableSince;
    private long idleTimeoutNanos;
    private long lastActivity;

    CustomUpstreamConnection(UpstreamPool pool, HttpPeer peer, CustomProtocol protocol, StreamDigest digest) {
        super(pool.ticker());
        this.pool = pool;
        this.key = peer.poolKey();
        this.protocol = protocol;
        this.codec = protocol.newCodec();
        this.digest = digest;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        adopt(ctx.channel(), ctx.channel().eventLoop(), null);
    }

    /** Binds to {@code ch}, whose events reach this connection on {@code loop} (through {@code bridge}, or null). */
    void adopt(Channel ch, EventLoop loop, LoopBridge bridge) {
        channel = ch;
        this.bridge = bridge;
        timer = new LazyTimer(pool.timers().wheel(loop), this::onTimer);
        if (ch.isActive()) {
            onActive();
        }
    }

    @Override
    public void onActive() {
        lastActivity = EventClock.now(ticker);
    }

    // ---- PooledConnection ------------------------------------------------------------------------------------------

    @Override
    public boolean multiplexed() {
        return false;
    }

    @Override
    public UpstreamSession newSession() {
        pooled = false;
        if (bridge != null && bridge.hasPendingEvents()) {
            close(); // bytes or a close from the origin are on their way: never reuse it
            return null;
        }
        return channel.isActive() && reusable ? this : null;
    }

    @Override
    public boolean isActive() {
        return channel != null && channel.isActive() && reusable;
    }

    @Override
    public void enterPool(long idleNanos) {
        owner = null;
        pooled = true;
        idleTimeoutNanos = idleNanos;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        timer.arm(lastActivity + idleNanos);
    }

    @Override
    public void close() {
        reusable = false;
        owner = null;
        if (channel != null) {
            channel.close();
        }
    }

    // ---- UpstreamSession -------------------------------------------------------------------------------------------

    @Override
    public void attach(Exchange<?> exchange, RequestHeader request, HttpPeer peer) {
        owner = exchange;
        inResponse = false;
        completed = false;
        lastActivity = EventClock.now(ticker);
        timeouts.start(peer, lastActivity);
        timer.arm(timeouts.next(lastActivity, 0));
    }

    @Override
    public PooledConnection connection() {
        return this;
    }

    @Override
    public StreamDigest digest() {
        return digest;
    }

    @Override
    public void sendHead(RequestHeader head, boolean endOfStream) {
        ByteBuf wire = codec.encodeRequestHead(channel.alloc(), head, endOfStream);
        if (endOfStream) {
            channel.writeAndFlush(wire, channel.voidPromise());
        } else {
            channel.write(wire, channel.voidPromise());
        }
    }

    @Override
    public void sendBody(ByteBuf data) {
        channel.write(codec.encodeBody(channel.alloc(), data), channel.voidPromise());
    }

    @Override
    public void sendEnd(HttpHeaders trailers) {
        channel.write(codec.encodeEnd(channel.alloc(), trailers), channel.voidPromise());
        lastActivity = EventClock.now(ticker); // the read timeout counts from the end of the request
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void pauseReading(boolean pause) {
        channel.config().setAutoRead(!pause);
    }

    @Override
    public boolean isReusable() {
        return isActive();
    }

    // ---- the response, from the codec -----------------------------------------------------------------------------

    @Override
    public void onRead(ByteBuf in) {
        lastActivity = EventClock.now(ticker);
        if (owner == null) {
            in.release();
            reusable = false; // bytes while idle: the connection's state is unknown
            leavePool();
            channel.close();
            return;
        }
        if (pending == null) {
            pending = in;
        } else {
            ByteBuf merged = channel.alloc().buffer(pending.readableBytes() + in.readableBytes());
            merged.writeBytes(pending).writeBytes(in);
            pending.release();
            in.release();
            pending = merged;
        }
        while (pending != null && owner != null) {
            Exchange<?> ex = owner;
            boolean progress;
            try {
                progress = codec.decode(pending, this);
            } catch (RuntimeException e) {
                releasePending();
                fail(ProxyError.because(
                        ErrorKind.INVALID_HTTP_HEADER,
                        ErrorSource.UPSTREAM,
                        "custom protocol " + protocol.alpn() + ": "
                                + (e instanceof CustomProtocolException ? e.getMessage() : "decoder failed: " + e),
                        e));
                return;
            }
            if (!pending.isReadable()) {
                releasePending();
            }
            if (completed) {
                completed = false;
                if (pending != null) {
                    reusable = false; // bytes after the response: not a clean connection any more
                    releasePending();
                }
                if (owner == ex) {
                    ex.onResponseComplete();
                }
                return;
            }
            if (!progress) {
                return;
            }
        }
        releasePending();
    }

    @Override
    public void requestHead(RequestHeader head, boolean end) {
        throw new CustomProtocolException("a request head (" + head.method() + ") from an origin");
    }

    @Override
    public void responseHead(ResponseHeader head, boolean end) {
        if (inResponse) {
            throw new CustomProtocolException("a second response head inside a response");
        }
        HopByHop.strip(head.headers());
        if (head.isInformational()) {
            owner.onInformational(head);
            return;
        }
        BodyFraming.Kind kind = end
                ? BodyFraming.Kind.NONE
                : head.headers().contains("Content-Length")
                        ? BodyFraming.Kind.CONTENT_LENGTH
                        : BodyFraming.Kind.CHUNKED;
        inResponse = !end;
        completed = end;
        owner.onResponseHead(head, kind, 0);
    }

    @Override
    public void body(ByteBuf data) {
        if (!inResponse) {
            data.release();
            throw new CustomProtocolException("a body piece outside a response");
        }
        owner.onResponseBody(data, false, null);
    }

    @Override
    public void end(HttpHeaders trailers) {
        if (!inResponse) {
            throw new CustomProtocolException("a body end outside a response");
        }
        inResponse = false;
        completed = true;
        owner.onResponseBody(null, true, trailers);
    }

    private void fail(ProxyError e) {
        reusable = false;
        Exchange<?> ex = owner;
        owner = null;
        channel.close();
        if (ex != null) {
            ex.onUpstreamError(this, e);
        }
    }

    private void leavePool() {
        if (pooled) {
            pooled = false;
            pool.remove(this, key);
        }
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    // ---- channel events
    // ----------------------------------------------------------------------------------------------

    @Override
    public void onReadComplete() {
        Exchange<?> ex = owner;
        if (ex != null) {
            ex.flushDownstream();
        }
    }

    @Override
    public void onWritabilityChanged() {
        if (!channel.isWritable() && owner != null) {
            unwritableSince = EventClock.now(ticker);
            timer.arm(unwritableSince + timeouts.writeNanos());
        }
        Exchange<?> ex = owner;
        if (ex != null) {
            ex.upstreamWritabilityChanged(channel.isWritable());
        }
    }

    @Override
    public void onInactive() {
        reusable = false;
        timer.cancel();
        releasePending();
        leavePool();
        Exchange<?> ex = owner;
        if (ex == null) {
            return;
        }
        owner = null;
        boolean started = inResponse;
        ex.onUpstreamError(
                this,
                ProxyError.of(
                                ErrorKind.CONNECTION_CLOSED,
                                ErrorSource.UPSTREAM,
                                started
                                        ? "origin closed inside the response body"
                                        : "origin closed before the response")
                        .retry(started ? ProxyError.Retry.NEVER : ProxyError.Retry.REUSED_ONLY));
    }

    @Override
    public void onInputShutdown() {}

    @Override
    public void onException(Throwable cause) {
        if (owner == null) {
            reusable = false;
            channel.close();
            return;
        }
        boolean ioError = cause instanceof IOException && !(cause instanceof javax.net.ssl.SSLException);
        fail(ProxyError.because(ErrorKind.READ_ERROR, ErrorSource.UPSTREAM, "upstream I/O", cause)
                .retry(ioError && !inResponse ? ProxyError.Retry.REUSED_ONLY : ProxyError.Retry.NEVER));
    }

    private void onTimer() {
        long now = EventClock.now(ticker);
        if (owner != null) {
            long blocked = channel.isWritable() ? 0 : unwritableSince;
            ProxyError e = timeouts.expired(now, lastActivity, blocked);
            if (e != null) {
                fail(e);
                return;
            }
            timer.arm(timeouts.next(lastActivity, blocked));
        } else if (pooled) {
            long deadline = lastActivity + idleTimeoutNanos;
            if (now - deadline >= 0) {
                leavePool();
                close();
            } else {
                timer.arm(deadline);
            }
        }
    }
}
