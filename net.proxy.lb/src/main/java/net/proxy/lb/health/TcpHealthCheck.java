package net.proxy.lb.health;

import java.util.concurrent.CompletableFuture;
import net.proxy.l4.Peer;
import net.proxy.l4.Stream;
import net.proxy.lb.Backend;

/**
 * Healthy when a connection to the backend's peer can be made within the timeout (with its TLS handshake when the
 * peer speaks TLS); the connection is closed at once. Connects with {@code net.proxy.l4}'s
 * {@link net.proxy.l4.Connector}, like the proxy's own upstream connections.
 *
 * <pre>{@code
 * HealthCheck check = TcpHealthCheck.builder().timeout(Duration.ofSeconds(1)).fall(2).build();
 * }</pre>
 */
public final class TcpHealthCheck extends ConnectingCheck {

    TcpHealthCheck(TcpHealthCheckBuilder b) {
        super(b);
    }

    /**
     * Starts building a check: timeout 1 s, interval 5 s, rise 1, fall 1, plain TCP.
     *
     * @return a new builder
     */
    public static TcpHealthCheckBuilder builder() {
        return new TcpHealthCheckBuilder();
    }

    @Override
    String describe(Peer peer) {
        return peer.tls().isPresent() ? "TLS health check" : "TCP health check";
    }

    @Override
    void exchange(Stream stream, Backend backend, String what, CompletableFuture<Void> result) {
        result.complete(null);
    }
}
