package net.proxy.core;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;

/**
 * The user's proxy logic, in the manner of Pingora's {@code ProxyHttp}: two required methods,
 * {@link #newContext()} and {@link #upstreamPeer}, and one {@code default} method per phase of a request. The
 * engine ({@link HttpProxy}) calls the phases in this order:
 *
 * <pre>
 *  request head read
 *    newContext → earlyRequestFilter → requestFilter ──(true: response written)──────────────┐
 *    → proxyUpstreamFilter ──(false: 502 unless written)───────────────────────────────────────┤
 *    ┌→ upstreamPeer → connect ──(fails)→ failToConnect ──(retryable)─┐                        │
 *    │      ↓ connectedToUpstream → upstreamRequestFilter → [head sent] │                        │
 *    │      ↓ requestBodyFilter (per chunk, while the response streams back)                     │
 *    │      ↓ upstreamResponseFilter → responseFilter                                         │
 *    │      ↓ upstreamResponseBodyFilter → responseBodyFilter (per chunk)                      │
 *    │      ↓ responseTrailersAsBody ──(bytes: the body's last chunk, no trailers)──┐          │
 *    │      ↓ upstreamResponseTrailerFilter → responseTrailerFilter               ←┘          │
 *    │   (any error after connect) → errorWhileProxy ──(retryable, tries left)──────────────────┘
 *    └──────────────────────────────────────────────────────────────── (fatal) → failToProxy   │
 *    logging (always, last) ←──────────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <h2>Threading</h2>
 * Every phase of a request runs on the event loop that owns its downstream connection, one phase at a time, so
 * the context needs no synchronisation. A phase must never block that thread. Phases that have nothing to wait for
 * are plain synchronous methods. The two phases that commonly wait on something (an auth service, a rate stored
 * elsewhere) also have an {@code ...Async} variant returning a {@link CompletionStage}. The engine always calls the
 * {@code ...Async} variant, whose default calls the synchronous method, so overriding either one is enough (an
 * already completed stage continues at once, without a task). The engine continues the request on the event loop when
 * the stage completes, whichever thread completes it. A phase that throws, or whose stage fails, fails the request
 * with the {@link ProxyError} it threw (other exceptions become {@link ErrorKind#INTERNAL_ERROR}).
 *
 * <h2>Body buffers</h2>
 * Body chunks are Netty {@link ByteBuf}s owned by the filter that receives them: return the same buffer to pass it
 * on (the default), return another buffer after releasing the one received, or return {@code null} after
 * releasing it to drop the chunk. Only a chunk's readable bytes are the body: the engine may write the response
 * head into the bytes before the reader index of a response chunk passed on unchanged, so that head and body
 * leave in one buffer; a filter that keeps a chunk (for a cache, say) keeps a slice of its readable bytes.
 *
 * <h2>Protocols</h2>
 * The phases do not depend on the wire: every request is a {@link Session} (an HTTP/1 request, an HTTP/2 stream, a
 * gRPC call: {@link Session#isGrpc()}), heads arrive without hop-by-hop fields, and the engine frames bodies for each
 * side.
 * Upgrades and tunnels (WebSocket, {@code CONNECT}) are recognised ({@link Session#isUpgradeRequest()}). Once an
 * origin accepted an upgrade with {@code 101}, the exchange is a tunnel: the client's bytes pass through
 * {@link #requestBodyFilter}, the origin's through {@link #upstreamResponseBodyFilter} and
 * {@link #responseBodyFilter}, as they come (no HTTP framing, no trailers); a side's half-close is a call with an
 * empty buffer and {@code endOfStream} set. The request timeouts stop there; the tunnel closes after
 * {@link HttpProxyBuilder#tunnelIdleTimeout} without a byte either way, and {@link #logging} runs when it ends.
 *
 * <p>The cache phases of Pingora are not part of this interface yet.
 *
 * @param <C> the per-request context type
 */
public interface ProxyHttp<C> {

    /** Creates the per-request context, after the request head was read. Required. */
    C newContext();

    /**
     * Chooses the upstream peer for this attempt. Runs once per attempt: after a retryable failure it runs again,
     * so failover is "remember the failed peer in the context and choose another". Required (an implementation
     * that overrides {@link #upstreamPeerAsync} instead may throw here: it is then never called).
     */
    HttpPeer upstreamPeer(Session session, C ctx);

