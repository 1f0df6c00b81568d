package net.proxy.core;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import net.proxy.l4.StreamDigest;

/**
 * The client side of an {@link Exchange}, seen by the engine: an HTTP/1.1 connection today; an HTTP/2 stream or a
 * background subrequest implement the same operations. All calls happen on {@link #loop()}.
 */
interface Downstream {
    EventLoop loop();

    ByteBufAllocator alloc();

    StreamDigest digest();

    /** The writer of the current request's response, in this downstream's protocol. */
    ResponseWriter responseWriter();

    void flush();

    /** Whether the client keeps up (false: stop reading the origin until it does). */
    boolean isWritable();

    /** Stops or resumes reading the request body because the upstream side is full or not connected yet. */
    void pauseBody(boolean pause);

    /** Whether the connection may serve another request after this one. */
    boolean canKeepAlive();

    /** Forbids keep-alive for this connection. */
    void forceClose();

    /**
     * A phase called {@code keepAlive(false)}: a multiplexed connection (HTTP/2) stops taking new streams and closes
     * once the streams in flight end; an HTTP/1 connection reads the session's flag when the response is written.
     */
    void keepAliveRefused();

    /** Whether the request body was read completely. */
    boolean requestBodyComplete();

    /**
     * The protocol an HTTP/2 extended {@code CONNECT} asks for ({@code :protocol}, RFC 8441), such as
     * {@code websocket}; null for any other request.
     */
    String connectProtocol();

    /** This side of a tunnel, or null when this downstream cannot carry one. */
    TunnelEnd tunnelEnd();

    /**
     * The response that opens {@code tunnel} was queued: from now on the client's bytes after the request (those
     * read already included) go to the tunnel, and the request timeouts give way to the tunnel's idle timeout.
     */
    void startTunnel(Tunnel<?> tunnel);

    /** The exchange finished; the connection is kept for the next request if {@code keepAlive}. */
    void exchangeDone(Exchange<?> exchange, boolean keepAlive);
}
