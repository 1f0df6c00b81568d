package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.proxy.core.internal.DirectWrite;
import net.proxy.http.BodyFraming;
import net.proxy.http.Http1Serializer;
import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpParseException;
import net.proxy.http.HttpVersion;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.http.netty.ByteBufHttp1;

/**
 * One request going through the phases of a {@link ProxyHttp}: the engine's state machine and the
 * {@link Session} the phases see. Runs on its downstream's event loop only.
 *
 * <p>Request body: chunks that arrive before the upstream connection is ready wait (reading stops past 64 KiB);
 * every chunk is also kept, as a retained view, in the 64 KiB retry buffer until the body outgrows it. A retry
 * after bytes went upstream replays that buffer; it is only allowed for idempotent methods whose body fit.
 */
final class Exchange<C> extends ExchangeSession implements UpstreamPool.Opening {
    private static final System.Logger LOG = System.getLogger(Exchange.class.getName());

    private final HttpProxy<C> proxy;
    private final ProxyHttp<C> app;
    private final UpstreamPool pool;
    private final long deadline;
    private C ctx;
    /** Whether {@link ProxyHttp#newContext()} returned (a context may be null, e.g. for {@code Void}). */
    private boolean hasContext;

    private boolean finished;
    private int retries;

    private HttpPeer peer;
    private UpstreamConnection up;
    private boolean upReused;
    private boolean bytesSent;
    private boolean upChunked;
    private boolean upKeepAlive;
    private boolean requestEnded;
    private boolean requestSent;
    private boolean upDirty;
    private boolean downDirty;
    private boolean downChunked;
    private boolean sent100;
    private ProxyError error;
    private int responseStatus;
    private int clientConnectionFlags = -1;
    /** A response head not written yet, and the free bytes before the body it may be written into. */
    private ResponseHeader pendingHead;

    private int pendingHeadroom;
    private HttpHeaders requestTrailers;

    private final RequestBodyBuffer body = new RequestBodyBuffer();

    Exchange(
            HttpProxy<C> proxy,
            Downstream down,
            UpstreamPool pool,
            RequestHeader request,
            boolean subrequest,
            long startNanos) {
        super(proxy, down, request, subrequest, startNanos);
        this.proxy = proxy;
        this.app = proxy.app();
        this.pool = pool;
        this.deadline = startNanos + proxy.settings().totalTimeoutNanos;
        this.requestEnded = !requestFraming.hasBody();
        this.requestSent = requestEnded;
    }

    long deadline() {
        return deadline;
    }

    boolean isFinished() {
        return finished;
    }

    // ---- phases ----------------------------------------------------------------------------------------------

    void start() {
        try {
            ctx = app.newContext();
            hasContext = true;
            app.earlyRequestFilter(this, ctx);
            // the engine always calls the asynchronous variant; its default calls the synchronous phase
            await(app.requestFilterAsync(this, ctx), this::afterRequestFilter);
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
        }
    }

    private void afterRequestFilter(Boolean answered) {
        if (Boolean.TRUE.equals(answered)) {
            complete();
            return;
        }
        if (!app.proxyUpstreamFilter(this, ctx)) {
            if (!responseStarted) {
                respondError(502);
            }
            complete();
            return;
        }
        attempt();
    }

