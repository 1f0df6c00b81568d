package net.proxy.core;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.Function;
import net.proxy.http.HttpHeaders;
import net.proxy.http.ResponseHeader;
import net.proxy.limits.GcraLimiter;

/**
 * A per-key request rate limit applied in one line of a phase, in the manner of nginx {@code limit_req}: each key
 * (client address, API key, path...) may make the {@link GcraLimiter}'s rate of requests plus its burst; a request
 * beyond that is answered {@code 429 Too Many Requests} with a {@code Retry-After} and never goes upstream.
 *
 * <pre>{@code
 * public final class Api implements ProxyHttp<Void> {
 *     private final RequestRateLimit perClient = RequestRateLimit.perKey(
 *             GcraLimiter.builder().rate(100, Duration.ofSeconds(1)).burst(50).build(),
 *             RequestRateLimit::clientIp);     // any key: an API key header (see "Keys"), a path...
 *
 *     @Override
 *     public boolean requestFilter(Session session, Void ctx) {
 *         return perClient.reject(session);    // true: the 429 was written, the engine skips upstream
 *     }
 *     ...
 * }
 * }</pre>
 *
 * <p>The response is the status ({@code 429} unless {@link #withStatus} chose {@code 503}),
 * {@code Retry-After} in whole seconds (rounded up, at least 1: when the same request would be admitted if nothing
 * else used the key's budget meanwhile), {@code Cache-Control: private, no-store} (RFC 6585 §4: a 429 must not be
 * stored) and an empty body. The downstream connection stays open for the client's next request when the engine can
 * keep it. A gRPC call ({@link Session#isGrpc()}) is answered trailers-only instead: {@code RESOURCE_EXHAUSTED} for
 * 429, {@code UNAVAILABLE} for 503 ({@link GrpcStatus#fromHttpStatus}), the wait in {@code grpc-message}.
 *
 * <p><b>Keys.</b> The key function runs for every request on its event loop and must be cheap; its result's
 * {@code hashCode()} must be value based (strings, {@link java.net.InetAddress}...). It must return a key for every
 * request: a {@code null} key is a programming error, and {@link #reject} then throws a
 * {@link NullPointerException} saying so (the engine answers 500). A request that can lack its key (an optional
 * header) needs a fallback, such as its client address, rather than a free pass:
 *
 * <pre>{@code
 * session -> Objects.requireNonNullElseGet(
 *         session.request().headers().get("X-Api-Key"), () -> RequestRateLimit.clientIp(session))
 * }</pre>
 *
 * <p>Note that {@link net.proxy.l4.StreamDigest#clientAddress()} includes the client's port, so as a key it limits
 * each connection separately; {@link #clientIp} is the client's IP address.
 *
 * <p>Thread-safe (the limiter is); one instance serves every event loop of a proxy. The limiter must admit without
 * delay ({@link GcraLimiter#nodelay()}, its default): a phase that answers at once cannot wait for a delay.
 */
public final class RequestRateLimit {

    private final GcraLimiter limiter;
    private final Function<? super Session, ?> key;
    private final int status;

    private RequestRateLimit(GcraLimiter limiter, Function<? super Session, ?> key, int status) {
        this.limiter = limiter;
        this.key = key;
        this.status = status;
    }

    /**
     * A limit of {@code limiter}'s rate and burst for each key that {@code key} derives from a request.
     *
     * @param limiter the limiter, built with {@code nodelay(true)} (the default); it may be shared with other code
     *     that counts on the same keys
     * @param key     the request's key, never {@code null} (see "Keys" above), e.g. {@link #clientIp}
     * @return the limit, answering 429
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the limiter was built with {@code nodelay(false)}
     */
    public static RequestRateLimit perKey(GcraLimiter limiter, Function<? super Session, ?> key) {
        Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(key, "key");
        if (!limiter.nodelay()) {
            throw new IllegalArgumentException(
                    "limiter: nodelay(false) (expected: nodelay(true); a rejected request is answered at once and an"
                            + " admitted one is not delayed)");
        }
        return new RequestRateLimit(limiter, key, 429);
    }

    /**
     * The client's IP address, the usual key: {@link net.proxy.l4.StreamDigest#clientAddress()} without its port
     * (so the PROXY protocol source if the listener accepts it); for a client that is not on IP (a Unix socket),
     * that address as it is. Usable as a key function: {@code RequestRateLimit::clientIp}.
     *
     * @param session the request
     * @return an {@link java.net.InetAddress} for an IP client (a host name string if the address is unresolved),
     *     else the client's {@link SocketAddress}
     */
    public static Object clientIp(Session session) {
        SocketAddress client = session.digest().clientAddress();
        if (client instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) client;
            return inet.isUnresolved() ? inet.getHostString() : inet.getAddress();
        }
        return client;
    }

    /**
     * The same limit answering {@code status} instead: {@code 429 Too Many Requests} (the default, RFC 6585) or
     * {@code 503 Service Unavailable} (RFC 9110), the two statuses whose {@code Retry-After} clients honour.
     *
     * @param status 429 or 503
     * @return a limit sharing this one's limiter and key
     * @throws IllegalArgumentException for another status
     */
    public RequestRateLimit withStatus(int status) {
        if (status != 429 && status != 503) {
            throw new IllegalArgumentException("status: " + status + " (expected: 429 or 503)");
        }
        return new RequestRateLimit(limiter, key, status);
    }

    /**
     * Counts the request against its key; if the key is over its limit, answers it (status, {@code Retry-After},
     * empty body, see above) and returns {@code true}. Call it from {@link ProxyHttp#requestFilter} (or an earlier
     * point where no response was started) and return its result.
     *
     * @param session the request
     * @return {@code true} if the request was rejected and its response written (the phase then returns
     *     {@code true}), {@code false} if it was admitted and nothing was written
     * @throws NullPointerException if the key function returned {@code null} for the request
     * @throws IllegalStateException if the request is rejected but a response was already started
     */
    public boolean reject(Session session) {
        Object k = key.apply(session);
        if (k == null) {
            throw new NullPointerException("key: the key function returned null for this request (expected: a key for"
                    + " every request, e.g. a fallback to RequestRateLimit.clientIp(session))");
        }
        GcraLimiter.Decision decision = limiter.tryAcquire(k);
        if (decision.allowed()) {
            return false;
        }
        if (session.isGrpc()) {
            // the client exceeded its quota: RESOURCE_EXHAUSTED (statuscodes.md), or UNAVAILABLE for a 503
            session.respondGrpc(GrpcStatus.of(
                    GrpcStatus.fromHttpStatus(status).code(),
                    "proxy: rate limit exceeded, retry after " + decision.retryAfterSeconds() + " s"));
            return true;
        }
        ResponseHeader response = ResponseHeader.of(status);
        HttpHeaders headers = response.headers();
        headers.add("Retry-After", Long.toString(decision.retryAfterSeconds()));
        headers.add("Cache-Control", "private, no-store");
        session.writeResponse(response, null);
        return true;
    }

    /**
     * The limiter counted on.
     *
     * @return the limiter given to {@link #perKey}
     */
    public GcraLimiter limiter() {
        return limiter;
    }

    /**
     * The status of a rejection.
     *
     * @return 429 or 503
     */
    public int status() {
        return status;
    }
}
