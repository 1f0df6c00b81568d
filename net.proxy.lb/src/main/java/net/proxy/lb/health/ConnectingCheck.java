package net.proxy.lb.health;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import net.proxy.l4.Connector;
import net.proxy.l4.Peer;
import net.proxy.l4.Stream;
import net.proxy.l4.Transport;
import net.proxy.lb.Backend;
import net.proxy.lb.HealthCheck;

/**
 * The shared part of the built-in health checks: their timing and thresholds, the peer of a backend, the
 * {@link Connector} and its event loops, and one deadline over the whole check.
 */
abstract class ConnectingCheck implements HealthCheck {
    private final Duration timeout;
    private final Duration interval;
    private final int rise;
    private final int fall;
    private final Function<Backend, Peer> peers;
    /** The transport given to the builder, or null for one of the check's own. */
    private final Transport given;

    private final Connector givenConnector;
    /** The check's own transport, created by the first check; guarded by {@code this}. */
    private Transport own;
    /** Guarded by {@code this}. */
    private Connector ownConnector;

    ConnectingCheck(HealthCheckBuilder<?> b) {
        this.timeout = b.timeout;
        this.interval = b.interval;
        this.rise = b.rise;
        this.fall = b.fall;
        Duration connectTimeout = b.timeout;
        this.peers = b.peers != null
                ? b.peers
                : backend -> Peer.builder(backend.address())
                        .connectTimeout(connectTimeout)
                        .build();
        this.given = b.transport;
        this.givenConnector = b.transport != null ? Connector.of(b.transport) : null;
    }

    @Override
    public final int rise() {
        return rise;
    }

    @Override
    public final int fall() {
        return fall;
    }

    @Override
    public final Duration interval() {
        return interval;
    }

    @Override
    public final Duration timeout() {
        return timeout;
    }

    /**
     * The peer this check connects to, given the one {@link HealthCheckBuilder#peers} made; by default that peer
     * itself. A check that must negotiate a protocol (ALPN) adapts the peer's TLS settings here.
     */
    Peer adapt(Peer peer) {
        return peer;
    }

    /** What the check does, for messages: {@code "HTTP health check GET /"}. */
    abstract String describe(Peer peer);

    /**
     * Talks to the backend over a connected stream (reading paused) on the stream's event loop, and completes
     * {@code result}; the stream is closed when {@code result} completes, however it does.
     */
    abstract void exchange(Stream stream, Backend backend, String what, CompletableFuture<Void> result);

    /**
     * Connects to the backend's peer and runs {@link #exchange}; fails with an {@link IOException} naming the check
     * and the backend, or a {@link SocketTimeoutException} when the timeout elapses first.
     */
    @Override
    public final CompletionStage<Void> check(Backend backend) {
        Peer peer;
        try {
            peer = adapt(Objects.requireNonNull(peers.apply(backend), "peers returned null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(
                    failure("health check", backend, "no peer for the backend: " + message(e), e));
        }
        String what = describe(peer);
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            Transport transport;
            Connector connector;
            synchronized (this) {
                if (given != null) {
                    transport = given;
                    connector = givenConnector;
                } else {
                    if (own == null) {
                        own = Transport.create(1);
                        ownConnector = Connector.of(own);
                    }
                    transport = own;
                    connector = ownConnector;
                }
            }
            ScheduledFuture<?> deadline = transport
                    .group()
                    .next()
                    .schedule(
                            () -> result.completeExceptionally(new SocketTimeoutException(
                                    what + " on " + backend + ": no answer within " + timeout)),
                            timeout.toNanos(),
                            TimeUnit.NANOSECONDS);
            result.whenComplete((v, e) -> deadline.cancel(false));
            connector.connect(peer).whenComplete((stream, err) -> {
                if (err != null) {
                    result.completeExceptionally(connectFailure(what, backend, err));
                    return;
                }
                result.whenComplete((v, e) -> stream.close());
                if (result.isDone()) {
                    return;
                }
                EventLoop loop = stream.channel().eventLoop();
                if (loop.inEventLoop()) {
                    exchangeOrFail(stream, backend, what, result);
                } else {
                    try {
                        loop.execute(() -> exchangeOrFail(stream, backend, what, result));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(failure(what, backend, "cannot run: " + e, e));
                    }
                }
            });
        } catch (RuntimeException e) {
            // the event loops are shutting down (a closed transport)
            result.completeExceptionally(failure(what, backend, "cannot start: " + e, e));
        }
        return result;
    }

    private void exchangeOrFail(Stream stream, Backend backend, String what, CompletableFuture<Void> result) {
        try {
            exchange(stream, backend, what, result);
        } catch (RuntimeException e) {
            result.completeExceptionally(failure(what, backend, message(e), e));
        }
    }

    /** The backend's {@code address:port} ({@code [v6]:port}), without its weight. */
    static String hostPort(Backend backend) {
        String s = backend.toString();
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    /** A failure naming the check and the backend. */
    static IOException failure(String what, Backend backend, String detail, Throwable cause) {
        return new IOException(what + " on " + backend + ": " + detail, cause);
    }

    private static IOException connectFailure(String what, Backend backend, Throwable err) {
        Throwable e = unwrap(err);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return failure(what, backend, "TLS handshake failed: " + message(t), e);
            }
        }
        return failure(what, backend, "connect failed: " + message(e), e);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** Stops the check's own event loop, if it started one; a later check starts a new one. */
    @Override
    public void close() {
        Transport t;
        synchronized (this) {
            t = own;
            own = null;
            ownConnector = null;
        }
        if (t != null) {
            t.close();
        }
    }
}