    private void attempt() {
        attempts++;
        CompletionStage<HttpPeer> stage;
        try {
            stage = app.upstreamPeerAsync(this, ctx);
        } catch (Throwable t) {
            retryOrFail(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return;
        }
        await(stage, this::connectTo, this::retryOrFail);
    }

    private void connectTo(HttpPeer p) {
        if (finished) {
            return;
        }
        if (p == null) {
            fail(ProxyError.of(ErrorKind.NO_UPSTREAM, ErrorSource.UPSTREAM, "upstreamPeer chose no peer"));
            return;
        }
        peer = p;
        UpstreamConnection pooled = pool.acquire(p.poolKey());
        if (pooled != null) {
            upReused = true;
            connectNanos = 0;
            connected(pooled);
            return;
        }
        upReused = false;
        pool.open(p, this);
    }

    @Override
    public void opened(UpstreamConnection c, long nanos) {
        try {
            connectNanos = nanos;
            connected(c);
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
        }
    }

    @Override
    public void failed(ProxyError e) {
        try {
            connectFailed(e);
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
        }
    }

    private void connectFailed(ProxyError e) {
        if (finished) {
            return;
        }
        ProxyError decided;
        try {
            decided = app.failToConnect(this, peer, ctx, e);
        } catch (Throwable t) {
            decided = ProxyError.wrap(t, ErrorSource.INTERNAL);
        }
        retryOrFail(decided);
    }

    private void connected(UpstreamConnection c) {
        if (finished) {
            pool.release(c, peer);
            return;
        }
        up = c;
        c.attach(this, request.method(), peer);
        try {
            app.connectedToUpstream(this, upReused, peer, c.digest(), ctx);
            RequestHeader h = request.copy();
            h.version(HttpVersion.HTTP_1_1);
            clientConnectionFlags = Http1Wire.stripHopByHop(h.headers());
            upChunked = requestFraming.kind() == BodyFraming.Kind.CHUNKED;
            if (upChunked) {
                h.headers().add("Transfer-Encoding", "chunked");
            }
            app.upstreamRequestFilter(this, h, ctx);
            Channel ch = c.channel();
            ByteBuf head = Http1Wire.encode(ch.alloc(), h);
            boolean replay = bytesSent;
            bytesSent = true;
            if (!requestFraming.hasBody()) {
                // a request sent whole here needs no c.requestSent(): attach() read the clock a moment ago
                DirectWrite.writeAndFlush(ch, head);
                return;
            }
            ch.write(head, ch.voidPromise());
            if (replay) {
                if (!body.replay(this::sendChunk, requestEnded) && requestEnded) {
                    sendChunk(Unpooled.EMPTY_BUFFER, true);
                }
            } else {
                body.sendHeld(this::sendChunk, requestEnded);
            }
            ch.flush();
            if (!requestEnded) {
                down.pauseBody(!ch.isWritable());
            }
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
        }
    }

    /**
     * A piece of the downstream request body ({@code chunk} may be null on the end); {@code trailers} are those of
     * a chunked body, on the end only (else null).
     */
    void requestBody(ByteBuf chunk, boolean end, HttpHeaders trailers) {
        if (trailers != null && !trailers.isEmpty()) {
            requestTrailers = trailers;
        }
        ByteBuf data = chunk == null ? Unpooled.EMPTY_BUFFER : chunk;
        if (finished) {
            data.release();
            return;
        }
        requestBodyBytes += data.readableBytes();
        body.remember(data);
        if (end) {
            requestEnded = true;
        }
        if (up != null) {
            try {
                sendChunk(data, end);
            } catch (Throwable t) {
                fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
                return;
            }
            upDirty = true;
            if (end) {
                up.requestSent();
            }
            if (!up.channel().isWritable()) {
                down.pauseBody(true);
            }
        } else if (body.hold(data)) {
            down.pauseBody(true);
        }
    }

    void requestBodyError(HttpParseException e) {
        fail(ProxyError.status(e.status(), ErrorSource.DOWNSTREAM, "request body: " + e.reason()));
    }

    private void sendChunk(ByteBuf chunk, boolean end) {
        ByteBuf out = app.requestBodyFilter(this, chunk, end, ctx);
        Channel ch = up.channel();
        if (out != null) {
            if (out.isReadable()) {
                ch.write(upChunked ? ByteBufHttp1.encodeChunk(out, ch.alloc()) : out, ch.voidPromise());
            } else {
                out.release();
            }
        }
        if (end) {
            if (upChunked) {
                HttpHeaders t = requestTrailers == null ? HttpHeaders.create() : requestTrailers.copy();
                ch.write(Http1Wire.lastChunk(ch.alloc(), t), ch.voidPromise());
            }
            requestSent = true;
        }
    }

    void onInformational(ResponseHeader head) {
        if (finished || responseStarted) {
            return;
        }
        if (head.status() == 100) {
            if (request.expectsContinue() && !sent100) {
                sent100 = true;
                down.write(Http1Wire.CONTINUE_100.duplicate());
                down.flush();
            }
            return;
        }
        Http1Wire.stripHopByHop(head.headers());
        head.version(HttpVersion.HTTP_1_1);
        down.write(Http1Wire.encode(down.alloc(), head));
        down.flush();
    }

    /**
     * The origin's response head. {@code headroom > 0} promises that the whole body follows at once as the read
     * buffer itself, with that many free bytes before its reader index: the head is then written into them so
     * head and body leave in one buffer, unless a body filter swaps the buffer.
     */
    void onResponseHead(ResponseHeader head, BodyFraming framing, int headroom) {
        if (finished) {
            return;
        }
        HttpHeaders h = head.headers();
        upKeepAlive = Http1Wire.keepAlive(head.version(), Http1Wire.stripHopByHop(h));
        int status = head.status();
        Set<Integer> retryStatuses = proxy.settings().retryStatuses;
        if (!retryStatuses.isEmpty()
                && retryStatuses.contains(status)
                && retries < proxy.settings().maxRetries
                && Http1Wire.idempotent(request.method())
                && isRequestReplayable()) {
            UpstreamConnection c = up;
            up = null;
            c.close();
            ProxyError e = ProxyError.status(status, ErrorSource.UPSTREAM, "retrying on status " + status)
                    .retryable(true);
            retryOrFail(decideWhileProxy(e));
            return;
        }
        try {
            app.upstreamResponseFilter(this, head, ctx);
            app.responseFilter(this, head, ctx);
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return;
        }
        boolean http11 = request.version() != HttpVersion.HTTP_1_0;
        BodyFraming.Kind kind = framing.kind();
        if (kind == BodyFraming.Kind.CHUNKED
                || kind == BodyFraming.Kind.CLOSE_DELIMITED
                || kind == BodyFraming.Kind.CONTENT_LENGTH && !h.contains("Content-Length")) {
            // a filter that changes the body's length removes Content-Length; the body is then re-framed
            h.remove("Content-Length");
            if (http11) {
                h.add("Transfer-Encoding", "chunked");
                downChunked = true;
            } else {
                keepAlive = false;
            }
        }
        setConnectionHeader(h);
        head.version(HttpVersion.HTTP_1_1);
        responseStarted = true;
        responseStatus = head.status();
        if (headroom > 0 && !downChunked) {
            pendingHead = head;
            pendingHeadroom = headroom;
            return;
        }
        down.write(Http1Wire.encode(down.alloc(), head));
        downDirty = true;
    }

    /**
     * Writes the head held back by {@link #onResponseHead} ahead of {@code out}: into the free bytes before
     * {@code out}'s reader index when {@code out} is the read buffer the body came in, else as its own buffer.
     */
    private void writePendingHead(ByteBuf received, ByteBuf out) {
        ResponseHeader head = pendingHead;
        pendingHead = null;
        int n = Http1Serializer.encodedLength(head);
        if (out == received && out != null && n <= pendingHeadroom && out.readerIndex() >= n) {
            byte[] scratch = Http1Wire.scratch(n);
            Http1Serializer.encode(head, scratch, 0);
            int at = out.readerIndex() - n;
            out.setBytes(at, scratch, 0, n);
            out.readerIndex(at);
        } else {
            down.write(Http1Wire.encode(down.alloc(), head));
        }
    }

    private void setConnectionHeader(HttpHeaders h) {
        boolean clientKeepAlive = clientConnectionFlags < 0
                ? request.keepAlive()
                : Http1Wire.keepAlive(request.version(), clientConnectionFlags);
        keepAlive = keepAlive && down.canKeepAlive() && clientKeepAlive && !proxy.isShuttingDown();
        if (!keepAlive) {
            h.set("Connection", "close");
        } else if (request.version() == HttpVersion.HTTP_1_0) {
            h.set("Connection", "keep-alive");
        }
    }

    void onResponseBody(ByteBuf chunk, boolean end, HttpHeaders trailers) {
        if (finished) {
            if (chunk != null) {
                chunk.release();
            }
            return;
        }
        try {
            if (chunk != null || end) {
                ByteBuf data = chunk == null ? Unpooled.EMPTY_BUFFER : chunk;
                upstreamBodyBytes += data.readableBytes();
                ByteBuf seen = app.upstreamResponseBodyFilter(this, data, end, ctx);
                ByteBuf out = seen == null && !end
                        ? null
                        : app.responseBodyFilter(this, seen == null ? Unpooled.EMPTY_BUFFER : seen, end, ctx);
                int n = out == null ? 0 : out.readableBytes();
                if (pendingHead != null) {
                    writePendingHead(chunk, n > 0 ? out : null);
                }
                if (out != null) {
                    if (n > 0) {
                        responseBodyBytes += n;
                        down.write(downChunked ? ByteBufHttp1.encodeChunk(out, down.alloc()) : out);
                    } else {
                        out.release();
                    }
                }
            }
            if (end && downChunked) {
                HttpHeaders t = trailers == null ? HttpHeaders.create() : trailers;
                if (!t.isEmpty()) {
                    app.upstreamResponseTrailerFilter(this, t, ctx);
                    app.responseTrailerFilter(this, t, ctx);
                }
                down.write(Http1Wire.lastChunk(down.alloc(), t));
            }
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return;
        }
        downDirty = true;
        if (!end && up != null && !down.isWritable()) {
            up.pauseReading(true);
        }
    }

    void onResponseComplete() {
        if (finished) {
            return;
        }
        UpstreamConnection c = up;
        up = null;
        if (c != null) {
            if (requestSent && upKeepAlive && c.isActive()) {
                pool.release(c, peer);
            } else {
                c.close();
            }
        }
        complete();
    }

    void onUpstreamError(UpstreamConnection c, ProxyError e, boolean beforeResponse) {
        if (finished || c != up) {
            return;
        }
        up = null;
        if (responseStarted) {
            fail(e);
            return;
        }
        retryOrFail(decideWhileProxy(e));
    }

    private ProxyError decideWhileProxy(ProxyError e) {
        try {
            return app.errorWhileProxy(peer, this, e, ctx, upReused);
        } catch (Throwable t) {
            return ProxyError.wrap(t, ErrorSource.INTERNAL);
        }
    }

    void onTimeout() {
        if (!finished) {
            fail(ProxyError.of(
                    ErrorKind.TOTAL_TIMEOUT, ErrorSource.UPSTREAM, "request took longer than the total timeout"));
        }
    }

    /** The client read nothing for {@code nanos} while a write waited: the request fails as a write timeout. */
    void downstreamWriteTimeout(long nanos) {
        if (!finished) {
            fail(ProxyError.of(
                    ErrorKind.WRITE_TIMEOUT,
                    ErrorSource.DOWNSTREAM,
                    "the client read nothing for " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms"));
        }
    }

    void downstreamClosed() {
        if (!finished) {
            fail(ProxyError.of(ErrorKind.CONNECTION_CLOSED, ErrorSource.DOWNSTREAM, "client closed the connection"));
        }
    }

    void flushUpstream() {
        if (upDirty) {
            upDirty = false;
            if (up != null) {
                up.channel().flush();
            }
        }
    }

    void flushDownstream() {
        if (downDirty) {
            downDirty = false;
            down.flush();
        }
    }

    void upstreamWritabilityChanged(boolean writable) {
        if (!requestEnded && !finished) {
            down.pauseBody(!writable);
        }
    }

    void downstreamWritabilityChanged(boolean writable) {
        if (up != null) {
            up.pauseReading(!writable);
        }
    }

    // ---- endings ---------------------------------------------------------------------------------------------

    private void retryOrFail(ProxyError e) {
        if (finished) {
            return;
        }
        if (e.isRetryable() && retries < proxy.settings().maxRetries && !responseStarted && isRequestReplayable()) {
            retries++;
            if (up != null) {
                up.close();
                up = null;
            }
            upDirty = false;
            requestSent = !requestFraming.hasBody();
            LOG.log(Level.DEBUG, () -> "retrying " + summary() + " after: " + e.getMessage());
            attempt();
            return;
        }
        fail(e);
    }

    private void complete() {
        finished = true;
        if (!responseStarted) {
            respondError(502);
        }
        down.flush();
        boolean keep = keepAlive && down.requestBodyComplete() && down.canKeepAlive();
        log(null);
        releaseBuffers();
        down.exchangeDone(this, keep);
    }

    private void fail(ProxyError e) {
        if (finished) {
            return;
        }
        finished = true;
        error = e;
        if (up != null) {
            up.close();
            up = null;
        }
        if (pendingHead != null) {
            // the held-back head never left: the client can still get an error response instead
            pendingHead = null;
            responseStarted = false;
        }
        FailToProxy r;
        boolean wasStarted = responseStarted;
        try {
            r = app.failToProxy(this, e, ctx);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "failToProxy threw for " + summary(), t);
            r = new FailToProxy(0, false);
        }
        if (e.source() != ErrorSource.DOWNSTREAM || e.defaultStatus() != 0) {
            LOG.log(Level.DEBUG, () -> "fail to proxy: " + e.getMessage() + ", tries: " + attempts + ", " + summary());
        }
        boolean keep = r.canReuseDownstream() && !wasStarted && down.requestBodyComplete() && keepAlive;
        if (!keep) {
            down.forceClose();
        }
        down.flush();
        log(e);
        releaseBuffers();
        down.exchangeDone(this, keep);
    }

    private void log(ProxyError e) {
        if (!hasContext) {
            return;
        }
        try {
            app.logging(this, e, ctx);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "logging phase threw for " + summary(), t);
        }
    }

    private void releaseBuffers() {
        body.release();
    }

    private String summary() {
        return request.method() + " " + request.target() + ", Host: "
                + request.headers().get("Host");
    }

    private <T> void await(CompletionStage<T> stage, Consumer<T> next) {
        await(stage, next, this::fail);
    }

    /** Continues with the stage's value on the loop, at once if it is already there; a failure goes to onError. */
    private <T> void await(CompletionStage<T> stage, Consumer<T> next, Consumer<ProxyError> onError) {
        if (stage instanceof CompletableFuture && down.loop().inEventLoop()) {
            CompletableFuture<T> f = (CompletableFuture<T>) stage;
            if (f.isDone() && !f.isCompletedExceptionally()) {
                next.accept(f.getNow(null));
                return;
            }
        }
        stage.whenComplete((v, t) -> onLoop(() -> {
            if (finished) {
                return;
            }
            if (t != null) {
                onError.accept(ProxyError.wrap(t, ErrorSource.INTERNAL));
            } else {
                next.accept(v);
            }
        }));
    }

    private void onLoop(Runnable r) {
        Runnable guarded = () -> {
            try {
                r.run();
            } catch (Throwable t) {
                fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
            }
        };
        if (down.loop().inEventLoop()) {
            guarded.run();
        } else {
            down.loop().execute(guarded);
        }
    }

    // ---- Session ---------------------------------------------------------------------------------------------

    @Override
    public void writeResponse(ResponseHeader header, ByteBuf body) {
        if (responseStarted) {
            if (body != null) {
                body.release();
            }
            throw new IllegalStateException("a response was already started for " + summary());
        }
        HttpHeaders h = header.headers();
        Http1Wire.stripHopByHop(h);
        int n = body == null ? 0 : body.readableBytes();
        int status = header.status();
        if (status >= 200 && status != 204 && status != 304) {
            h.set("Content-Length", Integer.toString(n));
        }
        setConnectionHeader(h);
        header.version(HttpVersion.HTTP_1_1);
        responseStarted = true;
        responseStatus = status;
        down.write(Http1Wire.encode(down.alloc(), header));
        if (body != null) {
            if (n > 0 && !"HEAD".equals(request.method())) {
                responseBodyBytes += n;
                down.write(body);
            } else {
                body.release();
            }
        }
        down.flush();
    }

    @Override
    public void respondError(int status) {
        keepAlive = false;
        down.forceClose();
        ResponseHeader h = ResponseHeader.of(status);
        h.headers().add("Content-Length", "0").add("Cache-Control", "private, no-store");
        writeResponse(h, null);
    }

    @Override
    public boolean isRequestReplayable() {
        if (!bytesSent) {
            return true;
        }
        return !body.truncated() && Http1Wire.idempotent(request.method());
    }

    @Override
    public CompletionStage<Integer> spawnBackgroundSubrequest(RequestHeader sub) {
        return proxy.spawnSubrequest(down, pool, sub);
    }

    /** The status of the response sent downstream, 0 if none. */
    int responseStatus() {
        return responseStatus;
    }

    /** The error this exchange failed with, or null. */
    ProxyError error() {
        return error;
    }
}
