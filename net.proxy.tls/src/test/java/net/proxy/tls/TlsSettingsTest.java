package net.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class TlsSettingsTest {
    @Test
    void withAlpnMakesOneCopyPerListAndKeepsTheRest() {
        TlsClientSettings s = TlsClientSettings.builder().verifyHostname(false).build();
        TlsClientSettings h2 = s.withAlpn("h2");
        assertEquals(java.util.List.of("h2"), h2.alpn());
        assertSame(h2, s.withAlpn("h2"), "cached: connection pools key on the instance");
        assertSame(s, s.withAlpn(), "the same list: the same settings");
        assertEquals(false, h2.verifyHostname());
        assertEquals(
                java.util.List.of("h2", "http/1.1"),
                s.withAlpn("h2", "http/1.1").alpn());
        assertThrows(IllegalArgumentException.class, () -> s.withAlpn("h2", "h2"));
        TlsConnector c = TlsConnector.of(s);
        assertSame(c.withAlpn("h2"), c.withAlpn("h2"));
        assertSame(h2, c.withAlpn("h2").settings());
        assertSame(c, c.withAlpn());
    }

    @Test
    void bothEnginesAreAvailableAndConscryptIsPreferred() {
        assertEquals(TlsEngine.CONSCRYPT, TlsEngine.preferred().name());
        assertEquals(TlsEngine.JDK, TlsEngine.named("JDK").name());
        assertEquals(2, TlsEngine.available().size());
    }

    @Test
    void unknownEngineNamesTheKnownOnes() {
        TlsEngineUnavailableException e =
                assertThrows(TlsEngineUnavailableException.class, () -> TlsEngine.named("openssl"));
        assertEquals(
                "TLS engine openssl is unavailable: no provider with that name (known: conscrypt, jdk)",
                e.getMessage());
    }

    @Test
    void defaultsAreTls12And13WithoutAlpn() {
        TlsServerSettings s =
                TlsServerSettings.builder().certificate(TestCerts.serverEc()).build();
        assertEquals(Set.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), s.versions());
        assertTrue(s.alpn().isEmpty());
        assertEquals(Duration.ofSeconds(10), s.handshakeTimeout());
        assertEquals(ClientAuth.NONE, s.clientAuth());
    }

    @Test
    void selectsExactThenWildcardThenDefault() {
        CertificateKey ec = TestCerts.serverEc();
        CertificateKey rsa = TestCerts.serverRsa();
        TlsServerSettings s =
                TlsServerSettings.builder().certificate(ec).certificate(rsa).build();
        assertSame(rsa, s.select("RSA.test").orElseThrow());
        assertSame(ec, s.select("ec.test").orElseThrow());
        assertSame(ec, s.select("a.wild.test").orElseThrow());
        assertSame(ec, s.select("a.b.wild.test").orElseThrow(), "default: wildcard covers one label");
        assertSame(ec, s.select(null).orElseThrow());
        TlsServerSettings rsaDefault = TlsServerSettings.builder()
                .certificate(ec)
                .defaultCertificate(rsa)
                .build();
        assertSame(rsa, rsaDefault.select("a.b.wild.test").orElseThrow());
        assertSame(ec, rsaDefault.select("x.wild.test").orElseThrow());
    }

    @Test
    void explicitNamesOverrideCertificateNames() {
        CertificateKey ec = TestCerts.serverEc();
        CertificateKey rsa = TestCerts.serverRsa();
        TlsServerSettings s = TlsServerSettings.builder()
                .certificate(ec)
                .certificate("ec.test", rsa)
                .build();
        assertSame(rsa, s.select("ec.test").orElseThrow());
        assertEquals(
                "serverName: a.*.test (expected: a host name or *.domain)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TlsServerSettings.builder().certificate("a.*.test", rsa))
                        .getMessage());
    }

    @Test
    void validatesEagerlyWithOneMessageFormat() {
        assertEquals(
                "certificates: none (expected: a certificate or a certificateSelector)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TlsServerSettings.builder().build())
                        .getMessage());
        assertEquals(
                "trustedClientRoots: none (expected: at least one when clientAuth is REQUIRED)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TlsServerSettings.builder()
                                        .certificate(TestCerts.serverEc())
                                        .clientAuth(ClientAuth.REQUIRED)
                                        .build())
                        .getMessage());
        assertEquals(
                "handshakeTimeout: PT0S (expected: > 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TlsClientSettings.builder().handshakeTimeout(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "alpn: duplicate h2 (expected: distinct names)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TlsClientSettings.builder().alpn("h2", "h2"))
                        .getMessage());
        assertEquals(
                "alpn: 256 bytes (expected: 1..255)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TlsClientSettings.builder().alpn("x".repeat(256)))
                        .getMessage());
        assertEquals(
                "sessionCacheSize: -1 (expected: >= 0)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TlsClientSettings.builder().sessionCacheSize(-1))
                        .getMessage());
    }

    @Test
    void engineRefusesUnknownCiphersAndGroupsWhenTheContextIsBuilt() {
        for (TlsEngine engine : TlsEngine.available()) {
            TlsServerSettings ciphers = TlsServerSettings.builder()
                    .engine(engine)
                    .certificate(TestCerts.serverEc())
                    .ciphers("TLS_NOPE")
                    .build();
            assertEquals(
                    "ciphers: [TLS_NOPE] (expected: suites supported by engine " + engine.name() + ")",
                    assertThrows(IllegalArgumentException.class, () -> TlsAcceptor.of(ciphers))
                            .getMessage());
            TlsClientSettings groups =
                    TlsClientSettings.builder().engine(engine).groups("X25519").build();
            assertTrue(assertThrows(IllegalArgumentException.class, () -> TlsConnector.of(groups))
                    .getMessage()
                    .startsWith("groups: [X25519] (not supported by engine " + engine.name()));
        }
    }
}
