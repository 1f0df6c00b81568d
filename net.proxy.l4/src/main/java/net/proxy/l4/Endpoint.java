package net.proxy.l4;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import net.proxy.l4.spi.VirtualTransport;

/** Where a {@link Listener} accepts connections: TCP, a Unix domain socket, or a virtual transport. */
public sealed interface Endpoint {

    /**
     * A TCP endpoint with default options.
     *
     * @param host an IP literal or host name ({@code "127.0.0.1"}, {@code "::1"}, {@code "0.0.0.0"})
     * @param port the port, 0 for any free port
     * @return the endpoint
     */
    static Tcp tcp(String host, int port) {
        return new Tcp(new InetSocketAddress(host, port), TcpOptions.DEFAULTS);
    }

    /**
     * A TCP endpoint.
     *
     * @param address the address to bind
     * @param options socket options
     * @return the endpoint
     */
    static Tcp tcp(InetSocketAddress address, TcpOptions options) {
        return new Tcp(address, options);
    }

    /**
     * A Unix domain socket endpoint; an existing file at the path is removed before binding.
     *
     * @param path the socket file
     * @return the endpoint
     */
    static Unix unix(Path path) {
        return new Unix(path);
    }

    /**
     * An endpoint on a virtual transport.
     *
     * @param transport the transport
     * @param address the transport's address to listen on
     * @return the endpoint
     */
    static Virtual virtual(VirtualTransport transport, SocketAddress address) {
        return new Virtual(transport, address);
    }

    /**
     * A TCP endpoint.
     *
     * @param address the address to bind (IPv4 or IPv6)
     * @param options socket options
     */
    record Tcp(InetSocketAddress address, TcpOptions options) implements Endpoint {
        /**
         * Validates.
         *
         * @param address the address
         * @param options the options
         */
        public Tcp {
            if (address == null || options == null) {
                throw new NullPointerException(address == null ? "address" : "options");
            }
        }
    }

    /**
     * A Unix domain socket endpoint.
     *
     * @param path the socket file
     */
    record Unix(Path path) implements Endpoint {
        /**
         * Validates.
         *
         * @param path the socket file
         */
        public Unix {
            if (path == null) {
                throw new NullPointerException("path");
            }
        }
    }

    /**
     * An endpoint on a virtual transport.
     *
     * @param transport the transport
     * @param address the address on it
     */
    record Virtual(VirtualTransport transport, SocketAddress address) implements Endpoint {
        /**
         * Validates.
         *
         * @param transport the transport
         * @param address the address
         */
        public Virtual {
            if (transport == null || address == null) {
                throw new NullPointerException(transport == null ? "transport" : "address");
            }
        }
    }
}
