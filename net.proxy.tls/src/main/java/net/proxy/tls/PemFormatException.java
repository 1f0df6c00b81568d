package net.proxy.tls;

/** Thrown when PEM or PKCS#12 input does not hold the certificates or key it should. */
public final class PemFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and where
     * @param cause the underlying parse failure, or {@code null}
     */
    public PemFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
