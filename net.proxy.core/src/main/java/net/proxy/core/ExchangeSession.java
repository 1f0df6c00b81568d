package net.proxy.core;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import net.proxy.http.BodyFraming;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;

/**
 * The {@link Session} half of an {@link Exchange}: the request, its downstream, the counters and flags the getters
 * report, and the responses a phase writes itself ({@link #writeResponse}, {@link #respondError}) through the
 * downstream's {@link ResponseWriter}. The phase driver in {@link Exchange} updates these fields; keeping them here
 * keeps that class about the phases. Used on the exchange's event loop only.
 */
abstract sealed class ExchangeSession implements Session permits Exchange {
    final HttpProxy<?> owner;
    final Downstream down;
    final UpstreamPool pool;
    /** The request body: held until the upstream is ready, and kept for a retry while it fits. */
    final RequestBodyBuffer body = new RequestBodyBuffer();
    /** Whether bytes of the request went upstream on some attempt. */
    boolean bytesSent;

    final RequestHeader request;
    /** How the request body is framed: read from the HTTP/1 head, or from the HTTP/2 stream's frames. */
    final BodyFraming requestFraming;

    final boolean subrequest;
    final long startNanos;
    boolean responseStarted;
    boolean keepAlive = true;
    int attempts;
    long connectNanos = -1;
    long requestBodyBytes;
    long responseBodyBytes;
    long upstreamBodyBytes;
    /** The writer of the response, in the downstream's protocol. */
    final ResponseWriter writer;
    /** Whether the request is failing: an error response then closes the connection. */
    boolean failing;
    /** The status of the response sent downstream, 0 if none. */
    int responseStatus;
    /** The Connection tokens of the client's request ({@link HopByHop}), or -1 before they were read. */
    int clientConnectionFlags = -1;
    /** Whether a phase has started a streamed response ({@link #writeResponseHead}) and not ended it. */
    boolean streaming;
    /** Whether the request is a gRPC call ({@link Grpc#isGrpc}): errors are then answered trailers-only. */
    final boolean grpc;
    /** The error the request is failing with (set before {@code failToProxy} runs), or null. */
    ProxyError failure;
    /**
     * The last trailers-only answer of an origin to this gRPC call that the engine retried ({@link GrpcRetry}), or
     * null: when the retries find nothing better, the client gets it rather than an error of the proxy's own.
     */
    ResponseHeader retriedGrpcAnswer;

    ExchangeSession(
            HttpProxy<?> owner,
            Downstream down,
            UpstreamPool pool,
            RequestHeader request,
            BodyFraming requestFraming,
            boolean subrequest,
            long startNanos) {
        this.owner = owner;
        this.down = down;
        this.pool = pool;
        this.request = request;
        this.requestFraming = requestFraming;
        this.subrequest = subrequest;
        this.startNanos = startNanos;
        this.grpc = "POST".equals(request.method()) && Grpc.isGrpc(request);
        this.writer = down.responseWriter();
        writer.start(this);
    }

    @Override
    public RequestHeader request() {
        return request;
    }

    @Override
    public String protocol() {
        return subrequest ? "subrequest" : request.version().text();
    }

    @Override
    public boolean hasRequestBody() {
        return requestFraming.hasBody();
    }

    @Override
    public boolean isUpgradeRequest() {
        return request.isUpgrade() || "CONNECT".equals(request.method()) || down.connectProtocol() != null;
    }

    @Override
    public boolean isResponseStarted() {
        return responseStarted;
    }

    @Override
    public void keepAlive(boolean keep) {
        keepAlive = keep;
        if (!keep) {
            down.keepAliveRefused();
        }
    }

    @Override
    public StreamDigest digest() {
        return down.digest();
    }

    @Override
    public long requestStartNanos() {
        return startNanos;
    }

    @Override
    public long upstreamConnectNanos() {
        return connectNanos;
    }

    @Override
    public long requestBodyBytes() {
        return requestBodyBytes;
    }

    @Override
    public long responseBodyBytes() {
        return responseBodyBytes;
    }

    @Override
    public long upstreamBodyBytes() {
        return upstreamBodyBytes;
    }

    @Override
    public int attempts() {
        return attempts;
    }

    @Override
    public Executor executor() {
        return down.loop();
    }

    @Override
    public boolean isSubrequest() {
        return subrequest;
    }

    @Override
    public boolean isShuttingDown() {
        return owner.isShuttingDown();
    }

    /**
     * Decides whether the downstream connection stays open after this response, from the session's
     * {@link #keepAlive(boolean)}, the connection, the client's request and the server's state; the response writer
     * asks when it writes the head.
     */
    boolean decideKeepAlive() {
        boolean clientKeepAlive = clientConnectionFlags < 0
                ? request.keepAlive()
                : HopByHop.keepAlive(request.version(), clientConnectionFlags);
        keepAlive = keepAlive && down.canKeepAlive() && clientKeepAlive && !owner.isShuttingDown();
        return keepAlive;
    }

