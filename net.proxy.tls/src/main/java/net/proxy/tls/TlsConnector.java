package net.proxy.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs client-side (upstream) handshakes with {@link TlsClientSettings}. One instance holds one
 * TLS context and its session cache, so reuse it for a peer to get session resumption.
 * Thread-safe.
 */
public final class TlsConnector {
    private final TlsClientSettings settings;
    private final SslContext context;
    /** Connectors sharing this one's context with another ALPN list, by settings instance. */
    private java.util.Map<TlsClientSettings, TlsConnector> alpnVariants;

    private TlsConnector(TlsClientSettings settings) {
        this(settings, Contexts.client(settings));
    }

    private TlsConnector(TlsClientSettings settings, SslContext context) {
        this.settings = settings;
        this.context = context;
    }

    /**
     * Creates a connector.
     *
     * @param settings the settings
     * @return the connector
     * @throws IllegalArgumentException if the engine refuses the settings
     */
    public static TlsConnector of(TlsClientSettings settings) {
        return new TlsConnector(settings);
    }

    /**
     * Returns a connector that offers {@code protocols} by ALPN and is otherwise this one: it shares this
     * connector's TLS context and session cache (ALPN is set per handshake, not per context), and its settings are
     * {@link TlsClientSettings#withAlpn this connector's settings with that list}. This connector itself when the
     * lists are equal; the same variant every time for one list.
     *
     * @param protocols ALPN ids, most preferred first
     * @return a connector offering that list
     * @throws IllegalArgumentException if an id is empty, too long or repeated
     */
    public TlsConnector withAlpn(String... protocols) {
        TlsClientSettings s = settings.withAlpn(protocols);
        if (s == settings) {
            return this;
        }
        synchronized (this) {
            if (alpnVariants == null) {
                alpnVariants = new java.util.HashMap<>(4);
            }
            return alpnVariants.computeIfAbsent(s, k -> new TlsConnector(k, context));
        }
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public TlsClientSettings settings() {
        return settings;
    }

    /**
     * Adds the TLS handlers at the head of a connected channel's pipeline and starts the handshake.
     * Must be called on the channel's event loop. On failure the channel is closed.
     *
     * @param channel a connected channel
     * @param serverName the host name to send as SNI and to verify; an IP literal sends no SNI and is
     *     verified against the certificate's IP addresses
     * @return a stage completing with the digest once the handshake (and callback) succeeded
     */
    public CompletionStage<TlsDigest> handshake(Channel channel, String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            throw new IllegalArgumentException("serverName: empty (expected: a host name or IP literal)");
        }
        int port = channel.remoteAddress() instanceof InetSocketAddress
                ? ((InetSocketAddress) channel.remoteAddress()).getPort()
                : -1;
        CompletableFuture<TlsDigest> result = new CompletableFuture<>();
        boolean ip = NetUtil.isValidIpV4Address(serverName) || NetUtil.isValidIpV6Address(serverName);
        HandshakeWatcher watcher =
                new HandshakeWatcher(result, settings.options(), ip ? null : serverName, true, false);
        SslHandler ssl = Contexts.configure(context.newHandler(channel.alloc(), serverName, port), settings.options());
        Contexts.releaseOnClose(channel, ssl.engine());
        channel.pipeline().addFirst(HandshakeWatcher.NAME, watcher);
        channel.pipeline().addFirst("net.proxy.tls.client", ssl);
        channel.read();
        return result;
    }
}
