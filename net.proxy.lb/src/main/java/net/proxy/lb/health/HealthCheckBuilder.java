package net.proxy.lb.health;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import net.proxy.l4.Peer;
import net.proxy.l4.Transport;
import net.proxy.lb.Backend;

/**
 * The settings every built-in health check shares: timeout (default 1 s), interval (default 5 s), rise and fall
 * (default 1 each, as Pingora), how a backend becomes a {@code net.proxy.l4} {@link Peer}, and the event loops to
 * connect on. Every setter validates its argument at once.
 *
 * @param <B> the concrete builder type
 */
public abstract class HealthCheckBuilder<B extends HealthCheckBuilder<B>> {
    Duration timeout = Duration.ofSeconds(1);
    Duration interval = Duration.ofSeconds(5);
    int rise = 1;
    int fall = 1;
    Function<Backend, Peer> peers;
    Transport transport;

    HealthCheckBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Bounds one whole check: connect, TLS handshake and, for HTTP, the response head, for gRPC the whole call (also
     * sent as its {@code grpc-timeout}). Default 1 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public B timeout(Duration value) {
        this.timeout = Checks.positive("timeout", value);
        return self();
    }

    /**
     * Time from the end of one round of checks to the start of the next. Default 5 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public B interval(Duration value) {
        this.interval = Checks.positive("interval", value);
        return self();
    }

    /**
     * Consecutive successes to become healthy. Default 1.
     *
     * @param value at least 1
     * @return this builder
     */
    public B rise(int value) {
        this.rise = Checks.atLeast("rise", value, 1);
        return self();
    }

    /**
     * Consecutive failures to become unhealthy. Default 1.
     *
     * @param value at least 1
     * @return this builder
     */
    public B fall(int value) {
        this.fall = Checks.atLeast("fall", value, 1);
        return self();
    }

    /**
     * How a backend becomes the peer a check connects to, as the proxy's connections do: a peer with TLS makes the
     * check speak TLS (its server name is sent and verified), and the peer's bind address, keep-alive, PROXY header
     * or virtual transport apply too. Default: plain TCP to {@link Backend#address()} with the check's timeout as
     * connect timeout. The check's {@link #timeout} bounds the whole check whatever the peer's own timeouts.
     *
     * <pre>{@code
     * TlsConnector tls = TlsConnector.of(TlsClientSettings.builder().trustRoots(roots).build());
     * builder.peers(b -> Peer.builder(b.address()).tls(tls).serverName("api.example").build());
     * }</pre>
     *
     * @param value maps a backend to its peer; called for every check
     * @return this builder
     */
    public B peers(Function<Backend, Peer> value) {
        this.peers = Objects.requireNonNull(value, "peers");
        return self();
    }

    /**
     * The event loops checks connect on (for instance the transport of the proxy's own connectors). Default: one
     * event-loop thread of the check's own, started by its first check and stopped by
     * {@link net.proxy.lb.HealthCheck#close()}, which a load balancer calls when it is closed.
     *
     * @param value the transport; the check never closes it
     * @return this builder
     */
    public B transport(Transport value) {
        this.transport = Objects.requireNonNull(value, "transport");
        return self();
    }
}
