package net.proxy.core;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;

/**
 * One request as the phases of {@link ProxyHttp} see it, independent of the protocols on either side: an HTTP/1
 * request today, an HTTP/2 stream or a tunnel later, each its own session. All methods are called on the session's
 * event loop ({@link #executor()}).
 *
 * <p><b>Per request and per connection.</b> A session is one request: {@link #writeResponse} and
 * {@link #respondError} end that request, not the connection it came on. What concerns the connection says so:
 * {@link #digest()} describes it, and {@link #keepAlive(boolean)} decides whether it serves another request.
 *
 * <p><b>Upgrades and tunnels</b> (WebSocket, {@code CONNECT}): {@link #isUpgradeRequest()} tells such a request
 * apart. An HTTP/1.1 request with {@code Upgrade} (except {@code h2c}) reaches an HTTP/1.1 origin with its
 * {@code Upgrade} and {@code Connection: upgrade}, and so does an HTTP/2 extended {@code CONNECT} (RFC 8441, such as
 * WebSocket over HTTP/2); when the origin answers {@code 101}, the response phases run on
 * the 101 and the exchange becomes a byte tunnel whose bytes pass through the body filter phases of
 * {@link ProxyHttp} in both directions (see {@link ProxyHttp}'s "Protocols"). Any other answer is an ordinary
 * response.
 *
 * <p>Only the engine implements this interface (it is sealed), so methods can be added without breaking users.
 */
public sealed interface Session permits ExchangeSession {

    /** The downstream request head; filters may change it (it is what {@code upstreamRequestFilter} copies). */
    RequestHeader request();

    /** The downstream protocol, e.g. {@code "HTTP/1.1"}. */
    String protocol();

    /** Whether the downstream request has a body (it then flows through {@code requestBodyFilter}). */
    boolean hasRequestBody();

    /**
     * Writes a complete response downstream and ends this request: head, optional body (ownership passes to the
     * session) and no trailers. A {@code Content-Length} is set from the body. Only valid before any response was
     * started. The connection serves the next request if it can (see {@link #keepAlive(boolean)}).
     *
     * @param header the response head (hop-by-hop fields are removed)
     * @param body the body, or {@code null} for none
     * @throws IllegalStateException if a response was already started
     */
    default void writeResponse(ResponseHeader header, ByteBuf body) {
        writeResponse(header, body, null);
    }

    /**
     * Writes a complete response with trailers and ends this request. With trailers the body's length is not
     * announced: HTTP/1.1 sends it chunked with the trailers after it; HTTP/1.0 cannot carry trailers and they are
     * dropped; HTTP/2 sends them as trailing HEADERS. For a gRPC "trailers-only" answer use {@link #respondGrpc},
     * which ends the stream on the HEADERS frame itself.
     *
     * @param header the response head (hop-by-hop fields are removed)
     * @param body the body, or {@code null} for none
     * @param trailers fields after the body, or {@code null} for none
     * @throws IllegalStateException if a response was already started
     */
    void writeResponse(ResponseHeader header, ByteBuf body, HttpHeaders trailers);

    /**
     * Starts a response whose body a phase streams: the head now, the body with {@link #writeResponseBody}, and the
     * end with {@code writeResponseBody(data, true)} or {@link #writeResponseTrailers}. Without a
     * {@code Content-Length} the body's length is unknown: chunked on HTTP/1.1, close-delimited on HTTP/1.0. A
     * phase that starts one returns {@code true} from {@link ProxyHttp#requestFilter}; the request then ends (and
     * {@link ProxyHttp#logging} runs) when the response ends. The writes may come later, from a task the phase
     * submitted to {@link #executor()}.
     *
     * @param header the response head (hop-by-hop fields are removed)
     * @throws IllegalStateException if a response was already started
     */
    void writeResponseHead(ResponseHeader header);

    /**
     * Writes a piece of a streamed response's body (ownership passes), and ends the response when
     * {@code endOfStream}. A body that the response cannot have (HEAD, 204, 304) is dropped.
     *
     * @param data the bytes, may be empty
     * @param endOfStream whether this is the last piece
     * @throws IllegalStateException if no streamed response is open
     */
    void writeResponseBody(ByteBuf data, boolean endOfStream);

    /**
     * Ends a streamed response with trailers (dropped where the protocol cannot carry them: HTTP/1.0, or an
     * HTTP/1.1 response framed by {@code Content-Length}).
     *
     * @param trailers the trailer fields
     * @throws IllegalStateException if no streamed response is open
     */
    void writeResponseTrailers(HttpHeaders trailers);

