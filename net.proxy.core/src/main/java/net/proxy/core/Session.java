package net.proxy.core;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;

/**
 * One request as the phases of {@link ProxyHttp} see it, independent of the downstream protocol (HTTP/1.1 now;
 * HTTP/2 streams, gRPC and WebSocket sessions implement the same interface). All methods are called on the
 * session's event loop ({@link #executor()}).
 */
public interface Session {

    /** The downstream request head; filters may change it (it is what {@code upstreamRequestFilter} copies). */
    RequestHeader request();

    /** The downstream protocol, e.g. {@code "HTTP/1.1"}. */
    String protocol();

    /** Whether the downstream request has a body (it then flows through {@code requestBodyFilter}). */
    boolean hasRequestBody();

    /**
     * Writes a complete response downstream (head and optional body, whose ownership passes to the session). A
     * {@code Content-Length} is set from the body. Only valid before any response was started.
     *
     * @throws IllegalStateException if a response was already started
     */
    void writeResponse(ResponseHeader header, ByteBuf body);

    /**
     * Writes an error response with {@code status}, an empty body, {@code Cache-Control: private, no-store} and
     * {@code Connection: close}, and closes the connection after it (as Pingora's {@code respond_error}).
     */
    void respondError(int status);

    /** Whether a response head was already sent (or queued) downstream. */
    boolean isResponseStarted();

    /**
     * Whether this request can be sent again: it has no body, or its body fit the 64 KiB retry buffer; and (for a
     * request whose bytes may already have reached an origin) its method is idempotent.
     */
    boolean isRequestReplayable();

    /** Lets (or forbids) the downstream connection serve another request after this one. */
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
