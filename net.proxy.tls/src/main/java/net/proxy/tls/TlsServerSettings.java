package net.proxy.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable server-side TLS settings: certificates selected by SNI, protocol options and client
 * authentication. Turn them into a running {@link TlsAcceptor} with {@link TlsAcceptor#of}.
 *
 * <p>Defaults: TLS 1.2 and 1.3, the engine's cipher suites and groups, no ALPN, no client
 * authentication, a 10 s handshake timeout, a 20480-entry session cache with 5 min lifetime, the
 * preferred engine ({@link TlsEngine#preferred()}).
 */
public final class TlsServerSettings {
    private final TlsOptions options;
    private final Map<String, CertificateKey> sni;
    private final CertificateKey defaultCertificate;
    private final CertificateSelector selector;
    private final ClientAuth clientAuth;
    private final List<X509Certificate> clientRoots;

    TlsServerSettings(
            TlsOptions options,
            List<CertificateKey> certificates,
            Map<String, CertificateKey> named,
            CertificateKey defaultCertificate,
            CertificateSelector selector,
            ClientAuth clientAuth,
            List<X509Certificate> clientRoots) {
        this.options = options;
        Map<String, CertificateKey> table = new LinkedHashMap<>();
        for (CertificateKey c : certificates) {
            for (String name : c.dnsNames()) {
                table.putIfAbsent(name, c);
            }
        }
        table.putAll(named);
        this.sni = Map.copyOf(table);
        if (defaultCertificate != null) {
            this.defaultCertificate = defaultCertificate;
        } else if (!certificates.isEmpty()) {
            this.defaultCertificate = certificates.get(0);
        } else {
            this.defaultCertificate =
                    named.isEmpty() ? null : named.values().iterator().next();
        }
        this.selector = selector;
        this.clientAuth = clientAuth;
        this.clientRoots = clientRoots;
    }

    private TlsServerSettings(TlsServerSettings from, TlsOptions options) {
        this.options = options;
        this.sni = from.sni;
        this.defaultCertificate = from.defaultCertificate;
        this.selector = from.selector;
        this.clientAuth = from.clientAuth;
        this.clientRoots = from.clientRoots;
    }

    /**
     * Copies these settings with other ALPN protocol ids (e.g. to offer {@code h2} and {@code http/1.1}).
     *
     * @param protocols ids of 1 to 255 bytes each, most preferred first, no duplicates; none for no ALPN
     * @return new settings, equal to these but for ALPN
     * @throws IllegalArgumentException if an id is empty, too long or repeated
     */
    public TlsServerSettings withAlpn(String... protocols) {
        return new TlsServerSettings(this, options.withAlpn(TlsSettingsBuilder.alpnList(protocols)));
    }

    /**
     * Starts building settings.
     *
     * @return a new builder
     */
    public static TlsServerSettingsBuilder builder() {
        return new TlsServerSettingsBuilder();
    }

    /**
     * Returns the SNI table: lower-case host names and {@code *.} wildcards to certificates.
     *
     * @return the table
     */
    public Map<String, CertificateKey> sniTable() {
        return sni;
    }

    /**
     * Returns the certificate for clients without a matching SNI name.
     *
     * @return the default, empty if only a selector provides certificates
     */
    public Optional<CertificateKey> defaultCertificate() {
        return Optional.ofNullable(defaultCertificate);
    }

    /**
     * Returns the dynamic certificate selector.
     *
     * @return the selector, if set
     */
    public Optional<CertificateSelector> certificateSelector() {
        return Optional.ofNullable(selector);
    }

    /**
     * Returns the client authentication mode.
     *
     * @return the mode
     */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /**
     * Returns the roots client certificates must chain to.
     *
     * @return the roots, empty when client authentication is off
     */
    public List<X509Certificate> trustedClientRoots() {
        return clientRoots;
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
     * Returns the enabled versions.
     *
     * @return the versions
     */
    public Set<TlsVersion> versions() {
        return options.versions();
    }

    /**
     * Returns the ALPN ids, most preferred first.
     *
     * @return the ids, empty for no ALPN
     */
    public List<String> alpn() {
        return options.alpn();
    }

    /**
     * Returns the handshake timeout.
     *
     * @return the timeout
     */
    public Duration handshakeTimeout() {
        return options.handshakeTimeout();
    }

    TlsOptions options() {
        return options;
    }

    /**
     * Finds the certificate for an SNI name: an exact match, else the wildcard for its parent domain
     * ({@code *.example.com} for {@code a.example.com}, not for {@code a.b.example.com}), else the
     * default.
     *
     * @param serverName the SNI name or {@code null}
     * @return the certificate, or empty if there is no default
     */
    public Optional<CertificateKey> select(String serverName) {
        if (serverName != null) {
            String name = serverName.toLowerCase(java.util.Locale.ROOT);
            CertificateKey exact = sni.get(name);
            if (exact != null) {
                return Optional.of(exact);
            }
            int dot = name.indexOf('.');
            if (dot > 0) {
                CertificateKey wildcard = sni.get("*" + name.substring(dot));
                if (wildcard != null) {
                    return Optional.of(wildcard);
                }
            }
        }
        return Optional.ofNullable(defaultCertificate);
    }
}
