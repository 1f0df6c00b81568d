package net.proxy.l4;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import net.proxy.tls.TlsAcceptor;

/**
 * What a {@link Listener} does with each accepted connection before its {@link StreamHandler} sees it: read the
 * optional PROXY header, ask the {@link ConnectionFilter}, run the optional TLS handshake. A service that accepts
 * connections by other means (its own server socket, another framework's bootstrap) uses it to get the same
 * sequence, the same {@link StreamDigest} and the same counters.
 *
 * <pre>{@code
 * AcceptSequence accept = AcceptSequence.builder()
 *     .filter(ConnectionFilter.denying(List.of(Cidr.parse("10.0.0.0/8"))))
 *     .proxyProtocol(true)
 *     .handler(stream -> { addMyHandlers(stream.channel()); stream.resumeReading(); })
 *     .build();
 * // in the child channel initializer of your ServerBootstrap:
 * accept.adopt(channel, StreamKind.TCP, "epoll");
 * }</pre>
 *
 * <p>Thread-safe; one instance serves any number of channels. PROXY protocol: HAProxy's specification, versions 1
 * and 2, <a href="https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt">proxy-protocol.txt</a>.
 */
public final class AcceptSequence {
    final TlsAcceptor tls;
    final ConnectionFilter filter;
    final boolean proxyProtocol;
    final Duration proxyHeaderTimeout;
    final LoopTimers timers;
    final StreamHandler handler;
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder failed = new LongAdder();

    private AcceptSequence(Builder b) {
        this.tls = b.tls;
        this.filter = b.filter;
        this.proxyProtocol = b.proxyProtocol;
        this.proxyHeaderTimeout = b.proxyHeaderTimeout;
        this.timers = b.timers != null ? b.timers : LoopTimers.create();
        this.handler = b.handler;
    }

    /**
     * Starts building a sequence: by default accept all, no PROXY protocol (10 s header timeout when on), no TLS.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the sequence on a channel just accepted (registered or about to be, not reading yet): turns
     * {@code autoRead} off and hands the channel to the handler as a {@link Stream}, reading paused, once the
     * sequence passed; closes it otherwise.
     *
     * @param channel the accepted channel
     * @param kind its carrier
     * @param transportName the transport's name for the digest, e.g. {@code "epoll"}
     */
    public void adopt(Channel channel, StreamKind kind, String transportName) {
        channel.config().setAutoRead(false);
        channel.pipeline().addLast("net.proxy.l4.accept", new AcceptHandler(this, kind, transportName));
    }

    /**
     * Returns the counters.
     *
     * @return connections handed over, rejected by the filter, and failed (bad PROXY header, TLS) so far
     */
    public ListenerStats stats() {
        return new ListenerStats(accepted.sum(), rejected.sum(), failed.sum());
    }

    /** Builds an {@link AcceptSequence}. */
    public static final class Builder {
        TlsAcceptor tls;
        ConnectionFilter filter = ConnectionFilter.acceptAll();
        boolean proxyProtocol;
        Duration proxyHeaderTimeout = Duration.ofSeconds(10);
        StreamHandler handler;
        LoopTimers timers;

        private Builder() {}

        /**
         * Sets the timer wheels the PROXY header timeout runs on (the wheel of each connection's loop); default
         * wheels of the sequence's own on {@link System#nanoTime()}.
         *
         * @param value the wheels
         * @return this builder
         */
        public Builder timers(LoopTimers value) {
            if (value == null) {
                throw new NullPointerException("timers");
            }
            this.timers = value;
            return this;
        }

        /**
         * Sets the TLS acceptor (handshake after the filter); default none.
         *
         * @param acceptor the acceptor, or {@code null} for plain streams
         * @return this builder
         */
        public Builder tls(TlsAcceptor acceptor) {
            this.tls = acceptor;
            return this;
        }

        /**
         * Sets the connection filter; default accept all.
         *
         * @param value the filter
         * @return this builder
         */
        public Builder filter(ConnectionFilter value) {
            if (value == null) {
                throw new NullPointerException("filter");
            }
            this.filter = value;
            return this;
        }

        /**
         * Requires a PROXY protocol header (v1 or v2) first on every connection; the filter and the digest then see
         * the client it names. Default off.
         *
         * @param enabled whether to require it
         * @return this builder
         */
        public Builder proxyProtocol(boolean enabled) {
            this.proxyProtocol = enabled;
            return this;
        }

        /**
         * Sets how long a connection may take to send its PROXY header; default 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder proxyHeaderTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("proxyHeaderTimeout: " + timeout + " (expected: > 0)");
            }
            this.proxyHeaderTimeout = timeout;
            return this;
        }

        /**
         * Sets what to do with streams that passed (required).
         *
         * @param value the handler
         * @return this builder
         */
        public Builder handler(StreamHandler value) {
            if (value == null) {
                throw new NullPointerException("handler");
            }
            this.handler = value;
            return this;
        }

        /**
         * Validates and builds the sequence.
         *
         * @return the sequence
         */
        public AcceptSequence build() {
            if (handler == null) {
                throw new IllegalArgumentException("handler: not set (expected: a StreamHandler)");
            }
            return new AcceptSequence(this);
        }
    }
}
