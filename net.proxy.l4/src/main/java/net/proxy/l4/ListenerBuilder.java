package net.proxy.l4;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.proxy.tls.TlsAcceptor;
import net.proxy.tls.TlsServerSettings;

/** Builds a {@link Listener}; obtained from {@link Listener#builder(Transport)}. */
public final class ListenerBuilder {
    final Transport transport;
    final List<Endpoint> endpoints = new ArrayList<>();
    final AcceptSequence.Builder accept = AcceptSequence.builder();

    ListenerBuilder(Transport transport) {
        if (transport == null) {
            throw new NullPointerException("transport");
        }
        this.transport = transport;
    }

    /**
     * Adds an endpoint to accept on.
     *
     * @param endpoint TCP, Unix or virtual
     * @return this builder
     */
    public ListenerBuilder endpoint(Endpoint endpoint) {
        if (endpoint == null) {
            throw new NullPointerException("endpoint");
        }
        endpoints.add(endpoint);
        return this;
    }

    /**
     * Terminates TLS on every endpoint with this acceptor (keep it to {@linkplain TlsAcceptor#update
     * replace certificates} later). Default: plaintext.
     *
     * @param acceptor the acceptor
     * @return this builder
     */
    public ListenerBuilder tls(TlsAcceptor acceptor) {
        if (acceptor == null) {
            throw new NullPointerException("acceptor");
        }
        accept.tls(acceptor);
        return this;
    }

    /**
     * Terminates TLS with these settings.
     *
     * @param settings the settings
     * @return this builder
     */
    public ListenerBuilder tls(TlsServerSettings settings) {
        return tls(TlsAcceptor.of(settings));
    }

    /**
     * Sets the connection filter. Default: {@link ConnectionFilter#acceptAll()}.
     *
     * @param filter the filter
     * @return this builder
     */
    public ListenerBuilder filter(ConnectionFilter filter) {
        accept.filter(filter);
        return this;
    }

    /**
     * Expects a PROXY protocol header (v1 or v2, detected) before anything else on every connection.
     * Default: off.
     *
     * @param enabled whether to expect it
     * @return this builder
     */
    public ListenerBuilder proxyProtocol(boolean enabled) {
        accept.proxyProtocol(enabled);
        return this;
    }

    /**
     * Sets how long a client may take to send the PROXY header. Default: 10 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public ListenerBuilder proxyHeaderTimeout(Duration timeout) {
        accept.proxyHeaderTimeout(timeout);
        return this;
    }

    /**
     * Sets the timer wheels the PROXY header timeout runs on. Default: wheels of the listener's own.
     *
     * @param timers the wheels of the transport's loops
     * @return this builder
     */
    public ListenerBuilder timers(LoopTimers timers) {
        accept.timers(timers);
        return this;
    }

    /**
     * Sets what to do with accepted streams (required).
     *
     * @param handler the handler
     * @return this builder
     */
    public ListenerBuilder handler(StreamHandler handler) {
        accept.handler(handler);
        return this;
    }

    /**
     * Validates and builds the listener (not yet bound: call {@link Listener#start()}).
     *
     * @return the listener
     */
    public Listener build() {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: none (expected: at least one)");
        }
        return new Listener(this, accept.build());
    }
}
