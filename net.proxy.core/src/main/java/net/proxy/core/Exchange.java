package net.proxy.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpParseException;
import net.proxy.http.HttpVersion;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;

/**
 * One request going through the phases of a {@link ProxyHttp}: the engine's phase driver and the {@link Session} the
 * phases see, independent of the protocols on either side. It reads the request from a {@link Downstream}, writes
 * the response through the downstream's {@link ResponseWriter}, and sends the request through an
 * {@link UpstreamSession}; wire formats live only there. {@link RetryPolicy} decides on retries. Runs on its
 * downstream's event loop only.
 *
 * <p>Request body: chunks that arrive before the upstream connection is ready wait (reading stops past 64 KiB);
 * every chunk is also kept, as a retained view, in the 64 KiB retry buffer until the body outgrows it. A retry
 * after bytes went upstream replays that buffer; it is only allowed for idempotent methods whose body fit.
 */
final class Exchange<C> extends ExchangeSession implements UpstreamPool.Opening {
    private static final System.Logger LOG = System.getLogger(Exchange.class.getName());

    private final HttpProxy<C> proxy;
    private final ProxyHttp<C> app;
    private final RetryPolicy retry;
    /** When the request must be over (the total timeout, or a gRPC call's own deadline). */
    private final RequestDeadline deadline;

    /**
     * The message framing of a gRPC response on its way to an HTTP/2 client, or null: a failure at a message
     * boundary ends the response with a {@code grpc-status} in trailers instead of a reset.
     */
    private GrpcFraming grpcFraming;

    private C ctx;
    /** Whether {@link ProxyHttp#newContext()} returned (a context may be null, e.g. for {@code Void}). */
    private boolean hasContext;

    private boolean finished;
    /** Whether {@code requestFilter} answered the request itself (the request ends with that response). */
    private boolean answeredByPhase;

    private HttpPeer peer;
    private UpstreamSession up;
    private boolean upReused;
    private boolean requestEnded;
    private boolean requestSent;
    private boolean upDirty;
    private boolean downDirty;

    private HttpHeaders requestTrailers;
    /**
     * Whether the response head went downstream without a length although the origin's body may not end through
     * {@link #onResponseBody} (a filter removed the {@code Content-Length} of an empty body): the end of the body is
     * then made when the response completes.
     */
    private boolean bodyEndPending;

    Exchange(
            HttpProxy<C> proxy,
            Downstream down,
            UpstreamPool pool,
            RequestHeader request,
            BodyFraming framing,
            boolean subrequest,
            long startNanos) {
        super(proxy, down, pool, request, framing, subrequest, startNanos);
        this.proxy = proxy;
        this.app = proxy.app();
        this.retry = new RetryPolicy(proxy.settings());
        this.deadline = RequestDeadline.of(grpc, request, startNanos, proxy.settings().totalTimeoutNanos);
        this.requestEnded = !requestFraming.hasBody();
        this.requestSent = requestEnded;
    }

    long deadline() {
        return deadline.at();
    }

