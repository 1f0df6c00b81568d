package net.proxy.tls;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Options shared by {@link TlsServerSettingsBuilder} and {@link TlsClientSettingsBuilder}.
 *
 * @param <B> the concrete builder
 */
public abstract class TlsSettingsBuilder<B extends TlsSettingsBuilder<B>> {
    TlsEngine engine;
    Set<TlsVersion> versions = EnumSet.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
    List<String> ciphers = List.of();
    List<String> groups = List.of();
    List<String> alpn = List.of();
    Duration handshakeTimeout = Duration.ofSeconds(10);
    int sessionCacheSize = 20_480;
    Duration sessionTimeout = Duration.ofMinutes(5);
    HandshakeCallback handshakeCallback;

    TlsSettingsBuilder() {}

    abstract B self();

    /**
     * Chooses the engine. Default: {@link TlsEngine#preferred()} (Conscrypt when available).
     *
     * @param engine the engine
     * @return this builder
     */
    public B engine(TlsEngine engine) {
        this.engine = requireNonNull(engine, "engine");
        return self();
    }

    /**
     * Chooses the engine by name ({@code "jdk"}, {@code "conscrypt"}).
     *
     * @param name the engine name
     * @return this builder
     * @throws TlsEngineUnavailableException if it is not available
     */
    public B engine(String name) {
        return engine(TlsEngine.named(requireNonNull(name, "engine")));
    }

    /**
     * Sets the enabled protocol versions. Default: TLS 1.2 and TLS 1.3.
     *
     * @param versions at least one version
     * @return this builder
     */
    public B versions(TlsVersion... versions) {
        if (versions.length == 0) {
            throw new IllegalArgumentException("versions: [] (expected: at least one of TLS_1_2, TLS_1_3)");
        }
        EnumSet<TlsVersion> set = EnumSet.noneOf(TlsVersion.class);
        for (TlsVersion v : versions) {
            set.add(requireNonNull(v, "versions[]"));
        }
        this.versions = set;
        return self();
    }

    /**
     * Restricts the cipher suites (JSSE names, e.g. {@code TLS_AES_128_GCM_SHA256}, {@code
     * TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}). Default: the engine's secure defaults. A name the
     * engine does not support fails when the acceptor or connector is created.
     *
     * @param ciphers suite names, in preference order
     * @return this builder
     */
    public B ciphers(String... ciphers) {
        this.ciphers = names("ciphers", ciphers);
        return self();
    }

    /**
     * Restricts the key-exchange groups (e.g. {@code X25519}). Default: the engine's. Engines that
     * cannot restrict groups per connection (the JDK on Java 17, Conscrypt's engine API) refuse this
     * when the acceptor or connector is created.
     *
     * @param groups group names, in preference order
     * @return this builder
     */
    public B groups(String... groups) {
        this.groups = names("groups", groups);
        return self();
    }

    /**
     * Sets the ALPN protocol ids, most preferred first (e.g. {@code "h2", "http/1.1"}, or custom
     * ids). Default: none (no ALPN).
     *
     * @param protocols ids of 1 to 255 bytes each, no duplicates
     * @return this builder
     */
    public B alpn(String... protocols) {
        this.alpn = alpnList(protocols);
        return self();
    }

    /** Validates ALPN ids: 1 to 255 bytes each, no duplicates. */
    static List<String> alpnList(String... protocols) {
        List<String> list = names("alpn", protocols);
        for (String id : list) {
            int len = id.getBytes(StandardCharsets.UTF_8).length;
            if (len > 255) {
                throw new IllegalArgumentException("alpn: " + len + " bytes (expected: 1..255)");
            }
        }
        return list;
    }

    /**
     * Sets the handshake timeout. Default: 10 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public B handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = positive("handshakeTimeout", timeout);
        return self();
    }

    /**
     * Sets the session cache size for resumption. Default: 20480 sessions; 0 means the engine's
     * default bound.
     *
     * @param sessions cache entries, {@code >= 0}
     * @return this builder
     */
    public B sessionCacheSize(int sessions) {
        if (sessions < 0) {
            throw new IllegalArgumentException("sessionCacheSize: " + sessions + " (expected: >= 0)");
        }
        this.sessionCacheSize = sessions;
        return self();
    }

    /**
     * Sets how long a session may be resumed. Default: 5 minutes.
     *
     * @param timeout a positive duration of whole seconds or more
     * @return this builder
     */
    public B sessionTimeout(Duration timeout) {
        Duration d = positive("sessionTimeout", timeout);
        if (d.getSeconds() < 1) {
            throw new IllegalArgumentException("sessionTimeout: " + d + " (expected: >= PT1S)");
        }
        this.sessionTimeout = d;
        return self();
    }

    /**
     * Sets the callback that runs after each successful handshake; its value becomes {@link
     * TlsDigest#extension()}. Default: none.
     *
     * @param callback the callback
     * @return this builder
     */
    public B onHandshakeComplete(HandshakeCallback callback) {
        this.handshakeCallback = requireNonNull(callback, "callback");
        return self();
    }

    TlsOptions options() {
        return new TlsOptions(
                engine == null ? TlsEngine.preferred() : engine,
                versions,
                ciphers,
                groups,
                alpn,
                handshakeTimeout,
                sessionCacheSize,
                sessionTimeout,
                handshakeCallback);
    }

    static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name);
        }
        return value;
    }

    static Duration positive(String name, Duration d) {
        requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
        return d;
    }

    private static List<String> names(String what, String... names) {
        Set<String> set = new LinkedHashSet<>();
        for (String n : names) {
            if (n == null || n.isEmpty()) {
                throw new IllegalArgumentException(what + ": empty name (expected: non-empty names)");
            }
            if (!set.add(n)) {
                throw new IllegalArgumentException(what + ": duplicate " + n + " (expected: distinct names)");
            }
        }
        return List.copyOf(new ArrayList<>(set));
    }
}
