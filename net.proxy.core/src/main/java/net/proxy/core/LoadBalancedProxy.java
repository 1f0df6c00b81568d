package net.proxy.core;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import net.proxy.lb.Backend;
import net.proxy.lb.Candidates;
import net.proxy.lb.LoadBalancer;

/**
 * A ready-made {@link ProxyHttp} that sends each request to a backend of a {@code net.proxy.lb} {@link LoadBalancer},
 * with failover: a backend that refuses the connection is reported (passive health) and the next distinct candidate
 * is tried; an I/O failure before the response head is retried too when the request can be replayed (see
 * {@link #errorWhileProxy}).
 * Requests in flight are counted per backend for least-connections.
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancer.builder().backends(backends).build();
 * HttpProxy<?> proxy = HttpProxy.builder(LoadBalancedProxy.builder(lb).build()).listen(address).build();
 * }</pre>
 *
 * <p>Extend it by composition: wrap it in your own {@code ProxyHttp} that delegates the phases you do not change.
 */
public final class LoadBalancedProxy implements ProxyHttp<LoadBalancedProxy.Attempt> {
    private final LoadBalancer lb;
    private final Function<Session, byte[]> key;
    private final Function<Backend, HttpPeer> peers;
    private final Map<Backend, HttpPeer> peerCache = new ConcurrentHashMap<>();

    /** Per-request state: the candidates and the backend of the current attempt. */
    public static final class Attempt {
        Candidates candidates;
        Backend backend;
        LoadBalancer.Lease lease;

        Attempt() {}

        /** The backend of the current (or last) attempt, or {@code null}. */
        public Backend backend() {
            return backend;
        }

        void end() {
            if (lease != null) {
                lease.close();
                lease = null;
            }
        }
    }

    private LoadBalancedProxy(Builder b) {
        this.lb = b.lb;
        this.key = b.key;
        this.peers = b.peers;
    }

    /** A builder over {@code lb}. */
    public static Builder builder(LoadBalancer lb) {
        return new Builder(lb);
    }

    @Override
    public Attempt newContext() {
        return new Attempt();
    }

    /**
     * The next distinct ready backend for this request's key.
     *
     * @throws ProxyError {@link ErrorKind#NO_UPSTREAM} (not retryable) when no backend is left
     */
    @Override
    public HttpPeer upstreamPeer(Session session, Attempt ctx) {
        ctx.end();
        if (ctx.candidates == null) {
            ctx.candidates = lb.candidates(key.apply(session));
        }
        Backend b = ctx.candidates.next();
        if (b == null) {
            throw ProxyError.of(
                    ErrorKind.NO_UPSTREAM,
                    ErrorSource.UPSTREAM,
                    ctx.backend == null ? "no ready backend" : "no other ready backend after " + ctx.backend);
        }
        ctx.backend = b;
        ctx.lease = lb.acquire(b);
        return peerCache.computeIfAbsent(b, peers);
    }

    /** Reports the backend as failed and retries on the next candidate (nothing was sent, so it is safe). */
    @Override
    public ProxyError failToConnect(Session session, HttpPeer peer, Attempt ctx, ProxyError error) {
        ctx.end();
        if (ctx.backend != null) {
            lb.reportFailure(ctx.backend);
        }
        return error.retryable(true);
    }

    /**
     * Fails over the way nginx's default {@code proxy_next_upstream error} does: an I/O failure before the response
     * head ({@link ProxyError.Retry#REUSED_ONLY}) is retried on the next candidate whenever the request can be
     * replayed (nothing reached the origin, or the method is idempotent and its body fit the retry buffer), on a
     * fresh connection as well as a pooled one. A fresh connection failing that way also counts as a passive
     * failure of its backend; a pooled one does not, since an origin closing an idle keep-alive connection is not
     * a sign of trouble.
     */
    @Override
    public ProxyError errorWhileProxy(
            HttpPeer peer, Session session, ProxyError error, Attempt ctx, boolean upstreamReused) {
        ctx.end();
        error.addContext("peer: " + peer);
        if (error.retry() == ProxyError.Retry.REUSED_ONLY) {
            if (!upstreamReused && ctx.backend != null) {
                lb.reportFailure(ctx.backend);
            }
            error.retryable(session.isRequestReplayable());
        }
        return error;
    }

    /** Ends the in-flight count and clears the backend's passive failures on success. */
    @Override
    public void logging(Session session, ProxyError error, Attempt ctx) {
        ctx.end();
        if (error == null && ctx.backend != null) {
            lb.reportSuccess(ctx.backend);
        }
    }

    /** Builds a {@link LoadBalancedProxy}. */
    public static final class Builder {
        private final LoadBalancer lb;
        private Function<Session, byte[]> key = s -> EMPTY;
        private Function<Backend, HttpPeer> peers =
                b -> HttpPeer.builder(b.address()).tag(b).build();
        private static final byte[] EMPTY = new byte[0];

        private Builder(LoadBalancer lb) {
            this.lb = Objects.requireNonNull(lb, "lb");
        }

        /** The selection key of a request (hash algorithms); default empty. */
        public Builder key(Function<Session, byte[]> value) {
            this.key = Objects.requireNonNull(value, "key");
            return this;
        }

        /** How a backend becomes a peer (TLS, timeouts); default plain text with the peer defaults. */
        public Builder peers(Function<Backend, HttpPeer> value) {
            this.peers = Objects.requireNonNull(value, "peers");
            return this;
        }

        /** The proxy logic. */
        public LoadBalancedProxy build() {
            return new LoadBalancedProxy(this);
        }
    }
}
