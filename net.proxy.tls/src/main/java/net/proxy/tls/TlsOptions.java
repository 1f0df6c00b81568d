package net.proxy.tls;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The validated options shared by server and client settings. */
record TlsOptions(
        TlsEngine engine,
        Set<TlsVersion> versions,
        List<String> ciphers,
        List<String> groups,
        List<String> alpn,
        Duration handshakeTimeout,
        int sessionCacheSize,
        Duration sessionTimeout,
        HandshakeCallback handshakeCallback) {

    TlsOptions {
        versions = Set.copyOf(versions);
    }

    /** These options with other ALPN ids. */
    TlsOptions withAlpn(List<String> ids) {
        return new TlsOptions(
                engine,
                versions,
                ciphers,
                groups,
                ids,
                handshakeTimeout,
                sessionCacheSize,
                sessionTimeout,
                handshakeCallback);
    }

    String[] protocolNames() {
        return versions.stream().sorted().map(TlsVersion::jsseName).toArray(String[]::new);
    }
}