    /**
     * Writes an error response with {@code status}, an empty body and {@code Cache-Control: private, no-store},
     * and ends this request (as Pingora's {@code respond_error}). Called while the request fails (from
     * {@link ProxyHttp#failToProxy}) it also closes the connection ({@code Connection: close} on HTTP/1); called from
     * another phase it leaves the connection to {@link #keepAlive(boolean)}.
     *
     * <p>A gRPC call ({@link #isGrpc()}) is answered the gRPC way instead, as {@link #respondGrpc}: with the status
     * {@link GrpcStatus#fromError} gives for the error the request is failing with when {@code status} is that
     * error's {@link ProxyError#defaultStatus()} (so a timeout is {@code DEADLINE_EXCEEDED}, a refused connection
     * {@code UNAVAILABLE}), else with {@link GrpcStatus#fromHttpStatus}{@code (status)}. A call whose retries
     * ({@link GrpcRetry}) failed without a better answer gets the origin's last trailers-only answer instead, unless
     * a timeout ended it.
     *
     * @param status the status code
     */
    void respondError(int status);

    /**
     * Whether this request is a gRPC call: a {@code POST} whose {@code content-type} is {@code application/grpc},
     * alone or followed by {@code +format} or parameters (gRPC-Web's {@code application/grpc-web} is not). The
     * proxy answers the errors it makes for such a request as {@link #respondGrpc} does, and honours its
     * {@code grpc-timeout} (see {@link GrpcStatus}, {@link GrpcRetry}).
     *
     * @return whether the request is a gRPC call
     */
    boolean isGrpc();

    /**
     * Answers this request with a gRPC trailers-only response and ends it: {@code :status 200},
     * {@code content-type: application/grpc}, {@code grpc-status} and the percent-encoded {@code grpc-message}, in
     * one HEADERS frame that ends the stream on HTTP/2 (PROTOCOL-HTTP2.md, "Trailers-Only"). Only valid before any
     * response was started. The connection is kept as for {@link #respondError}.
     *
     * @param status the status to send
     * @throws IllegalStateException if a response was already started
     */
    void respondGrpc(GrpcStatus status);

    /**
     * Whether the request asks for a protocol upgrade or a tunnel: an HTTP/1.1 {@code Upgrade} with
     * {@code Connection: upgrade}, or {@code CONNECT}. See "Upgrades and tunnels" above.
     *
     * @return {@code true} for an upgrade or tunnel request
     */
    boolean isUpgradeRequest();

    /** Whether a response head was already sent (or queued) downstream. */
    boolean isResponseStarted();

    /**
     * Whether this request can be sent again: it has no body, or its body fit the 64 KiB retry buffer; and (for a
     * request whose bytes may already have reached an origin) its method is idempotent.
     */
    boolean isRequestReplayable();

    /**
     * Lets (or forbids) the downstream connection serve another request after this one. On HTTP/1 {@code false}
     * closes the connection once this response is written ({@code Connection: close}). On a multiplexed connection
     * (HTTP/2) {@code false} starts a graceful close: the connection takes no new streams and closes when the
     * streams in flight have ended. The default is {@code true}, subject to the client's and server's state.
     *
     * @param keep whether the connection may serve further requests
     */
    void keepAlive(boolean keep);

    /** The downstream connection. */
    StreamDigest digest();

    /** When the first byte of this request arrived, on the engine's ticker ({@link System#nanoTime()} by default). */
    long requestStartNanos();

    /** Nanoseconds the upstream connection took to establish on the last attempt; 0 if reused, -1 if none. */
    long upstreamConnectNanos();

    /** Request body bytes read from downstream so far. */
    long requestBodyBytes();

    /** Response body bytes written downstream so far. */
    long responseBodyBytes();

    /** Response body bytes received from upstream so far. */
    long upstreamBodyBytes();

    /** How many attempts went upstream so far (1 on the first attempt). */
    int attempts();

    /** The event loop this session runs on; phases may use it to continue asynchronous work. */
    Executor executor();

    /** Whether this session is a background subrequest (no downstream client). */
    boolean isSubrequest();

    /** Whether the server is shutting down (a long response may want to end early). */
    boolean isShuttingDown();

    /**
     * Runs {@code request} through the whole proxy pipeline in the background, with a fresh context and no
     * downstream client (the response is discarded), e.g. to refresh a cache or warm an origin. The stage
     * completes with the final status (0 if none) when the subrequest ends.
     */
    CompletionStage<Integer> spawnBackgroundSubrequest(RequestHeader request);
}
