package net.proxy.tls.internal;

import java.security.Provider;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import net.proxy.tls.TlsEngineUnavailableException;
import net.proxy.tls.spi.TlsEngineProvider;
import org.conscrypt.Conscrypt;

/**
 * Conscrypt (BoringSSL through JNI), used when the {@code org.conscrypt} module is in the module
 * graph and its native library loads.
 */
/*
 * META-INF/services lists both providers as well, so they are also found on the class path.
 *
 * How the optional dependency stays optional: net.proxy.tls `requires static org.conscrypt`, so the
 * module may be absent at run time. This class is always instantiable (ServiceLoader creates it),
 * but nothing here touches a Conscrypt type until isAvailable() has checked that our module reads
 * org.conscrypt: HotSpot resolves the symbolic references to org.conscrypt.* lazily, on the first
 * execution of the instruction that uses them, so an unexecuted reference never fails. The
 * alternative, a separate tiny module holding only this provider, would add an artifact that
 * every user would have to remember next to Conscrypt itself.
 */
public final class ConscryptEngineProvider implements TlsEngineProvider {

    private static final String MODULE = "org.conscrypt";

    private volatile Availability availability;

    /** Creates the provider (used by {@link java.util.ServiceLoader}); loads nothing. */
    public ConscryptEngineProvider() {}

    @Override
    public String name() {
        return "conscrypt";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isAvailable() {
        return availability().provider != null;
    }

    @Override
    public Optional<String> unavailabilityReason() {
        return Optional.ofNullable(availability().reason);
    }

    @Override
    public Provider jcaProvider() {
        Provider provider = availability().provider;
        if (provider == null) {
            throw new TlsEngineUnavailableException(name(), availability().reason);
        }
        return provider;
    }

    /**
     * {@inheritDoc}
     *
     * <p>BoringSSL keeps session times in whole seconds, so the comparison is made at that
     * granularity: a session resumed within the same wall-clock second it was created in is reported
     * as not resumed.
     */
    @Override
    public boolean isResumed(SSLSession session, long handshakeStartMillis) {
        return session.getCreationTime() < handshakeStartMillis / 1000 * 1000;
    }

    private Availability availability() {
        Availability a = availability;
        if (a == null) {
            a = probe();
            availability = a;
        }
        return a;
    }

    private static Availability probe() {
        Module self = ConscryptEngineProvider.class.getModule();
        if (self.isNamed()) {
            ModuleLayer layer = self.getLayer();
            boolean present =
                    layer != null && layer.findModule(MODULE).map(self::canRead).orElse(false);
            if (!present) {
                return new Availability(null, "module " + MODULE + " is not in the module graph");
            }
        }
        // On the class path (e.g. a shaded jar) there is no module graph to ask: Native's first use of
        // a Conscrypt class either links or throws NoClassDefFoundError, which probe() reports.
        return Native.probe();
    }

    private record Availability(Provider provider, String reason) {}

    /** The only code that touches Conscrypt types; loaded after the module check. */
    private static final class Native {
        static Availability probe() {
            try {
                Conscrypt.checkAvailability();
                return new Availability(Conscrypt.newProvider(), null);
            } catch (LinkageError | RuntimeException e) {
                return new Availability(null, "native library did not load: " + e);
            }
        }
    }
}
