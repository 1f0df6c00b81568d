package net.proxy.tls;

/** Whether a server asks for client certificates (mutual TLS). */
public enum ClientAuth {
    /** No certificate is requested (the default). */
    NONE,
    /** A certificate is requested; a client without one is accepted, a wrong one is refused. */
    OPTIONAL,
    /** A certificate chaining to the trusted client roots is required. */
    REQUIRED
}
