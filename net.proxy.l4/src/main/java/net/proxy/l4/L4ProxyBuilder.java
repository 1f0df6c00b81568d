package net.proxy.l4;

import java.time.Duration;
import java.util.function.Function;

/** Builds an {@link L4Proxy}; obtained from {@link L4Proxy#builder(Connector)}. */
public final class L4ProxyBuilder {
    final Connector connector;
    Function<Stream, Peer> upstream;
    Duration idleTimeout = Duration.ofMinutes(10);

    L4ProxyBuilder(Connector connector) {
        if (connector == null) {
            throw new NullPointerException("connector");
        }
        this.connector = connector;
    }

    /**
     * Sends every stream to one peer.
     *
     * @param peer the upstream
     * @return this builder
     */
    public L4ProxyBuilder upstream(Peer peer) {
        if (peer == null) {
            throw new NullPointerException("peer");
        }
        return upstream(s -> peer);
    }

    /**
     * Chooses the upstream per stream (e.g. from its digest's SNI or client address).
     *
     * @param selector returns the peer for a downstream stream
     * @return this builder
     */
    public L4ProxyBuilder upstream(Function<Stream, Peer> selector) {
        if (selector == null) {
            throw new NullPointerException("selector");
        }
        this.upstream = selector;
        return this;
    }

    /**
     * Closes both sides after this long without traffic in either direction. Default: 10 minutes.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public L4ProxyBuilder idleTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + timeout + " (expected: > 0)");
        }
        this.idleTimeout = timeout;
        return this;
    }

    /**
     * Builds the proxy.
     *
     * @return the proxy, a {@link StreamHandler} for a {@link Listener}
     */
    public L4Proxy build() {
        if (upstream == null) {
            throw new IllegalArgumentException("upstream: not set (expected: a Peer or a selector)");
        }
        return new L4Proxy(this);
    }
}
