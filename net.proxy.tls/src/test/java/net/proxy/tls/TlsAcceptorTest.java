package net.proxy.tls;

import static net.proxy.tls.TestCerts.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Server-side handshakes against openssl s_client and curl, on both engines. */
@ExtendWith(LeakDetection.class)
class TlsAcceptorTest {
    private static TlsServerSettingsBuilder base(String engine) {
        return TlsServerSettings.builder()
                .engine(engine)
                .certificate(TestCerts.serverEc())
                .certificate(TestCerts.serverRsa());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void selectsCertificateBySniExactWildcardAndDefault(String engine) throws Exception {
        try (TlsTestServer server = new TlsTestServer(base(engine).build())) {
            Tools.Result rsa = Tools.sClient(server.port(), "-servername", "rsa.test");
            assertTrue(rsa.output().contains("subject=CN = rsa.test"), rsa.output());
            assertEquals("rsa.test", server.nextDigest().serverName());
            Tools.Result wild = Tools.sClient(server.port(), "-servername", "x.wild.test");
            assertTrue(wild.output().contains("subject=CN = localhost"), wild.output());
            assertEquals("x.wild.test", server.nextDigest().serverName());
            Tools.Result none = Tools.sClient(server.port(), "-noservername");
            assertTrue(none.output().contains("subject=CN = localhost"), none.output());
            assertNull(server.nextDigest().serverName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void negotiatesTls13AndAlpnAndReportsTheEngine(String engine) throws Exception {
        try (TlsTestServer server = new TlsTestServer(
                base(engine).alpn("h2", "http/1.1", "x-custom").build())) {
            Tools.Result r = Tools.sClient(server.port(), "-servername", "localhost", "-alpn", "x-custom");
            assertTrue(r.output().contains("ALPN protocol: x-custom"), r.output());
            assertTrue(r.output().contains("TLSv1.3"), r.output());
            TlsDigest d = server.nextDigest();
            assertEquals(engine, d.engine());
            assertEquals("TLSv1.3", d.protocol());
            assertEquals("x-custom", d.applicationProtocol());
            assertTrue(d.cipherSuite().startsWith("TLS_"), d.cipherSuite());
            assertTrue(d.peerCertificates().isEmpty());
            assertFalse(d.handshakeDuration().isNegative());
            Tools.Result both = Tools.sClient(server.port(), "-alpn", "x-custom,http/1.1");
            assertTrue(both.output().contains("ALPN protocol: http/1.1"), "server preference wins: " + both.output());
            assertEquals("http/1.1", server.nextDigest().applicationProtocol());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void curlSeesTheHandshakeCallbackValue(String engine) throws Exception {
        TlsServerSettings settings = base(engine)
                .alpn("http/1.1")
                .onHandshakeComplete(d -> "tenant-" + d.serverName())
                .build();
        try (TlsTestServer server = new TlsTestServer(settings)) {
            Tools.Result r = Tools.run(
                    List.of(
                            "curl",
                            "-sS",
                            "--http1.1",
                            "--cacert",
                            file("ca.pem").toString(),
                            "--resolve",
                            "ec.test:" + server.port() + ":127.0.0.1",
                            "https://ec.test:" + server.port() + "/"),
                    "",
                    TlsTestServer.timeout());
            assertEquals(0, r.exit(), r.output());
            assertTrue(
                    r.output()
                            .contains("engine=" + engine
                                    + " protocol=TLSv1.3 sni=ec.test alpn=http/1.1 ext=tenant-ec.test"),
                    r.output());
            assertEquals(
                    "tenant-ec.test",
                    server.nextDigest().extension(String.class).orElseThrow());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void refusesTls10And11(String engine) throws Exception {
        try (TlsTestServer server = new TlsTestServer(base(engine).build())) {
            for (String version : List.of("-tls1", "-tls1_1")) {
                Tools.Result r = Tools.sClient(server.port(), version, "-cipher", "DEFAULT@SECLEVEL=0");
                assertNotEquals(0, r.exit(), r.output());
                server.nextFailure();
            }
            assertTrue(server.digests.isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void requiredClientAuthAcceptsTrustedAndRefusesMissingOrForeign(String engine) throws Exception {
        TlsServerSettings settings = base(engine)
                .clientAuth(ClientAuth.REQUIRED)
                .trustedClientRoots(TestCerts.ca())
                .build();
        try (TlsTestServer server = new TlsTestServer(settings)) {
            Tools.Result ok = Tools.sClient(
                    server.port(),
                    "-cert",
                    file("client.pem").toString(),
                    "-key",
                    file("client.key").toString());
            assertTrue(ok.output().contains("HTTP/1.1 200 OK"), ok.output());
            TlsDigest d = server.nextDigest();
            CertificateInfo peer = d.peerCertificate().orElseThrow();
            assertEquals("CN=client-one", peer.subject());
            assertEquals(List.of("DNS:client.test"), peer.subjectAltNames());
            assertEquals(CertificateInfo.of(TestCerts.client().leaf()).sha256Fingerprint(), peer.sha256Fingerprint());

            Tools.sClient(server.port());
            server.nextFailure();
            Tools.sClient(
                    server.port(),
                    "-cert",
                    file("rogue-client.pem").toString(),
                    "-key",
                    file("rogue-client.key").toString());
            server.nextFailure();
            assertTrue(server.digests.isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void optionalClientAuthAcceptsClientsWithoutCertificate(String engine) throws Exception {
        TlsServerSettings settings = base(engine)
                .clientAuth(ClientAuth.OPTIONAL)
                .trustedClientRoots(TestCerts.ca())
                .build();
        try (TlsTestServer server = new TlsTestServer(settings)) {
            Tools.sClient(server.port());
            assertTrue(server.nextDigest().peerCertificates().isEmpty());
            Tools.sClient(
                    server.port(),
                    "-cert",
                    file("client.pem").toString(),
                    "-key",
                    file("client.key").toString());
            assertEquals(
                    "CN=client-one",
                    server.nextDigest().peerCertificate().orElseThrow().subject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void resumesTls12Sessions(String engine, @TempDir Path tmp) throws Exception {
        try (TlsTestServer server = new TlsTestServer(base(engine).build())) {
            Path session = tmp.resolve("session.pem");
            Tools.Result first = Tools.sClient(server.port(), "-tls1_2", "-sess_out", session.toString());
            assertTrue(Files.size(session) > 0, first.output());
            assertFalse(server.nextDigest().resumed());
            awaitNextSecond();
            Tools.Result second = Tools.sClient(server.port(), "-tls1_2", "-sess_in", session.toString());
            assertTrue(second.output().contains("Reused, TLSv1.2"), second.output());
            assertTrue(server.nextDigest().resumed());
        }
    }

    /**
     * Conscrypt reports session times in whole seconds (see ConscryptEngineProvider#isResumed): the
     * event awaited here is the wall clock entering the next second.
     */
    private static void awaitNextSecond() {
        long second = System.currentTimeMillis() / 1000;
        while (System.currentTimeMillis() / 1000 == second) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void replacesCertificatesForNewHandshakes(String engine) throws Exception {
        try (TlsTestServer server = new TlsTestServer(base(engine).build())) {
            Tools.sClient(server.port(), "-servername", "ec.test");
            String before = server.nextDigest().serverName();
            assertEquals("ec.test", before);
            String oldSerial =
                    TestCerts.serverEc().leaf().getSerialNumber().toString(16).toUpperCase();
            String newSerial =
                    TestCerts.server2Ec().leaf().getSerialNumber().toString(16).toUpperCase();
            server.acceptor.update(TlsServerSettings.builder()
                    .engine(engine)
                    .certificate(TestCerts.server2Ec())
                    .build());
            Tools.Result r = Tools.run(
                    List.of(
                            "sh",
                            "-c",
                            "openssl s_client -connect 127.0.0.1:" + server.port()
                                    + " -servername ec.test </dev/null 2>/dev/null | openssl x509 -noout -serial"),
                    "",
                    TlsTestServer.timeout());
            assertTrue(r.output().contains(newSerial) && !r.output().contains(oldSerial), r.output());
            server.nextDigest();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void certificateSelectorPicksDynamicallyAndFallsBack(String engine) throws Exception {
        TlsServerSettings settings = TlsServerSettings.builder()
                .engine(engine)
                .certificate(TestCerts.serverEc())
                .certificateSelector(hello -> CompletableFuture.supplyAsync(
                        () -> "dynamic.test".equals(hello.serverName()) ? TestCerts.serverRsa() : null))
                .build();
        try (TlsTestServer server = new TlsTestServer(settings)) {
            Tools.Result dyn = Tools.sClient(server.port(), "-servername", "dynamic.test");
            assertTrue(dyn.output().contains("subject=CN = rsa.test"), dyn.output());
            server.nextDigest();
            Tools.Result other = Tools.sClient(server.port(), "-servername", "other.test");
            assertTrue(other.output().contains("subject=CN = localhost"), other.output());
            server.nextDigest();
        }
    }
}
