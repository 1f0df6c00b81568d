package net.proxy.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/** Turns validated settings into Netty {@link SslContext}s on the chosen engine. */
final class Contexts {
    private static final System.Logger LOG = System.getLogger(Contexts.class.getName());

    private Contexts() {}

    static SslContext server(TlsServerSettings settings, CertificateKey certificate) {
        TlsOptions o = settings.options();
        SslContextBuilder b = SslContextBuilder.forServer(
                certificate.privateKey(), certificate.chain().toArray(new X509Certificate[0]));
        if (settings.clientAuth() != ClientAuth.NONE) {
            b.clientAuth(
                            settings.clientAuth() == ClientAuth.REQUIRED
                                    ? io.netty.handler.ssl.ClientAuth.REQUIRE
                                    : io.netty.handler.ssl.ClientAuth.OPTIONAL)
                    .trustManager(settings.trustedClientRoots().toArray(new X509Certificate[0]));
        }
        return build(b, o);
    }

    static SslContext client(TlsClientSettings settings) {
        TlsOptions o = settings.options();
        SslContextBuilder b = SslContextBuilder.forClient();
        if (!settings.verifyCertificate()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            b.trustManager(TrustManagers.pkix(settings.trustRoots()));
        }
        b.endpointIdentificationAlgorithm(settings.verifyCertificate() && settings.verifyHostname() ? "HTTPS" : null);
        settings.clientCertificate()
                .ifPresent(c -> b.keyManager(c.privateKey(), c.chain().toArray(new X509Certificate[0])));
        return build(b, o);
    }

    private static SslContext build(SslContextBuilder b, TlsOptions o) {
        TlsEngine engine = o.engine();
        if (!o.groups().isEmpty()) {
            throw new IllegalArgumentException("groups: "
                    + o.groups()
                    + " (not supported by engine "
                    + engine.name()
                    + ": it cannot restrict key-exchange groups per connection)");
        }
        checkCiphers(engine, o);
        b.sslProvider(SslProvider.JDK)
                .sslContextProvider(engine.jcaProvider())
                .protocols(o.protocolNames())
                .ciphers(
                        o.ciphers().isEmpty() ? null : o.ciphers(),
                        o.ciphers().isEmpty()
                                ? SupportedCipherSuiteFilter.INSTANCE
                                : IdentityCipherSuiteFilter.INSTANCE)
                .sessionCacheSize(o.sessionCacheSize())
                .sessionTimeout(o.sessionTimeout().getSeconds());
        try {
            return b.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot create TLS context on " + engine.name() + ": " + e, e);
        }
    }

    /**
     * Configures ALPN through the standard {@link SSLParameters#setApplicationProtocols} API rather
     * than Netty's ALPN wrapper engine: the wrapper fails the handshake when Conscrypt reports "no
     * protocol" as {@code null}; the standard API behaves the same on both engines (the server picks
     * by its own preference order; no overlap means no ALPN, like nginx).
     */
    static SslHandler configure(SslHandler handler, TlsOptions o) {
        handler.setHandshakeTimeoutMillis(o.handshakeTimeout().toMillis());
        if (!o.alpn().isEmpty()) {
            SSLEngine engine = handler.engine();
            SSLParameters p = engine.getSSLParameters();
            p.setApplicationProtocols(o.alpn().toArray(new String[0]));
            engine.setSSLParameters(p);
        }
        return handler;
    }

    /**
     * Closes both directions of the engine when the channel closes. Conscrypt frees its native SSL
     * object (and the pipe it holds per connection) only once both are closed, otherwise not before
     * a garbage collection: under connection churn that exhausts file descriptors.
     */
    static void releaseOnClose(Channel channel, SSLEngine engine) {
        channel.closeFuture().addListener(f -> {
            engine.closeOutbound();
            try {
                engine.closeInbound();
            } catch (SSLException e) {
                // The JDK engine complains when the peer sent no close_notify; it is discarded anyway.
                LOG.log(System.Logger.Level.TRACE, () -> "closing engine of " + channel + ": " + e);
            }
        });
    }

    private static void checkCiphers(TlsEngine engine, TlsOptions o) {
        if (o.ciphers().isEmpty()) {
            return;
        }
        Set<String> supported;
        try {
            Provider p = engine.jcaProvider();
            SSLContext ctx = p == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", p);
            ctx.init(null, null, null);
            supported = Set.of(ctx.getSupportedSSLParameters().getCipherSuites());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("engine " + engine.name() + " cannot list cipher suites", e);
        }
        List<String> unknown = new ArrayList<>();
        for (String c : o.ciphers()) {
            if (!supported.contains(c)) {
                unknown.add(c);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "ciphers: " + unknown + " (expected: suites supported by engine " + engine.name() + ")");
        }
    }
}
