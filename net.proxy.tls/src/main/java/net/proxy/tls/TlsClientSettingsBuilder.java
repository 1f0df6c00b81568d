package net.proxy.tls;

import java.security.cert.X509Certificate;
import java.util.List;

/** Builds {@link TlsClientSettings}; obtained from {@link TlsClientSettings#builder()}. */
public final class TlsClientSettingsBuilder extends TlsSettingsBuilder<TlsClientSettingsBuilder> {
    private List<X509Certificate> trustRoots = List.of();
    private boolean verifyCertificate = true;
    private boolean verifyHostname = true;
    private CertificateKey clientCertificate;

    TlsClientSettingsBuilder() {}

    @Override
    TlsClientSettingsBuilder self() {
        return this;
    }

    /**
     * Trusts these roots instead of the JDK's default trust store.
     *
     * @param roots the trusted certificates, at least one
     * @return this builder
     */
    public TlsClientSettingsBuilder trustRoots(List<X509Certificate> roots) {
        if (roots == null || roots.isEmpty()) {
            throw new IllegalArgumentException("trustRoots: empty (expected: at least one)");
        }
        this.trustRoots = List.copyOf(roots);
        return this;
    }

    /**
     * Verifies the server's chain. Default: {@code true}. {@code false} also skips hostname checks.
     *
     * @param verify whether to verify
     * @return this builder
     */
    public TlsClientSettingsBuilder verifyCertificate(boolean verify) {
        this.verifyCertificate = verify;
        return this;
    }

    /**
     * Checks that the server's certificate names the SNI host (RFC 6125). Default: {@code true}.
     *
     * @param verify whether to check
     * @return this builder
     */
    public TlsClientSettingsBuilder verifyHostname(boolean verify) {
        this.verifyHostname = verify;
        return this;
    }

    /**
     * Presents a client certificate (upstream mutual TLS). Default: none.
     *
     * @param certificate the chain and key
     * @return this builder
     */
    public TlsClientSettingsBuilder clientCertificate(CertificateKey certificate) {
        this.clientCertificate = requireNonNull(certificate, "certificate");
        return this;
    }

    /**
     * Builds the settings.
     *
     * @return the immutable settings
     */
    public TlsClientSettings build() {
        return new TlsClientSettings(options(), trustRoots, verifyCertificate, verifyHostname, clientCertificate);
    }
}