    /** The error of a request whose {@link #deadline()} passed: the gRPC call's own, or the total timeout. */
    ProxyError deadlineError() {
        return deadline.error();
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
            if (deadline.malformed() != null) {
                // PROTOCOL-HTTP2.md gives grpc-timeout a strict grammar; a call that breaks it fails INTERNAL (as
                // grpc-go's server answers) rather than running without the deadline its client meant to set
                fail(ProxyError.status(400, ErrorSource.DOWNSTREAM, "malformed grpc-timeout: " + deadline.malformed()));
                return;
            }
            // the engine always calls the asynchronous variant; its default calls the synchronous phase
            await(app.requestFilterAsync(this, ctx), this::afterRequestFilter);
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
        }
    }

    private void afterRequestFilter(Boolean answered) {
        if (Boolean.TRUE.equals(answered)) {
            answeredByPhase = true;
            if (!streaming) {
                complete();
            }
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
        if (request.isConnect()) {
            connectTunnel();
            return;
        }
        CompletionStage<HttpPeer> stage;
        try {
            stage = app.upstreamPeerAsync(this, ctx);
        } catch (Throwable t) {
            retryOrFail(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return;
        }
        await(stage, this::connectTo, this::retryOrFail);
    }

    /** A {@code CONNECT}: to the peer {@code connectPeer} allows, on a connection of its own; 405 without one. */
    private void connectTunnel() {
        HttpPeer p;
        try {
            p = app.connectPeer(this, ctx);
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return;
        }
        if (p == null) {
            down.forceClose();
            fail(ProxyError.status(405, ErrorSource.DOWNSTREAM, "CONNECT to " + request.target() + " is not allowed"));
            return;
        }
        if (down.tunnelEnd() == null) {
            fail(ProxyError.status(501, ErrorSource.DOWNSTREAM, "CONNECT is not proxied over " + protocol()));
            return;
        }
        peer = p;
        upReused = false;
        pool.open(p, this);
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
        UpstreamSession pooled = pool.acquire(p.poolKey());
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
    public void opened(UpstreamSession c, long nanos) {
        try {
            connectNanos = nanos;
            connected(c);
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
        }
    }

    @Override
    public void failed(ProxyError e) {
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

    private void connected(UpstreamSession c) {
        if (finished) {
            pool.release(c, peer);
            return;
        }
        up = c;
        c.attach(this, request, peer);
        try {
            app.connectedToUpstream(this, upReused, peer, c.digest(), ctx);
            if (request.isConnect()) {
                if (!(c instanceof UpstreamConnection)) {
                    fail(ProxyError.of(ErrorKind.CONNECT_ERROR, ErrorSource.UPSTREAM, "CONNECT needs a byte stream"));
                    return;
                }
                UpstreamConnection origin = (UpstreamConnection) c;
                origin.carry(openTunnel(ResponseHeader.of(200), TunnelEnd.of(origin.channel()), down.tunnelEnd()));
                return;
            }
            RequestHeader h = request.copy();
            clientConnectionFlags = HopByHop.strip(h.headers());
            String upgrade = Upgrades.protocol(request, down);
            if (upgrade != null && !c.connection().multiplexed()) {
                Upgrades.forward(h, upgrade);
            }
            String left = deadline.remaining(proxy.settings().ticker.getAsLong());
            if (left != null) {
                h.headers().set("grpc-timeout", left);
            }
            app.upstreamRequestFilter(this, h, ctx);
            boolean replay = bytesSent;
            bytesSent = true;
            if (!requestFraming.hasBody()) {
                c.sendHead(h, true);
                return;
            }
            c.sendHead(h, false);
            if (replay) {
                if (!body.replay(this::sendChunk, requestEnded) && requestEnded) {
                    sendChunk(Unpooled.EMPTY_BUFFER, true);
                }
            } else {
                body.sendHeld(this::sendChunk, requestEnded);
            }
            c.flush();
            if (!requestEnded) {
                down.pauseBody(!c.isWritable());
            }
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
        }
    }

    /**
     * A piece of the downstream request body ({@code chunk} may be null on the end); {@code trailers} are those of
     * the body, on the end only (else null).
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
            if (!up.isWritable()) {
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
        if (out != null) {
            if (out.isReadable()) {
                up.sendBody(out);
            } else {
                out.release();
            }
        }
        if (end) {
            up.sendEnd(requestTrailers);
            requestSent = true;
        }
    }

    /** An interim (1xx) response from the origin, hop-by-hop fields removed. */
    void onInformational(ResponseHeader head) {
        if (!finished && !responseStarted) {
            writer.informational(head);
        }
    }

    /**
     * The origin's final response head, hop-by-hop fields removed. {@code headroom > 0} promises that the whole body
     * follows at once as the read buffer itself, with that many free bytes before its reader index (see
     * {@link ResponseWriter#head}).
     */
    void onResponseHead(ResponseHeader head, BodyFraming.Kind framing, int headroom) {
        if (finished) {
            return;
        }
        int status = head.status();
        if (grpc && framing == BodyFraming.Kind.NONE && retryOnGrpcStatus(head)) {
            return;
        }
        if (retry.retryOnStatus(status, request.method(), isRequestReplayable())) {
            UpstreamSession c = up;
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
        responseStarted = true;
        responseStatus = head.status();
        if (grpc
                && request.version() == HttpVersion.HTTP_2
                && Grpc.isGrpcContentType(head.headers().get("Content-Type"))) {
            grpcFraming = new GrpcFraming();
        }
        BodyFraming.Kind kind = framing;
        boolean bodyAllowed = !"HEAD".equals(request.method()) && status != 204 && status != 304;
        if (bodyAllowed && !head.headers().contains("Content-Length")) {
            // no length (any more): the writer frames the body anew, and an empty one is ended on completion
            if (kind == BodyFraming.Kind.NONE) {
                kind = BodyFraming.Kind.CHUNKED;
            }
            bodyEndPending = true;
        }
        writer.head(head, kind, headroom);
        downDirty = true;
    }

    /**
     * The origin switched protocols ({@code 101}, hop-by-hop fields still in {@code head}) on a request that asked
     * to: the response phases run on the 101 and the exchange becomes a tunnel whose origin side is {@code origin}.
     * Returns the tunnel, or null when there is none (the exchange ended, or the request did not ask to upgrade);
     * the caller then fails the connection.
     */
    Tunnel<C> onUpgrade(ResponseHeader head, TunnelEnd origin) {
        TunnelEnd client = down.tunnelEnd();
        if (finished || Upgrades.protocol(request, down) == null || client == null) {
            return null;
        }
        String protocol = head.headers().get("Upgrade");
        HopByHop.strip(head.headers());
        if (protocol != null) {
            head.headers().add("Upgrade", protocol);
        }
        try {
            app.upstreamResponseFilter(this, head, ctx);
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return null;
        }
        return openTunnel(head, origin, client);
    }

    /** Writes {@code head} (after {@code responseFilter}) and turns the exchange into a tunnel; null if it failed. */
    private Tunnel<C> openTunnel(ResponseHeader head, TunnelEnd origin, TunnelEnd client) {
        try {
            app.responseFilter(this, head, ctx);
        } catch (Throwable t) {
            fail(ProxyError.wrap(t, ErrorSource.INTERNAL));
            return null;
        }
        responseStarted = true;
        responseStatus = head.status();
        writer.head(head, BodyFraming.Kind.TUNNEL, 0);
        down.flush();
        ProxySettings s = proxy.settings();
        Tunnel<C> t = new Tunnel<>(this, app, ctx, client, origin, s.tunnelIdleTimeoutNanos, s.ticker);
        down.startTunnel(t);
        return t;
    }

    /** The tunnel ended; {@code e} is null for a normal end (both directions done, or a side closed). */
    void tunnelEnded(ProxyError e) {
        up = null;
        if (e == null) {
            complete();
        } else {
            fail(e);
        }
    }

    /**
     * Retries a gRPC call whose answer is trailers-only with a status {@link GrpcRetry} names for its method, unless
     * {@link ProxyHttp#errorWhileProxy} says no or no retry is left; returns whether it did. When it does not, the
     * origin's answer goes to the client as it is. The server answered, so the call is replayable whatever its method
     * as long as its whole body is in the retry buffer (gRPC's retry design: the method was declared retryable).
     */
    private boolean retryOnGrpcStatus(ResponseHeader head) {
        GrpcCode code = GrpcCode.parse(head.headers().get("grpc-status"));
        if (code == null || code == GrpcCode.OK || !retry.retryOnGrpcStatus(code, request.path(), !body.truncated())) {
            return false;
        }
        ProxyError e = decideWhileProxy(ProxyError.status(
                        head.status(), ErrorSource.UPSTREAM, "trailers-only grpc-status " + code.value() + " " + code)
                .retryable(true));
        if (!e.isRetryable() || !retry.retry(responseStarted, !body.truncated())) {
            return false;
        }
        retriedGrpcAnswer = head;
        retryNow(e);
        return true;
    }

    /** A piece of the origin's response body ({@code chunk} may be null on the end), trailers on the end. */
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
                if (out != null) {
                    responseBodyBytes += out.readableBytes();
                    if (grpcFraming != null) {
                        grpcFraming.advance(out);
                    }
                }
                writer.body(out, chunk);
            }
            if (end) {
                bodyEndPending = false;
                HttpHeaders upstreamTrailers = trailers == null ? HttpHeaders.create() : trailers;
                ByteBuf last = app.responseTrailersAsBody(this, upstreamTrailers, ctx);
                if (last != null) {
                    responseBodyBytes += last.readableBytes();
                    writer.body(last, null);
                    writer.end(writer.acceptsTrailers() ? HttpHeaders.create() : null);
                    downDirty = true;
                    return;
                }
                HttpHeaders t = null;
                if (writer.acceptsTrailers()) {
                    t = upstreamTrailers;
                    if (!t.isEmpty()) {
                        app.upstreamResponseTrailerFilter(this, t, ctx);
                        app.responseTrailerFilter(this, t, ctx);
                    }
                }
                writer.end(t);
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
        if (bodyEndPending) {
            onResponseBody(null, true, null); // an empty body whose length a filter removed: end it now
            if (finished) {
                return;
            }
        }
        UpstreamSession c = up;
        up = null;
        if (c != null) {
            if (requestSent && c.isReusable()) {
                pool.release(c, peer);
            } else {
                c.close();
            }
        }
        complete();
    }

    void onUpstreamError(UpstreamSession c, ProxyError e) {
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

    @Override
    void streamedResponseEnded() {
        if (answeredByPhase && !finished) {
            complete();
        }
    }

    /** The downstream connection ended the request (a timeout, the client gone): it fails with {@code e}. */
    void abort(ProxyError e) {
        if (!finished) {
            fail(e);
        }
    }

    void flushUpstream() {
        if (upDirty) {
            upDirty = false;
            if (up != null) {
                up.flush();
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
        // an origin that did not process the request (RFC 9113 §8.7) makes any method replayable; the body must
        // still be whole
        boolean replayable = e.retry() == ProxyError.Retry.UNPROCESSED ? !body.truncated() : isRequestReplayable();
        if (e.isRetryable() && retry.retry(responseStarted, replayable)) {
            retryNow(e);
            return;
        }
        fail(e);
    }

    /** Gives up the current upstream attempt and starts the next one (the retry was counted). */
    private void retryNow(ProxyError e) {
        if (up != null) {
            up.close();
            up = null;
        }
        upDirty = false;
        requestSent = !requestFraming.hasBody();
        LOG.log(Level.DEBUG, () -> "retrying " + summary() + " after: " + e.getMessage());
        attempt();
    }

    private void complete() {
        finished = true;
        if (!responseStarted) {
            respondError(502);
        }
        down.flush();
        boolean keep = keepAlive && down.requestBodyComplete() && down.canKeepAlive();
        log(null);
        body.release();
        down.exchangeDone(this, keep);
    }

    private void fail(ProxyError e) {
        if (finished) {
            return;
        }
        finished = true;
        failing = true;
        failure = e;
        if (up != null) {
            up.close();
            up = null;
        }
        if (writer.dropPendingHead()) {
            // the held-back head never left: the client can still get an error response instead
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
        if (wasStarted && grpcFraming != null && grpcFraming.atBoundary() && e.defaultStatus() != 0) {
            endGrpcCall(GrpcStatus.fromError(e));
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
        body.release();
        down.exchangeDone(this, keep);
    }

    /**
     * Ends a gRPC response that had started, on a message boundary, with {@code status} in its trailers: the client
     * sees that status (e.g. {@code UNAVAILABLE} when the origin went away mid-stream, which it may retry) rather
     * than the {@code INTERNAL} a reset means to it (PROTOCOL-HTTP2.md, "Errors").
     */
    private void endGrpcCall(GrpcStatus status) {
        HttpHeaders trailers = HttpHeaders.create()
                .add("grpc-status", Integer.toString(status.code().value()))
                .add("grpc-message", status.encodedMessage());
        try {
            writer.end(trailers);
        } catch (RuntimeException t) {
            LOG.log(Level.WARNING, "could not end the gRPC call " + summary() + " with trailers", t);
        }
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

    private <T> void await(CompletionStage<T> stage, Consumer<T> next) {
        await(stage, next, this::fail);
    }

    private <T> void await(CompletionStage<T> stage, Consumer<T> next, Consumer<ProxyError> onError) {
        PhaseStage.await(down.loop(), stage, next, onError, this::isFinished, this::fail);
    }

    // ---- Session ---------------------------------------------------------------------------------------------
}
