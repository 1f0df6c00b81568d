package net.proxy.core;

import io.netty.channel.EventLoop;

/**
 * A client connection as the {@link HttpProxy} tracks it for shutdown: an HTTP/1 connection
 * ({@link DownstreamConnection}) or an HTTP/2 one ({@link H2ServerConnection}).
 */
interface ClientConnection {
    /** The loop the connection is served on. */
    EventLoop loop();

    /** Graceful stop, on {@link #loop()}: no new requests; the connection closes once its requests are done. */
    void shutdown();

    /** Fast stop, from any thread: closes the connection now. */
    void closeNow();
}
