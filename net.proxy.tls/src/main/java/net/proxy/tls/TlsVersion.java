package net.proxy.tls;

/**
 * The TLS versions net.proxy speaks. Older versions (SSL 3.0, TLS 1.0, TLS 1.1) are deliberately
 * absent: they cannot be enabled, so handshakes offering only them are refused.
 */
public enum TlsVersion {
    /** TLS 1.2 (RFC 5246). */
    TLS_1_2("TLSv1.2"),
    /** TLS 1.3 (RFC 8446). */
    TLS_1_3("TLSv1.3");

    private final String jsseName;

    TlsVersion(String jsseName) {
        this.jsseName = jsseName;
    }

    /**
     * Returns the JSSE protocol name, e.g. {@code "TLSv1.3"}.
     *
     * @return the name used by {@code SSLEngine.setEnabledProtocols}
     */
    public String jsseName() {
        return jsseName;
    }
}
