package net.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs server-side handshakes with {@link TlsServerSettings}: picks the certificate (selector, then
 * SNI exact, wildcard, default), negotiates, builds the {@link TlsDigest} and calls the handshake
 * callback. Thread-safe; {@link #update} swaps the settings at run time so that new handshakes see
 * the new certificates while established connections keep theirs.
 */
public final class TlsAcceptor {
    /** Bound on contexts cached for certificates returned by a {@link CertificateSelector}. */
    static final int MAX_SELECTED_CONTEXTS = 1024;

    private volatile State state;

    private TlsAcceptor(State state) {
        this.state = state;
    }

    /**
     * Creates an acceptor, building one TLS context per distinct certificate right away.
     *
     * @param settings the settings
     * @return the acceptor
     * @throws IllegalArgumentException if the engine refuses the settings (unsupported cipher, group)
     */
    public static TlsAcceptor of(TlsServerSettings settings) {
        return new TlsAcceptor(State.of(settings));
    }

    /**
     * Replaces the settings (certificates, options) for handshakes that start from now on.
     *
     * @param settings the new settings
     * @throws IllegalArgumentException if the engine refuses them; the old settings then stay
     */
    public void update(TlsServerSettings settings) {
        this.state = State.of(settings);
    }

    /**
     * Returns the current settings.
     *
     * @return the settings
     */
    public TlsServerSettings settings() {
        return state.settings;
    }

    /**
     * Adds the TLS handlers at the head of the channel's pipeline and starts reading the handshake.
     * Must be called on the channel's event loop. On failure the channel is closed.
     *
     * @param channel an active channel whose next inbound bytes are a ClientHello
     * @return a stage completing with the digest once the handshake (and callback) succeeded
     */
    public CompletionStage<TlsDigest> handshake(Channel channel) {
        State s = state;
        CompletableFuture<TlsDigest> result = new CompletableFuture<>();
        boolean single = s.only != null;
        HandshakeWatcher watcher = new HandshakeWatcher(
                result, s.settings.options(), null, s.settings.clientAuth() != ClientAuth.NONE, single);
        channel.pipeline().addFirst(HandshakeWatcher.NAME, watcher);
        if (single) {
            channel.pipeline()
                    .addFirst(
                            SslHandler.class.getName(),
                            serverHandler(s.only.newHandler(channel.alloc()), channel, s.settings));
        } else {
            channel.pipeline().addFirst("net.proxy.tls.sni", new Selector(s, channel, watcher));
        }
        channel.pipeline().addFirst(TransportErrors.NAME, new TransportErrors());
        channel.read();
        return result;
    }

    /**
     * Returns the digest of a channel whose handshake completed (server or client side).
     *
     * @param channel the channel
     * @return the digest, empty before the handshake completed or without TLS
     */
    public static Optional<TlsDigest> digest(Channel channel) {
        return Optional.ofNullable(channel.attr(HandshakeWatcher.DIGEST).get());
    }

    private static SslHandler serverHandler(SslHandler handler, Channel channel, TlsServerSettings settings) {
        Contexts.configure(handler, settings.options());
        Contexts.releaseOnClose(channel, handler.engine());
        return handler;
    }

    /** The compiled form of one settings object. */
    private static final class State {
        final TlsServerSettings settings;
        final Map<CertificateKey, SslContext> contexts;
        final Map<CertificateKey, SslContext> selected = new ConcurrentHashMap<>();
        /**
         * The context every handshake gets when there is nothing to choose (one certificate, which is
         * also the default, and no selector), else {@code null}. Then the SNI step is skipped: no
         * ClientHello parsing in Java, no handler swap; the digest takes the SNI name from the session.
         */
        final SslContext only;

        private State(TlsServerSettings settings, Map<CertificateKey, SslContext> contexts) {
            this.settings = settings;
            this.contexts = contexts;
            this.only = contexts.size() == 1
                            && settings.defaultCertificate().isPresent()
                            && settings.certificateSelector().isEmpty()
                    ? contexts.get(settings.defaultCertificate().get())
                    : null;
        }

        static State of(TlsServerSettings settings) {
            Map<CertificateKey, SslContext> contexts = new IdentityHashMap<>();
            for (CertificateKey c : settings.sniTable().values()) {
                contexts.computeIfAbsent(c, k -> Contexts.server(settings, k));
            }
            settings.defaultCertificate()
                    .ifPresent(c -> contexts.computeIfAbsent(c, k -> Contexts.server(settings, k)));
            return new State(settings, contexts);
        }

        SslContext contextFor(CertificateKey c) {
            SslContext ctx = contexts.get(c);
            if (ctx != null) {
                return ctx;
            }
            if (selected.size() >= MAX_SELECTED_CONTEXTS) {
                selected.clear();
            }
            return selected.computeIfAbsent(c, k -> Contexts.server(settings, k));
        }

        SslContext staticContext(String serverName) {
            CertificateKey c = settings.select(serverName)
                    .orElseThrow(() -> new CertificateSelectionException("no certificate for SNI " + serverName));
            return contexts.get(c);
        }
    }

    /** Netty's SNI handler with our selection order and handshake timeout. */
    private static final class Selector extends SniHandler {
        private final State state;
        private final HandshakeWatcher watcher;
        private final Channel channel;

        Selector(State state, Channel channel, HandshakeWatcher watcher) {
            super(
                    mapping(state, channel, watcher),
                    0,
                    state.settings.handshakeTimeout().toMillis());
            this.state = state;
            this.watcher = watcher;
            this.channel = channel;
        }

        private static AsyncMapping<String, SslContext> mapping(
                State state, Channel channel, HandshakeWatcher watcher) {
            return (String hostname, Promise<SslContext> promise) -> {
                watcher.serverName(hostname);
                Optional<CertificateSelector> selector = state.settings.certificateSelector();
                if (selector.isEmpty()) {
                    return complete(promise, () -> state.staticContext(hostname));
                }
                CompletionStage<CertificateKey> chosen;
                try {
                    chosen = selector.get().select(new ClientHello(hostname, channel.remoteAddress()));
                } catch (RuntimeException e) {
                    return promise.setFailure(e);
                }
                chosen.whenComplete((c, err) -> {
                    if (err != null) {
                        promise.tryFailure(err);
                    } else {
                        complete(promise, () -> c == null ? state.staticContext(hostname) : state.contextFor(c));
                    }
                });
                return promise;
            };
        }

        private static Future<SslContext> complete(
                Promise<SslContext> promise, java.util.function.Supplier<SslContext> ctx) {
            try {
                promise.trySuccess(ctx.get());
            } catch (RuntimeException e) {
                promise.tryFailure(e);
            }
            return promise;
        }

        @Override
        protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
            return serverHandler(super.newSslHandler(context, allocator), channel, state.settings);
        }

        @Override
        public String toString() {
            return "TlsAcceptor.Selector(" + watcher + ")";
        }
    }
}
