package net.proxy.tls;

/** Thrown (and fails the handshake) when no certificate matches a ClientHello. */
public final class CertificateSelectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which name found no certificate
     */
    public CertificateSelectionException(String message) {
        super(message);
    }
}
