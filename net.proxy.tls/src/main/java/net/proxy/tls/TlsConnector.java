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

    private TlsConnector(TlsClientSettings settings) {
        this.settings = settings;
        this.context = Contexts.client(settings);
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
