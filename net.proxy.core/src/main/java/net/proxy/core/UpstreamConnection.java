package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.io.IOException;
import net.proxy.core.internal.DirectWrite;
import net.proxy.core.internal.EventClock;
import net.proxy.core.internal.LazyTimer;
import net.proxy.http.BodyDecoder;
import net.proxy.http.BodyFraming;
import net.proxy.http.Http1ResponseParser;
import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpLimits;
import net.proxy.http.HttpParseException;
import net.proxy.http.HttpVersion;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.netty.ByteBufHttp1;
import net.proxy.l4.StreamDigest;
import net.proxy.l4.StreamKind;

/**
 * One HTTP/1.1 connection to an origin: parses responses for the {@link Exchange} that holds it, and watches
 * itself while idle in the pool (any byte or a close makes it unusable). One timer per connection serves the read
 * timeout while a response is awaited and the idle timeout while pooled; it is re-armed lazily.
 *
 * <p>Threading: every method runs on the event loop of the downstream connection whose pool owns this connection.
 * For TCP and Unix peers that is the channel's own loop and this is the channel's handler; a virtual transport's
 * channel may live on another loop, and then a {@link LoopBridge} on that channel hands each event (reads,
 * read-complete, writability, close, errors) to the pool's loop in order, and the timer runs there too. Writes,
 * flushes, {@code autoRead} changes and {@code close} from the pool's loop are thread-safe Netty calls that the
 * channel's loop performs in submission order; writability is re-read when its event arrives, so a stale event
 * never leaves the exchange paused.
 */
final class UpstreamConnection extends BridgedHandler implements PooledConnection, UpstreamSession {
    private final UpstreamPool pool;
    private final HttpPeer.PoolKey key;
    private final Http1ResponseParser parser;
    private final HttpLimits limits;
    private Channel channel;
    private Exchange<?> owner;
    /** The tunnel this connection became after a 101; it then gets every event. */
    private Tunnel<?> tunnel;
    /** The body being read, or null; when not null, it is {@link #decoder}. */
    private BodyDecoder body;
    /** The decoder of this connection's response bodies, made on first use and reset for each. */
    private BodyDecoder decoder;

    private boolean inBody;
    private boolean chunked;
    /** Whether the request being sent is framed as chunked. */
    private boolean chunkedRequest;
    /** Whether the request (from an HTTP/2 client) announced trailers with a Trailer field. */
    private boolean trailersAnnounced;

    private boolean reusable = true;
    private boolean pooled;
    private final AttemptTimeouts timeouts = new AttemptTimeouts("");
    private long unwritableSince;
    private long idleTimeoutNanos;
    private long lastActivity;
    private LazyTimer timer;
    private final StreamDigest digest;
    private LoopBridge bridge;

    /**
     * Whether read buffers are this connection's alone: socket reads are; a virtual transport may hand over
     * buffers that share memory with what the origin keeps, so their consumed bytes are never reused.
     */
    private final boolean ownsReadBuffers;

    UpstreamConnection(UpstreamPool pool, HttpPeer peer, HttpLimits limits, StreamDigest digest) {
        super(pool.ticker());
        this.pool = pool;
        this.key = peer.poolKey();
        this.digest = digest;
        this.ownsReadBuffers = digest.kind() != StreamKind.VIRTUAL;
        this.limits = limits;
        this.parser = Http1ResponseParser.create(limits);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        adopt(ctx.channel(), ctx.channel().eventLoop(), null);
    }

    /**
     * Binds to {@code ch}, whose events reach this connection on {@code loop} (through {@code bridge} when the
     * channel lives on another loop, else null).
     */
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

    Channel channel() {
        return channel;
    }

    @Override
    public StreamDigest digest() {
        return digest;
    }

    @Override
    public boolean isActive() {
        return channel != null && channel.isActive() && reusable;
    }

    @Override
    public boolean isReusable() {
        return isActive();
    }

    @Override
    public PooledConnection connection() {
        return this;
    }

    @Override
    public boolean multiplexed() {
        return false;
    }

    @Override
    public void attach(Exchange<?> exchange, RequestHeader request, HttpPeer peer) {
        owner = exchange;
        parser.requestMethod(request.method());
        // an HTTP/2 request that announces trailers goes chunked, the only HTTP/1.1 framing that carries them
        trailersAnnounced =
                request.version() == HttpVersion.HTTP_2 && request.headers().contains("Trailer");
        inBody = false;
        body = null;
        lastActivity = EventClock.now(ticker);
        timeouts.start(peer, lastActivity);
        timer.arm(timeouts.next(lastActivity, 0));
    }

    /** This connection itself, out of the pool, if it is still usable; else null (and closed if it misbehaved). */
    @Override
    public UpstreamSession newSession() {
        pooled = false;
        if (bridge != null && bridge.hasPendingEvents()) {
            // Bytes or a close from the origin are on their way from the channel's loop: never reuse it.
            close();
            return null;
        }
        return channel.isActive() && reusable ? this : null;
    }