    /**
     * Where a {@code CONNECT host:port} request (RFC 9110 §9.3.6) may tunnel to, in place of {@link #upstreamPeer}:
     * the peer to open a connection to (usually parsed from {@code session.request().target()} after checking the
     * destination is allowed), or null to refuse. The default refuses every {@code CONNECT} with 405: the proxy is
     * no open relay unless this phase makes it one. Once the connection is open the client gets {@code 200} and
     * the exchange is a tunnel (see "Protocols" above); a failed connection answers 502 or 504 as for any peer.
     */
    default HttpPeer connectPeer(Session session, C ctx) {
        return null;
    }

    /** Asynchronous variant of {@link #upstreamPeer}; the default calls it. */
    default CompletionStage<HttpPeer> upstreamPeerAsync(Session session, C ctx) {
        return CompletableFuture.completedFuture(upstreamPeer(session, ctx));
    }

    /** Runs first, before any other filter; meant to configure the session. The default does nothing. */
    default void earlyRequestFilter(Session session, C ctx) {}

    /**
     * Validates the request, may rewrite it, or answers it directly ({@link Session#writeResponse}) and returns
     * {@code true}: the engine then skips to {@link #logging} and keeps the connection if it can. The default
     * returns {@code false}.
     */
    default boolean requestFilter(Session session, C ctx) {
        return false;
    }

    /** Asynchronous variant of {@link #requestFilter}; the default calls it. */
    default CompletionStage<Boolean> requestFilterAsync(Session session, C ctx) {
        return CompletableFuture.completedFuture(requestFilter(session, ctx));
    }

    /**
     * Whether to go upstream at all. On {@code false} the engine answers 502 unless a response was written. The
     * default returns {@code true}.
     */
    default boolean proxyUpstreamFilter(Session session, C ctx) {
        return true;
    }

    /**
     * Connecting to {@code peer} failed (TCP or TLS); nothing was sent. Return the error, marked
     * {@link ProxyError#retryable(boolean) retryable} to go back to {@link #upstreamPeer}. The default returns it
     * unchanged (not retried, as in Pingora).
     */
    default ProxyError failToConnect(Session session, HttpPeer peer, C ctx, ProxyError error) {
        return error;
    }

    /**
     * A connection to {@code peer} is ready, new or {@code reused} from the pool. The default does nothing.
     */
    default void connectedToUpstream(Session session, boolean reused, HttpPeer peer, StreamDigest digest, C ctx) {}

    /**
     * Changes the request head sent upstream (a copy of the downstream head with hop-by-hop fields removed). The
     * default does nothing.
     */
    default void upstreamRequestFilter(Session session, RequestHeader upstreamRequest, C ctx) {}

    /**
     * Sees each request body chunk on its way upstream ({@code endOfStream} on the last; the chunk may then be
     * empty). Returns the chunk to send (see "Body buffers"). The default returns {@code chunk}.
     */
    default ByteBuf requestBodyFilter(Session session, ByteBuf chunk, boolean endOfStream, C ctx) {
        return chunk;
    }

    /**
     * Changes the response head as it arrives from upstream, already without hop-by-hop fields (the engine sets
     * {@code Connection} and the body framing fields itself). The default does nothing.
     */
    default void upstreamResponseFilter(Session session, ResponseHeader response, C ctx) {}

    /**
     * Changes the response head sent downstream; runs for every proxied response, after
     * {@link #upstreamResponseFilter}. A body filter that changes the body's length removes
     * {@code Content-Length} here (or in {@code upstreamResponseFilter}); the engine then frames the body as the
     * downstream protocol allows (chunked to an HTTP/1.1 client, close-delimited to an HTTP/1.0 one). The default
     * does nothing.
     */
    default void responseFilter(Session session, ResponseHeader response, C ctx) {}

    /**
     * Sees each response body chunk on its way downstream. Returns the chunk to send (see "Body buffers"). The
     * default returns {@code chunk}.
     */
    default ByteBuf responseBodyFilter(Session session, ByteBuf chunk, boolean endOfStream, C ctx) {
        return chunk;
    }

