package net.proxy.l4;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether to keep a newly accepted connection, from its addresses alone, before any TLS
 * work (Pingora 0.7's {@code ConnectionFilter}). A rejected connection is closed without reading
 * a byte of handshake and counted in {@link ListenerStats#rejected()}.
 *
 * <p>With the PROXY protocol enabled on a listener, the filter runs after the PROXY header is
 * parsed and sees the original client's address; otherwise it runs right after {@code accept()}.
 * Connections without an IP address (Unix, virtual) are passed through the filter as well.
 */
@FunctionalInterface
public interface ConnectionFilter {

    /**
     * Decides on a connection; may answer asynchronously (e.g. after a lookup).
     *
     * @param remote the client's address (after PROXY protocol, if used)
     * @param local the address the connection arrived on
     * @return a stage completing with {@code true} to keep the connection; {@code false} or a
     *     failure closes it
     */
    CompletionStage<Boolean> shouldAccept(SocketAddress remote, SocketAddress local);

    /**
     * Accepts everything (the default).
     *
     * @return the filter
     */
    static ConnectionFilter acceptAll() {
        return (remote, local) -> CompletableFuture.completedFuture(Boolean.TRUE);
    }

    /**
     * Rejects clients whose IP lies in any of the blocks; non-IP clients are accepted.
     *
     * @param blocks the denied blocks
     * @return the filter
     */
    static ConnectionFilter denying(List<Cidr> blocks) {
        List<Cidr> copy = List.copyOf(blocks);
        return (remote, local) -> {
            boolean denied = remote instanceof InetSocketAddress
                    && ((InetSocketAddress) remote).getAddress() != null
                    && copy.stream().anyMatch(c -> c.contains(((InetSocketAddress) remote).getAddress()));
            return CompletableFuture.completedFuture(!denied);
        };
    }
}