    @Override
    public void enterPool(long idleNanos) {
        owner = null;
        pooled = true;
        idleTimeoutNanos = idleNanos;
        // idle since the last byte read (the response's end, moments ago) or since the connection opened
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

    @Override
    public void pauseReading(boolean pause) {
        channel.config().setAutoRead(!pause);
    }

    // ---- the request, in HTTP/1 (RFC 9112) ---------------------------------------------------------------------

    @Override
    public void sendHead(RequestHeader head, boolean endOfStream) {
        head.version(HttpVersion.HTTP_1_1);
        chunkedRequest = !endOfStream && (trailersAnnounced || !head.headers().contains("Content-Length"));
        if (chunkedRequest) {
            head.headers().remove("Content-Length");
            head.headers().add("Transfer-Encoding", "chunked");
        }
        ByteBuf wire = Http1Wire.encode(channel.alloc(), head);
        if (endOfStream) {
            // a request sent whole here needs no requestSent(): attach() read the clock a moment ago
            DirectWrite.writeAndFlush(channel, wire);
        } else {
            channel.write(wire, channel.voidPromise());
        }
    }

    @Override
    public void sendBody(ByteBuf data) {
        channel.write(chunkedRequest ? ByteBufHttp1.encodeChunk(data, channel.alloc()) : data, channel.voidPromise());
    }

    @Override
    public void sendEnd(HttpHeaders trailers) {
        if (chunkedRequest) {
            HttpHeaders t = trailers == null ? HttpHeaders.create() : trailers.copy();
            channel.write(Http1Wire.lastChunk(channel.alloc(), t), channel.voidPromise());
        }
        // the read timeout counts from the end of the request
        lastActivity = EventClock.now(ticker);
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** Bytes from the origin; releases {@code in}. */
    @Override
    public void onRead(ByteBuf in) {
        if (tunnel != null) {
            tunnel.fromOrigin(in);
            return;
        }
        try {
            lastActivity = EventClock.now(ticker);
            if (owner == null) {
                reusable = false;
                if (pooled) {
                    pooled = false;
                    pool.remove(this, key);
                }
                channel.close();
                return;
            }
            read(in);
        } finally {
            in.release();
        }
    }

    private void read(ByteBuf in) {
        while (in.isReadable() && owner != null) {
            if (!inBody) {
                ResponseHeader head;
                int headStart = in.readerIndex();
                try {
                    head = ByteBufHttp1.parse(parser, in);
                } catch (HttpParseException e) {
                    fail(
                            ProxyError.because(
                                    ErrorKind.INVALID_HTTP_HEADER,
                                    ErrorSource.UPSTREAM,
                                    "response head: " + e.reason(),
                                    e),
                            false);
                    return;
                }
                if (head == null) {
                    return;
                }
                if (head.isInformational() && !head.isUpgrade()) {
                    HopByHop.strip(head.headers());
                    owner.onInformational(head);
                    continue;
                }
                if (head.isUpgrade()) {
                    becomeTunnel(head, in);
                    return;
                }
                BodyFraming framing = head.framing();
                if (framing.kind() == BodyFraming.Kind.TUNNEL) {
                    fail(
                            ProxyError.of(
                                    ErrorKind.INVALID_HTTP_HEADER,
                                    ErrorSource.UPSTREAM,
                                    "a CONNECT tunnel through an HTTP origin is not proxied (status " + head.status()
                                            + ")"),
                            false);
                    return;
                }
                // framing was read above: the framing fields go with the other hop-by-hop ones
                if (!HopByHop.keepAlive(head.version(), HopByHop.strip(head.headers()))) {
                    reusable = false;
                }
                if (framing.kind() == BodyFraming.Kind.CLOSE_DELIMITED) {
                    reusable = false;
                }
                Exchange<?> ex = owner;
                if (!framing.hasBody()) {
                    ex.onResponseHead(head, framing.kind(), 0);
                    if (owner == ex) {
                        responseDone(ex, in.isReadable());
                    }
                    continue;
                }
                body = decoder == null ? (decoder = BodyDecoder.of(framing, limits)) : decoder.reset(framing);
                chunked = framing.kind() == BodyFraming.Kind.CHUNKED;
                inBody = true;
                // a body that fills the rest of this buffer comes back from takeBody as the buffer itself, and
                // the bytes the head took in it are free: the exchange may write the new head there
                boolean wholeBody = ownsReadBuffers
                        && framing.kind() == BodyFraming.Kind.CONTENT_LENGTH
                        && framing.contentLength() == in.readableBytes()
                        && !in.isReadOnly();
                ex.onResponseHead(head, framing.kind(), wholeBody ? in.readerIndex() - headStart : 0);
                continue;
            }
            ByteBuf chunk;
            try {
                chunk = ByteBufHttp1.takeBody(body, in);
            } catch (HttpParseException e) {
                fail(
                        ProxyError.because(
                                ErrorKind.INVALID_BODY, ErrorSource.UPSTREAM, "response body: " + e.reason(), e),
                        false);
                return;
            }
            boolean done = body.isComplete();
            boolean took = chunk == in; // the rest of in is the chunk, now owned downstream: never read it again
            Exchange<?> ex = owner;
            if (chunk != null || done) {
                ex.onResponseBody(chunk, done, done && chunked ? body.trailers() : null);
            }
            if (done && owner == ex) {
                responseDone(ex, !took && in.isReadable());
            }
            if (took) {
                return;
            }
        }
    }

    /**
     * A 101: the exchange turns into a tunnel and this connection into its origin side, never pooled again; the
     * bytes after the head in {@code in} are the new protocol's first.
     */
    private void becomeTunnel(ResponseHeader head, ByteBuf in) {
        Exchange<?> ex = owner;
        Tunnel<?> t = ex.onUpgrade(head, TunnelEnd.of(channel));
        if (t == null) {
            fail(
                    ProxyError.of(
                            ErrorKind.INVALID_HTTP_HEADER,
                            ErrorSource.UPSTREAM,
                            "the origin switched protocols (101) on a request that did not ask to"),
                    false);
            return;
        }
        carry(t);
        if (in.isReadable()) {
            t.fromOrigin(in.readRetainedSlice(in.readableBytes()));
        }
    }

    /** This connection is {@code t}'s origin side from now on (null: the exchange failed and closed it). */
    void carry(Tunnel<?> t) {
        if (t == null) {
            return;
        }
        tunnel = t;
        owner = null;
        reusable = false;
        timer.cancel();
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    private void responseDone(Exchange<?> ex, boolean bytesAfterResponse) {
        inBody = false;
        body = null;
        if (bytesAfterResponse) {
            reusable = false;
        }
        ex.onResponseComplete();
    }

    private void fail(ProxyError e, boolean reusedStale) {
        reusable = false;
        Exchange<?> ex = owner;
        owner = null;
        channel.close();
        if (ex != null) {
            ex.onUpstreamError(this, e);
        }
    }

    @Override
    public void onReadComplete() {
        if (tunnel != null) {
            tunnel.originReadComplete();
            return;
        }
        Exchange<?> ex = owner;
        if (ex != null) {
            ex.flushDownstream();
        }
    }

    /** Reads the current writability (not the event's), so a late event from another loop is never stale. */
    @Override
    public void onWritabilityChanged() {
        if (tunnel != null) {
            tunnel.originWritable(channel.isWritable());
            return;
        }
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
        if (tunnel != null) {
            tunnel.closed();
            return;
        }
        if (pooled) {
            pooled = false;
            pool.remove(this, key);
        }
        Exchange<?> ex = owner;
        if (ex == null) {
            return;
        }
        if (inBody && body != null) {
            try {
                body.endOfInput();
                owner = null;
                ex.onResponseBody(null, true, body.trailers());
                ex.onResponseComplete();
                return;
            } catch (HttpParseException e) {
                owner = null;
                ex.onUpstreamError(
                        this,
                        ProxyError.because(
                                ErrorKind.CONNECTION_CLOSED,
                                ErrorSource.UPSTREAM,
                                "origin closed inside the response body",
                                e));
                return;
            }
        }
        owner = null;
        ex.onUpstreamError(
                this,
                ProxyError.of(
                                ErrorKind.CONNECTION_CLOSED,
                                ErrorSource.UPSTREAM,
                                inBody
                                        ? "origin closed inside the response body"
                                        : "origin closed before the response head")
                        .retry(inBody ? ProxyError.Retry.NEVER : ProxyError.Retry.REUSED_ONLY));
    }

    @Override
    public void onInputShutdown() {
        if (tunnel != null) {
            tunnel.originEnded();
        }
    }

    @Override
    public void onException(Throwable cause) {
        Exchange<?> ex = owner;
        boolean ioError = cause instanceof IOException && !(cause instanceof javax.net.ssl.SSLException);
        if (ex == null) {
            reusable = false;
            channel.close();
            return;
        }
        fail(
                ProxyError.because(ErrorKind.READ_ERROR, ErrorSource.UPSTREAM, "upstream I/O", cause)
                        .retry(ioError && !inBody ? ProxyError.Retry.REUSED_ONLY : ProxyError.Retry.NEVER),
                !inBody);
    }

    private void onTimer() {
        long now = EventClock.now(ticker);
        if (owner != null) {
            long blocked = channel.isWritable() ? 0 : unwritableSince;
            ProxyError e = timeouts.expired(now, lastActivity, blocked);
            if (e != null) {
                fail(e, false);
                return;
            }
            timer.arm(timeouts.next(lastActivity, blocked));
        } else if (pooled) {
            long deadline = lastActivity + idleTimeoutNanos;
            if (now - deadline >= 0) {
                pooled = false;
                pool.remove(this, key);
                close();
            } else {
                timer.arm(deadline);
            }
        }
    }
}
