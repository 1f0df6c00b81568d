package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.proxy.l4.StreamDigest;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import net.proxy.tls.CertificateInfo;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.ClientAuth;
import net.proxy.tls.Pem;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS downstream (with client certificates) and HTTPS upstream, with openssl-made certificates and curl. */
@ExtendWith(LeakDetection.class)
class TlsProxyTest {
    @TempDir
    static Path dir;

    static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    /** Makes a self-signed ECDSA P-256 certificate for two days with openssl: {@code subject}, {@code sans}. */
    static void selfSigned(String subject, String sans, Path key, Path pem) throws IOException, InterruptedException {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                subject,
                "-addext",
                "subjectAltName=" + sans,
                "-keyout",
                key.toString(),
                "-out",
                pem.toString());
    }

    static boolean hasOpenssl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @BeforeAll
    static void certificates() throws Exception {
        Peers.assume(hasOpenssl(), "openssl");
        selfSigned("/CN=localhost", "DNS:localhost,IP:127.0.0.1", dir.resolve("server.key"), dir.resolve("server.pem"));
        selfSigned(
                "/CN=alice/O=net.proxy tests",
                "DNS:alice.clients.test",
                dir.resolve("client.key"),
                dir.resolve("client.pem"));
    }

    static CertificateKey serverKey() {
        return CertificateKey.fromPem(dir.resolve("server.pem"), dir.resolve("server.key"));
    }

    /** An HTTPS "origin" built on the engine itself: answers every request with its client certificate. */
    static ProxyHttp<Void> certInfo() {
        return ProxyFixture.answering(session -> {
            StreamDigest d = session.digest();
            return d.tls() == null
                    ? "plain"
                    : d.tls().peerCertificates().isEmpty()
                            ? "no client cert"
                            : describe(d.tls().peerCertificates().get(0));
        });
    }

    static String describe(CertificateInfo c) {
        return c.subject() + " " + c.subjectAltNames();
    }

    @Test
    void httpsWithRequiredClientCertificateShowsItsSubject() throws Exception {
        TlsServerSettings tls = TlsServerSettings.builder()
                .certificate(serverKey())
                .clientAuth(ClientAuth.REQUIRED)
                .trustedClientRoots(Pem.certificates(dir.resolve("client.pem")))
                .build();
        try (ProxyFixture f = new ProxyFixture(certInfo(), b -> b.tls(tls))) {
            String url = "https://localhost:" + f.address.getPort() + "/";
            String resolve = "localhost:" + f.address.getPort() + ":127.0.0.1";
            ProxyFixture.Curl ok = ProxyFixture.curl(
                    "--resolve",
                    resolve,
                    "--cacert",
                    dir.resolve("server.pem").toString(),
                    "--cert",
                    dir.resolve("client.pem").toString(),
                    "--key",
                    dir.resolve("client.key").toString(),
                    url);
            assertEquals(0, ok.exit(), ok.err());
            assertTrue(ok.out().contains("CN=alice") && ok.out().contains("alice.clients.test"), ok.out());
            ProxyFixture.Curl refused = ProxyFixture.curl(
                    "--resolve", resolve, "--cacert", dir.resolve("server.pem").toString(), url);
            assertNotEquals(0, refused.exit(), "no client certificate, no response: " + refused.out());
        }
    }

    @Test
    void upstreamTlsIsVerifiedAndPooled() throws Exception {
        TlsServerSettings tls =
                TlsServerSettings.builder().certificate(serverKey()).build();
        try (ProxyFixture origin = new ProxyFixture(certInfo(), b -> b.tls(tls))) {
            InetSocketAddress up = new InetSocketAddress(InetAddress.getLoopbackAddress(), origin.address.getPort());
            TlsClientSettings trust = TlsClientSettings.builder()
                    .trustRoots(Pem.certificates(dir.resolve("server.pem")))
                    .build();
            HttpPeer good = HttpPeer.builder(up).tls(trust, "localhost").build();
            try (ProxyFixture f = new ProxyFixture(FailureTest.to(good))) {
                ProxyFixture.Curl c = ProxyFixture.curl(f.url("/1"), f.url("/2"));
                assertEquals("no client certno client cert", c.out(), c.err());
                assertTrue(f.proxy.reuseRatio() >= 0.5, "pooled TLS connection reused: " + f.proxy.reuseRatio());
            }
            HttpPeer wrongName = HttpPeer.builder(up).tls(trust, "other.test").build();
            try (ProxyFixture f = new ProxyFixture(FailureTest.to(wrongName))) {
                ProxyFixture.Curl c = ProxyFixture.curl("-o", "/dev/null", "-w", "%{http_code}", f.url("/"));
                assertEquals("502", c.out(), "hostname mismatch refused");
            }
        }
    }
}