    /**
     * Sees each chunk of the response body as the origin sent it (decoded from its framing), before
     * {@link #responseBodyFilter}; the place for work that must see the origin's bytes, such as a cache admission
     * or a checksum. Returns the chunk to pass on (see "Body buffers"); a {@code null} drops it, and on the last
     * chunk {@code responseBodyFilter} then still runs, with an empty buffer. The default returns {@code chunk}.
     */
    default ByteBuf upstreamResponseBodyFilter(Session session, ByteBuf chunk, boolean endOfStream, C ctx) {
        return chunk;
    }

    /**
     * Sees the trailers of the upstream response (fields after its body: chunked HTTP/1.1 trailers, HTTP/2 trailing
     * HEADERS), when the downstream response can carry them. The default does nothing.
     */
    default void upstreamResponseTrailerFilter(Session session, HttpHeaders trailers, C ctx) {}

    /**
     * Turns the end of the upstream response into the last bytes of the downstream body, for protocols that carry
     * trailers in the body (a gRPC-web bridge writes them as a trailer frame, see
     * {@code net.proxy.core.grpcweb.GrpcWeb}). Runs once when a proxied response that may have a body ends (not for
     * HEAD, 204 or 304), after its last chunk went through {@link #responseBodyFilter}, whatever the downstream
     * protocol can carry, with the upstream's trailers (empty when it sent none; a "trailers-only" response's fields
     * are in its head, seen by {@link #upstreamResponseFilter}).
     *
     * <p>Returns the bytes to append to the body (ownership passes to the engine), after which the response ends
     * without trailers and the two trailer phases do not run; or {@code null} to leave the trailers to
     * {@link #upstreamResponseTrailerFilter} and {@link #responseTrailerFilter}. A filter that returns bytes must
     * remove {@code Content-Length} in {@link #responseFilter} (or {@link #upstreamResponseFilter}), so that the
     * engine frames the body as of unknown length (chunked to an HTTP/1.1 client, close-delimited to HTTP/1.0, DATA
     * frames on HTTP/2); removing it from a response whose body is empty (an HTTP/2 origin's HEADERS with
     * END_STREAM, or {@code Content-Length: 0}) gives that response a body too. The default returns {@code null}.
     *
     * @param session the request
     * @param trailers the upstream response's trailers, empty if none; the phase may read and change them
     * @param ctx the request's context
     * @return the last body bytes, or {@code null} to keep the trailers as trailers
     */
    default ByteBuf responseTrailersAsBody(Session session, HttpHeaders trailers, C ctx) {
        return null;
    }

    /**
     * Changes the trailers sent downstream after the response body. They are sent wherever the downstream protocol
     * can carry them after this response: always on HTTP/2, on HTTP/1.1 when the body is chunked; this phase runs
     * only then. The default does nothing.
     */
    default void responseTrailerFilter(Session session, HttpHeaders trailers, C ctx) {}

    /**
     * An error happened after the connection to {@code peer} existed (I/O, protocol, a filter). Return the error,
     * possibly with another retry decision. The default adds the peer as context and resolves
     * {@link ProxyError.Retry#REUSED_ONLY}: retry only if the upstream connection was reused from the pool and the
     * request can be replayed (its body, if any, fit the 64 KiB retry buffer and the method is idempotent or
     * nothing reached the origin).
     */
    default ProxyError errorWhileProxy(
            HttpPeer peer, Session session, ProxyError error, C ctx, boolean upstreamReused) {
        error.addContext("peer: " + peer);
        if (error.retry() == ProxyError.Retry.REUSED_ONLY) {
            error.retryable(upstreamReused && session.isRequestReplayable());
        }
        return error;
    }

    /**
     * The request failed for good. Writes the error response if one is due and possible, and returns the status
     * sent (0 if none) and whether the downstream connection may be reused. The default answers
     * {@link ProxyError#defaultStatus()} (an empty body) unless a response was already started, and never reuses
     * the connection.
     */
    default FailToProxy failToProxy(Session session, ProxyError error, C ctx) {
        int status = error.defaultStatus();
        if (status > 0 && !session.isResponseStarted()) {
            session.respondError(status);
            return new FailToProxy(status, false);
        }
        return new FailToProxy(0, false);
    }

    /**
     * Runs last for every request that got a context, on success ({@code error == null}) and failure, before the
     * request's resources are released: access logs, metrics. The default does nothing.
     */
    default void logging(Session session, ProxyError error, C ctx) {}
}
