package net.proxy.l4.spi;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A custom L4 transport (Pingora 0.7's virtual L4 streams): anything that can produce connected
 * Netty {@link Channel}s — an in-process pipe, a tunnel over another connection, a user-space
 * network stack. Listeners accept from it ({@code Endpoint.virtual}) and connectors dial through it
 * ({@code Peer.builder(..).transport(..)}); everything above (PROXY protocol, TLS, the L4 proxy,
 * HTTP) works unchanged on its streams.
 *
 * <p>Channels handed over must be registered and active, with {@code autoRead} off; their
 * pipelines must be empty of application handlers.
 */
public interface VirtualTransport {

    /**
     * Returns a short name for digests and logs, e.g. {@code "pipe"}.
     *
     * @return the name
     */
    String name();

    /**
     * Opens a stream to an address.
     *
     * @param address where to connect, in this transport's address space
     * @param eventLoop the event loop the caller runs on; a transport should use it when its channels
     *     can be registered there (no thread hop when proxying), and may use its own otherwise
     * @return a stage completing with the connected channel, or failing with the connect error
     */
    CompletionStage<Channel> connect(SocketAddress address, EventLoop eventLoop);

    /**
     * Starts accepting streams at an address.
     *
     * @param address the address to listen on
     * @param group the listener's event loops, for accepted channels if the transport can use them
     * @param acceptor receives each accepted channel, on its event loop
     * @return closing it stops accepting
     * @throws IOException if the address is taken or invalid
     */
    Closeable listen(SocketAddress address, EventLoopGroup group, Consumer<Channel> acceptor) throws IOException;
}
