package net.proxy.tls;

import java.security.Provider;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import net.proxy.tls.spi.TlsEngineProvider;

/**
 * A TLS engine: the implementation that runs handshakes and record encryption. {@link #preferred()}
 * is Conscrypt (BoringSSL) when it is available, the JDK otherwise.
 *
 * @param provider the provider behind this engine
 */
public record TlsEngine(TlsEngineProvider provider) {

    /** The name of the JDK engine ({@code SunJSSE}), always available. */
    public static final String JDK = "jdk";

    /** The name of the Conscrypt (BoringSSL) engine. */
    public static final String CONSCRYPT = "conscrypt";

    /**
     * Wraps a provider.
     *
     * @param provider the provider, not {@code null}
     */
    public TlsEngine {
        if (provider == null) {
            throw new NullPointerException("provider");
        }
    }

    /**
     * Returns the engine's name, e.g. {@code "jdk"}.
     *
     * @return the name
     */
    public String name() {
        return provider.name();
    }

    /**
     * Returns the JCA provider to create {@code SSLContext}s with.
     *
     * @return the provider, or {@code null} for the JDK default
     */
    public Provider jcaProvider() {
        return provider.jcaProvider();
    }

    /**
     * Lists the engines that are available in this JVM, highest priority first.
     *
     * @return the available engines (never empty: the JDK engine is always there)
     */
    public static List<TlsEngine> available() {
        return Registry.AVAILABLE;
    }

    /**
     * Returns the available engine with the highest priority.
     *
     * @return Conscrypt if available, else the JDK engine
     */
    public static TlsEngine preferred() {
        return Registry.AVAILABLE.get(0);
    }

    /**
     * Returns the engine with this name.
     *
     * @param name the engine name, case-insensitive ({@code "jdk"}, {@code "conscrypt"}, or a
     *     third-party provider's)
     * @return the engine
     * @throws TlsEngineUnavailableException if no such engine is available
     */
    public static TlsEngine named(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        for (TlsEngineProvider p : Registry.ALL) {
            if (p.name().equals(key)) {
                if (!p.isAvailable()) {
                    throw new TlsEngineUnavailableException(
                            key, p.unavailabilityReason().orElse("unknown"));
                }
                return new TlsEngine(p);
            }
        }
        throw new TlsEngineUnavailableException(
                key,
                "no provider with that name (known: "
                        + Registry.ALL.stream().map(TlsEngineProvider::name).collect(Collectors.joining(", "))
                        + ")");
    }

    private static final class Registry {
        static final List<TlsEngineProvider> ALL =
                ServiceLoader.load(TlsEngineProvider.class, TlsEngine.class.getClassLoader()).stream()
                        .map(ServiceLoader.Provider::get)
                        .sorted(Comparator.comparingInt(TlsEngineProvider::priority)
                                .reversed())
                        .collect(Collectors.toUnmodifiableList());
        static final List<TlsEngine> AVAILABLE = ALL.stream()
                .filter(TlsEngineProvider::isAvailable)
                .map(TlsEngine::new)
                .collect(Collectors.toUnmodifiableList());
    }
}
