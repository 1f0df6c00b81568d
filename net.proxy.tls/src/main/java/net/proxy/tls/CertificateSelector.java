package net.proxy.tls;

import java.util.concurrent.CompletionStage;

/**
 * Picks a server certificate during the handshake, possibly asynchronously (Pingora's {@code
 * certificate_callback}). It runs after the ClientHello is read and before the engine is created;
 * completing with {@code null} falls back to the static SNI table of {@link TlsServerSettings}.
 */
@FunctionalInterface
public interface CertificateSelector {

    /**
     * Selects the certificate for a handshake.
     *
     * @param hello the SNI name and client address
     * @return the certificate to present, or a stage completing with {@code null} for the default
     *     selection; a failed stage aborts the handshake
     */
    CompletionStage<CertificateKey> select(ClientHello hello);
}
