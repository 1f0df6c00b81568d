package net.proxy.tls;

/** Thrown when settings name a TLS engine that is not installed or whose native code did not load. */
public final class TlsEngineUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param engine the requested engine name
     * @param reason why it is unavailable
     */
    public TlsEngineUnavailableException(String engine, String reason) {
        super("TLS engine " + engine + " is unavailable: " + reason);
    }
}
