package net.proxy.tls;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds {@link TlsServerSettings}; obtained from {@link TlsServerSettings#builder()}. */
public final class TlsServerSettingsBuilder extends TlsSettingsBuilder<TlsServerSettingsBuilder> {
    private final List<CertificateKey> certificates = new ArrayList<>();
    private final Map<String, CertificateKey> named = new LinkedHashMap<>();
    private CertificateKey defaultCertificate;
    private CertificateSelector selector;
    private ClientAuth clientAuth = ClientAuth.NONE;
    private List<X509Certificate> clientRoots = List.of();

    TlsServerSettingsBuilder() {}

    @Override
    TlsServerSettingsBuilder self() {
        return this;
    }

    /**
     * Adds a certificate, selected by SNI for every DNS name of its leaf (subject alternative names,
     * exact or {@code *.} wildcard). The first certificate added is the default unless {@link
     * #defaultCertificate(CertificateKey)} says otherwise.
     *
     * @param certificate the chain and key
     * @return this builder
     */
    public TlsServerSettingsBuilder certificate(CertificateKey certificate) {
        certificates.add(requireNonNull(certificate, "certificate"));
        return this;
    }

    /**
     * Maps one SNI name (exact, or a wildcard such as {@code *.example.com} that matches one label)
     * to a certificate, overriding the names taken from certificates.
     *
     * @param serverName the host name or wildcard
     * @param certificate the chain and key
     * @return this builder
     */
    public TlsServerSettingsBuilder certificate(String serverName, CertificateKey certificate) {
        requireNonNull(serverName, "serverName");
        requireNonNull(certificate, "certificate");
        String name = serverName.toLowerCase(Locale.ROOT);
        if (name.isEmpty() || (name.contains("*") && !(name.startsWith("*.") && name.indexOf('*', 1) < 0))) {
            throw new IllegalArgumentException("serverName: " + serverName + " (expected: a host name or *.domain)");
        }
        named.put(name, certificate);
        return this;
    }

    /**
     * Sets the certificate used when SNI is absent or matches nothing. Default: the first added.
     *
     * @param certificate the chain and key
     * @return this builder
     */
    public TlsServerSettingsBuilder defaultCertificate(CertificateKey certificate) {
        this.defaultCertificate = requireNonNull(certificate, "certificate");
        return this;
    }

    /**
     * Sets a callback that picks the certificate per handshake before the SNI table is consulted.
     * Default: none.
     *
     * @param selector the selector
     * @return this builder
     */
    public TlsServerSettingsBuilder certificateSelector(CertificateSelector selector) {
        this.selector = requireNonNull(selector, "selector");
        return this;
    }

    /**
     * Requests client certificates. Default: {@link ClientAuth#NONE}. Anything else needs {@link
     * #trustedClientRoots(List)}.
     *
     * @param clientAuth the mode
     * @return this builder
     */
    public TlsServerSettingsBuilder clientAuth(ClientAuth clientAuth) {
        this.clientAuth = requireNonNull(clientAuth, "clientAuth");
        return this;
    }

    /**
     * Sets the certificate authorities client certificates must chain to.
     *
     * @param roots the trusted certificates, at least one
     * @return this builder
     */
    public TlsServerSettingsBuilder trustedClientRoots(List<X509Certificate> roots) {
        if (roots == null || roots.isEmpty()) {
            throw new IllegalArgumentException("trustedClientRoots: empty (expected: at least one)");
        }
        this.clientRoots = List.copyOf(roots);
        return this;
    }

    /**
     * Validates and builds the settings.
     *
     * @return the immutable settings
     * @throws IllegalArgumentException if no certificate source is set, or client authentication has
     *     no trusted roots
     */
    public TlsServerSettings build() {
        if (certificates.isEmpty() && named.isEmpty() && defaultCertificate == null && selector == null) {
            throw new IllegalArgumentException("certificates: none (expected: a certificate or a certificateSelector)");
        }
        if (clientAuth != ClientAuth.NONE && clientRoots.isEmpty()) {
            throw new IllegalArgumentException(
                    "trustedClientRoots: none (expected: at least one when clientAuth is " + clientAuth + ")");
        }
        return new TlsServerSettings(
                options(), certificates, named, defaultCertificate, selector, clientAuth, clientRoots);
    }
}
