/**
 * TLS for net.proxy: validated server and client settings, certificate loading (PEM, PKCS#12), SNI
 * selection, mutual TLS, handshake digests, and TLS engines found through {@link
 * net.proxy.tls.spi.TlsEngineProvider} (the JDK's own provider always; Conscrypt/BoringSSL when the
 * {@code org.conscrypt} module is in the module graph).
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
            net.proxy.tls.JdkEngineProvider,
            net.proxy.tls.ConscryptEngineProvider;
}
