/**
 * TLS for net.proxy: validated server and client settings, certificate loading (PEM, PKCS#12), SNI
 * selection, mutual TLS, handshake digests, and TLS engines found through {@link
 * net.proxy.tls.spi.TlsEngineProvider} (the JDK's own provider always; Conscrypt/BoringSSL when the
 * {@code org.conscrypt} module is in the module graph).
 *
 * <p>Only {@code net.proxy.tls} (the API) and {@code net.proxy.tls.spi} (for third-party engines) are
 * exported; the two built-in providers live in the non-exported {@code net.proxy.tls.internal} and are
 * reached only through {@link java.util.ServiceLoader} and {@code TlsEngine}.
 */
module net.proxy.tls {
    requires transitive io.netty.handler;
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires java.naming;
    requires static org.conscrypt;

    exports net.proxy.tls;
    exports net.proxy.tls.spi;

    uses net.proxy.tls.spi.TlsEngineProvider;

    provides net.proxy.tls.spi.TlsEngineProvider with
            net.proxy.tls.internal.JdkEngineProvider,
            net.proxy.tls.internal.ConscryptEngineProvider;
}
