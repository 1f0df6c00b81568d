package net.proxy.tls;

import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable client-side (upstream) TLS settings. Verification of the chain and of the host name are
 * on by default; each can be switched off per peer by giving that peer its own settings. Turn them
 * into a {@link TlsConnector} with {@link TlsConnector#of}.
 *
 * <p>Defaults: the JDK's default trust store, TLS 1.2 and 1.3, no ALPN, no client certificate, a 10
 * s handshake timeout, the preferred engine.
 */
public final class TlsClientSettings {
    private final TlsOptions options;
    private final List<X509Certificate> trustRoots;
    private final boolean verifyCertificate;
    private final boolean verifyHostname;
    private final CertificateKey clientCertificate;
    /** Copies with another ALPN list, made on demand and kept so that each list maps to one instance. */
    private Map<List<String>, TlsClientSettings> alpnCopies;

    TlsClientSettings(
            TlsOptions options,
            List<X509Certificate> trustRoots,
            boolean verifyCertificate,
            boolean verifyHostname,
            CertificateKey clientCertificate) {
        this.options = options;
        this.trustRoots = trustRoots;
        this.verifyCertificate = verifyCertificate;
        this.verifyHostname = verifyHostname;
        this.clientCertificate = clientCertificate;
    }

    /**
     * Starts building settings.
     *
     * @return a new builder
     */
    public static TlsClientSettingsBuilder builder() {
        return new TlsClientSettingsBuilder();
    }

    /**
     * Returns settings with every default: verification on, the JDK trust store.
     *
     * @return default settings
     */
    public static TlsClientSettings defaults() {
        return builder().build();
    }

    /**
     * Returns the custom trust roots.
     *
     * @return the roots, empty for the JDK's default trust store
     */
    public List<X509Certificate> trustRoots() {
        return trustRoots;
    }

    /**
     * Tells whether the server chain is verified.
     *
     * @return {@code true} by default
     */
    public boolean verifyCertificate() {
        return verifyCertificate;
    }

    /**
     * Tells whether the server certificate must name the SNI host.
     *
     * @return {@code true} by default
     */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /**
     * Returns the client certificate for upstream mutual TLS.
     *
     * @return the certificate, if set
     */
    public Optional<CertificateKey> clientCertificate() {
        return Optional.ofNullable(clientCertificate);
    }

    /**
     * Returns the engine.
     *
     * @return the engine
     */
    public TlsEngine engine() {
        return options.engine();
    }

    /**
     * Returns the ALPN ids offered, most preferred first.
     *
     * @return the ids, empty for no ALPN
     */
    public List<String> alpn() {
        return options.alpn();
    }

    /**
     * Returns these settings offering {@code protocols} by ALPN instead of {@link #alpn()}: the same instance when
     * the lists are equal, else a copy that is made once per list and then returned again for that list. Code that
     * keys connection pools on the settings instance (as {@code net.proxy.core} does) thus keeps sharing
     * connections between users of one derived list.
     *
     * @param protocols ALPN ids, most preferred first, 1 to 255 bytes each, no duplicates; none for no ALPN
     * @return settings with that ALPN list
     * @throws IllegalArgumentException if an id is empty, too long or repeated
     */
    public TlsClientSettings withAlpn(String... protocols) {
        List<String> list = TlsSettingsBuilder.alpnList(protocols);
        if (list.equals(options.alpn())) {
            return this;
        }
        synchronized (this) {
            if (alpnCopies == null) {
                alpnCopies = new HashMap<>(4);
            }
            return alpnCopies.computeIfAbsent(list, this::copyWithAlpn);
        }
    }

    private TlsClientSettings copyWithAlpn(List<String> alpn) {
        TlsOptions o = new TlsOptions(
                options.engine(),
                options.versions(),
                options.ciphers(),
                options.groups(),
                alpn,
                options.handshakeTimeout(),
                options.sessionCacheSize(),
                options.sessionTimeout(),
                options.handshakeCallback());
        return new TlsClientSettings(o, trustRoots, verifyCertificate, verifyHostname, clientCertificate);
    }

    TlsOptions options() {
        return options;
    }
}
