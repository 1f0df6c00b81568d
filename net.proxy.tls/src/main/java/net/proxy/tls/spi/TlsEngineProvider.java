package net.proxy.tls.spi;

import java.security.Provider;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * A source of TLS engines, found with {@link java.util.ServiceLoader}. Implementations must be cheap
 * to construct and must not touch optional dependencies before {@link #isAvailable()} said they are
 * present.
 */
public interface TlsEngineProvider {

    /**
     * Returns the short, lower-case name of this engine, e.g. {@code "jdk"} or {@code "conscrypt"}; it
     * is what {@code TlsDigest.engine()} reports.
     *
     * @return the engine name
     */
    String name();

    /**
     * Returns the preference among available engines: the highest wins when settings do not name one.
     *
     * @return the priority (the JDK engine has 0, Conscrypt 100)
     */
    int priority();

    /**
     * Tells whether this engine can be used in this JVM (its classes and native code load).
     *
     * @return {@code true} if {@link #jcaProvider()} may be called
     */
    boolean isAvailable();

    /**
     * Explains why {@link #isAvailable()} is {@code false}.
     *
     * @return the reason, or empty when available
     */
    default Optional<String> unavailabilityReason() {
        return Optional.empty();
    }

    /**
     * Returns the JCA provider whose {@code SSLContext} creates this engine's {@link SSLEngine}s.
     *
     * @return the provider, or {@code null} for the JDK's default ({@code SunJSSE})
     */
    Provider jcaProvider();

    /**
     * Restricts the key-exchange groups an engine offers or accepts.
     *
     * @param engine the engine, before its handshake starts
     * @param groups group names such as {@code X25519}, {@code P-256}
     * @return {@code true} if applied, {@code false} if this engine cannot restrict groups per engine
     */
    default boolean applyGroups(SSLEngine engine, List<String> groups) {
        return false;
    }

    /**
     * Tells whether a completed handshake resumed an earlier session. The default compares the
     * session's creation time with the handshake start: a resumed session keeps its original one.
     *
     * @param session the session after the handshake
     * @param handshakeStartMillis wall-clock millis when the handshake started
     * @return {@code true} if the session was resumed
     */
    default boolean isResumed(SSLSession session, long handshakeStartMillis) {
        return session.getCreationTime() < handshakeStartMillis - 1;
    }
}
