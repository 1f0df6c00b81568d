package net.proxy.core;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.proxy.l4.Endpoint;

/**
 * A service that accepts connections on one or more addresses of a {@link Server}: the HTTP proxy
 * ({@link HttpProxy}), an L4 proxy, a plain HTTP application. The server owns the listening sockets and event
 * loops; the service sets up each accepted connection.
 */
public interface ListeningService {
    /** A short name for logs. */
    String name();

    /** The addresses to listen on (port 0 picks a free port; see {@link Server#boundAddresses}). */
    List<SocketAddress> addresses();

    /** Sets up a newly accepted connection (runs on its event loop, before it is registered for reads). */
    void initChannel(Channel channel);

    /**
     * The virtual L4 endpoints to accept from (an in-process {@link net.proxy.l4.PipeTransport} or a user's
     * {@link net.proxy.l4.spi.VirtualTransport}); the server starts and stops them with its sockets. The default is
     * none.
     */
    default List<Endpoint.Virtual> virtualEndpoints() {
        return List.of();
    }

    /**
     * Sets up a stream accepted from a {@link #virtualEndpoints() virtual endpoint}. Runs on the channel's event
     * loop, which may belong to the transport rather than the server; {@code loop} is the server loop the service
     * should run the connection on (the channel's own loop when it is a server loop). The server turns
     * {@code autoRead} on afterwards. The default calls {@link #initChannel(Channel)}, keeping the connection on the
     * channel's loop.
     */
    default void initVirtualChannel(Channel channel, EventLoop loop) {
        initChannel(channel);
    }

    /**
     * Graceful stop has begun: finish requests in flight, close idle connections now and the others after their
     * current exchange. Returns a stage that completes once the service holds no connection. The default returns a
     * completed stage.
     */
    default CompletionStage<Void> beginShutdown() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Fast stop, or the end of a graceful stop's grace period: close every connection of this service now. The
     * default does nothing.
     */
    default void closeNow() {}

    /** How long a graceful stop waits for this service before closing what is left. The default is 30 s. */
    default Duration gracePeriod() {
        return Duration.ofSeconds(30);
    }
}
