package net.proxy.core;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.proxy.l4.Endpoint;
import net.proxy.l4.Listener;
import net.proxy.l4.ListenerBuilder;
import net.proxy.l4.Stream;
import net.proxy.l4.Transport;

/**
 * A service that accepts streams on endpoints of a {@link Server}: the HTTP proxy ({@link HttpProxy}), an L4
 * proxy, a plain HTTP application. The server owns the event loops and binds one l4 {@link Listener} per service
 * (TCP, Unix and virtual endpoints, the PROXY header, the connection filter and TLS); the service takes over each
 * stream the listener hands over.
 *
 * <p>Call order: {@link #start(Transport)}, {@link #configure(ListenerBuilder)}, {@link #bound(Listener)}, then
 * {@link #serve} for every stream; on stop {@link #beginShutdown()} and {@link #closeNow()}.
 */
public interface ListeningService {
    /**
     * A short name for logs.
     *
     * @return the name
     */
    String name();

    /**
     * Where to accept: TCP (port 0 picks a free port; see {@link Server#boundAddresses}), Unix and virtual
     * endpoints.
     *
     * @return the endpoints, possibly empty
     */
    List<Endpoint> endpoints();

    /**
     * The server is starting on {@code transport}: the service sets up what it needs from it (an upstream
     * connector, say). The default does nothing.
     *
     * @param transport the server's event loops
     */
    default void start(Transport transport) {}

    /**
     * Adds the service's accept options (TLS, connection filter, PROXY protocol) to the listener the server builds
     * for it; the server sets the endpoints and the handler. The default adds nothing.
     *
     * @param listener the listener being built
     */
    default void configure(ListenerBuilder listener) {}

    /**
     * The listener is bound (its counters and addresses are readable from now). The default does nothing.
     *
     * @param listener the bound listener
     */
    default void bound(Listener listener) {}

    /**
     * Takes over an accepted stream (after the PROXY header, the filter and TLS), reading paused. Runs on the
     * stream's event loop, which may belong to a virtual transport rather than the server; {@code loop} is the
     * server loop the service should run the connection on (the stream's own loop when it is a server loop).
     *
     * @param stream the stream
     * @param loop the server loop to run it on
     */
    void serve(Stream stream, EventLoop loop);

    /**
     * Graceful stop has begun: finish requests in flight, close idle connections now and the others after their
     * current request. The default returns a completed stage.
     *
     * @return a stage that completes once the service holds no connection
     */
    default CompletionStage<Void> beginShutdown() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Fast stop, or the end of a graceful stop's grace period: close every connection of this service now. The
     * default does nothing.
     */
    default void closeNow() {}

    /**
     * How long a graceful stop waits for this service before closing what is left. The default is 30 s.
     *
     * @return the grace period
     */
    default Duration gracePeriod() {
        return Duration.ofSeconds(30);
    }
}