    @Override
    public void writeResponse(ResponseHeader header, ByteBuf body, HttpHeaders trailers) {
        boolean withTrailers = trailers != null && !trailers.isEmpty();
        if (!withTrailers) {
            header.headers().set("Content-Length", Integer.toString(body == null ? 0 : body.readableBytes()));
        }
        startResponse(header, body, withTrailers);
        writeBody(body);
        writer.end(writer.acceptsTrailers() && withTrailers ? trailers : null);
        down.flush();
    }

    @Override
    public void writeResponseHead(ResponseHeader header) {
        startResponse(header, null, !header.headers().contains("Content-Length"));
        streaming = true;
        down.flush();
    }

    @Override
    public void writeResponseBody(ByteBuf data, boolean endOfStream) {
        checkStreaming(data);
        writeBody(data);
        if (endOfStream) {
            writer.end(null);
            endStreaming();
        }
        down.flush();
    }

    @Override
    public void writeResponseTrailers(HttpHeaders trailers) {
        checkStreaming(null);
        writer.end(writer.acceptsTrailers() && !trailers.isEmpty() ? trailers : null);
        endStreaming();
        down.flush();
    }

    /**
     * Writes the head of a response a phase makes; {@code lengthUnknown} when no {@code Content-Length} will frame
     * the body (it is then chunked on HTTP/1.1, and trailers may follow). Releases {@code body} on failure.
     */
    private void startResponse(ResponseHeader header, ByteBuf body, boolean lengthUnknown) {
        if (responseStarted) {
            if (body != null) {
                body.release();
            }
            throw new IllegalStateException("a response was already started for " + summary());
        }
        HttpHeaders h = header.headers();
        HopByHop.strip(h);
        int status = header.status();
        BodyFraming.Kind framing = BodyFraming.Kind.NONE;
        if (bodyAllowed(status)) {
            if (lengthUnknown) {
                h.remove("Content-Length");
                framing = BodyFraming.Kind.CHUNKED;
            } else {
                framing = BodyFraming.Kind.CONTENT_LENGTH;
            }
        } else {
            h.remove("Content-Length");
        }
        responseStarted = true;
        responseStatus = status;
        writer.head(header, framing, 0);
    }

    /** Sends a piece of a phase's response body, or drops it where the response has none (HEAD, 204, 304). */
    private void writeBody(ByteBuf data) {
        if (data == null) {
            return;
        }
        int n = data.readableBytes();
        if (n > 0 && bodyAllowed(responseStatus) && !"HEAD".equals(request.method())) {
            responseBodyBytes += n;
            writer.body(data, null);
        } else {
            data.release();
        }
    }

    private static boolean bodyAllowed(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    private void checkStreaming(ByteBuf data) {
        if (!streaming) {
            if (data != null) {
                data.release();
            }
            throw new IllegalStateException("no streamed response is open for " + summary()
                    + " (expected: writeResponseHead first, and nothing after the end)");
        }
    }

    private void endStreaming() {
        streaming = false;
        streamedResponseEnded();
    }

    /** A response a phase streamed ({@link #writeResponseHead}) has ended. */
    abstract void streamedResponseEnded();

    @Override
    public void respondError(int status) {
        if (failing) {
            keepAlive = false; // the request failed: its connection is not trusted with another one
        }
        if (grpc) {
            ProxyError e = failure;
            if (e != null && retriedGrpcAnswer != null && !e.kind().isTimeout()) {
                // the retries of an origin's answer found nothing better (a deadline that passed meanwhile is told)
                writeTrailersOnly(retriedGrpcAnswer);
                return;
            }
            respondGrpc(
                    e != null && e.defaultStatus() == status
                            ? GrpcStatus.fromError(e)
                            : GrpcStatus.fromHttpStatus(status));
            return;
        }
        ResponseHeader h = ResponseHeader.of(status);
        h.headers().add("Cache-Control", "private, no-store");
        writeResponse(h, null, null);
    }

    @Override
    public boolean isGrpc() {
        return grpc;
    }

    @Override
    public void respondGrpc(GrpcStatus status) {
        if (responseStarted) {
            throw new IllegalStateException("a response was already started for " + summary());
        }
        writeTrailersOnly(Grpc.trailersOnly(status, request.version()));
    }

    /** Writes {@code head} as a whole gRPC trailers-only response (on HTTP/2, one HEADERS frame that ends the stream). */
    private void writeTrailersOnly(ResponseHeader head) {
        HopByHop.strip(head.headers());
        responseStarted = true;
        responseStatus = head.status();
        writer.head(head, BodyFraming.Kind.NONE, 0);
        writer.end(null);
        down.flush();
    }

    /** The status of the response sent downstream, 0 if none. */
    int responseStatus() {
        return responseStatus;
    }

    /** The request line and Host, for logs and messages. */
    String summary() {
        return request.method() + " " + request.target() + ", Host: "
                + request.headers().get("Host");
    }

    @Override
    public boolean isRequestReplayable() {
        if (!bytesSent) {
            return true;
        }
        return !body.truncated() && RetryPolicy.idempotent(request.method());
    }

    @Override
    public CompletionStage<Integer> spawnBackgroundSubrequest(RequestHeader sub) {
        return owner.spawnSubrequest(down, pool, sub);
    }
}
