package net.proxy.tls.internal;

import java.security.Provider;
import net.proxy.tls.spi.TlsEngineProvider;

/**
 * The JDK's own TLS implementation ({@code SunJSSE}), always available. Key-exchange groups cannot
 * be restricted per engine on Java 17 (only JVM-wide with {@code -Djdk.tls.namedGroups}).
 */
public final class JdkEngineProvider implements TlsEngineProvider {

    /** Creates the provider (used by {@link java.util.ServiceLoader}). */
    public JdkEngineProvider() {}

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Provider jcaProvider() {
        return null;
    }
}
